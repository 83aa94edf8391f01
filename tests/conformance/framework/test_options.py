"""Options: documented defaults, environment and flags, and usage errors that name the bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmgw_conformance.options import DEFAULTS, SuiteOptions, build_options, public_url
from llmgw_conformance.registry import UsageError


def test_defaults_are_the_documented_ones() -> None:
    opts = SuiteOptions()
    assert (opts.connect_timeout_s, opts.read_timeout_s, opts.idle_gap_s) == (5.0, 30.0, 10.0)
    assert (opts.stream_budget_s, opts.header_budget_s) == (60.0, 2.0)
    assert (opts.max_events, opts.max_bytes, opts.max_tokens) == (10_000, 8 * 1024 * 1024, 16)
    assert (opts.run_budget_s, opts.check_budget_s, opts.examples) == (600.0, 120.0, 10)
    assert opts.report_dir == Path("reports/conformance")
    assert DEFAULTS["seed"] == 0 and opts.target is None


def test_environment_is_read_and_flags_win() -> None:
    env = {
        "LLMGW_TARGET": "http://gw:8080",
        "LLMGW_API_KEY": "sk-env",
        "LLMGW_PROFILE": "control, tasks",
        "LLMGW_SEED": "7",
        "LLMGW_CHECK": "",
        "TARGET": "http://stray:1",  # unprefixed variables are not read
        "MODEL": "stray",
    }
    opts = build_options({"seed": "9", "read_timeout_s": "3.5"}, env)
    assert opts.target == "http://gw:8080" and opts.api_key == "sk-env"
    assert opts.profiles == ("control", "tasks")
    assert opts.seed == 9 and opts.read_timeout_s == 3.5
    assert opts.checks == ()  # an empty variable counts as unset
    assert opts.model is None


@pytest.mark.parametrize(
    ("explicit", "named"),
    [
        ({"seed": "x"}, "seed"),
        ({"seed": "-1"}, "seed"),
        ({"read_timeout_s": "0"}, "read_timeout_s"),
        ({"idle_gap_s": "nan"}, "idle_gap_s"),
        ({"max_events": "0"}, "max_events"),
        ({"target": "ftp://x"}, "target"),
        ({"target": "not a url"}, "target"),
        ({"no_such_option": "1"}, "option"),
    ],
)
def test_bad_values_are_usage_errors_naming_value_and_valid_ones(
    explicit: dict[str, str], named: str
) -> None:
    with pytest.raises(UsageError) as info:
        build_options(explicit, {})
    text = str(info.value)
    assert named in text
    assert "valid:" in text
    assert repr(next(iter(explicit.values()))) in text or next(iter(explicit)) in text


def test_report_shows_no_secret_and_no_credentials_in_the_url() -> None:
    opts = SuiteOptions(
        target="http://user:pw@gw.example:8080/base", api_key="sk-abcdef", restricted_api_key="sk-ro"
    )
    shown = opts.to_report()
    assert shown["api_key"] == "[redacted]" and shown["restricted_api_key"] == "[redacted]"
    assert shown["target"] == "http://gw.example:8080/base"
    assert "pw" not in str(shown) and "sk-abcdef" not in str(shown)
    assert public_url("https://a:b@h/x?q=1") == "https://h/x?q=1"
