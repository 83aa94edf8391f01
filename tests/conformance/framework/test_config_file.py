"""The team's settings file: pyproject's [tool.llm-gateway-conformance] or --config, under env and flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmgw_conformance.config_file import load_config
from llmgw_conformance.options import build_options
from llmgw_conformance.registry import UsageError

FLAGS = {"read-timeout": "read_timeout_s", "profile": "profiles", "exclude-check": "exclude_checks"}


def test_pyproject_table_is_read_and_loses_to_env_and_flags(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.llm-gateway-conformance]\n'
        'read-timeout = 7\nprofile = ["openai-chat", "embeddings"]\nseed = 3\nexclude-check = "a,b"\n'
    )
    config = load_config(None, FLAGS, cwd=tmp_path)
    options = build_options({}, {}, config)
    assert options.read_timeout_s == 7.0 and options.profiles == ("openai-chat", "embeddings")
    assert options.exclude_checks == ("a", "b") and options.seed == 3
    env_wins = build_options({}, {"LLMGW_SEED": "4"}, config)
    flag_wins = build_options({"seed": "5"}, {"LLMGW_SEED": "4"}, config)
    assert (env_wins.seed, flag_wins.seed) == (4, 5)


def test_no_pyproject_or_no_table_is_no_settings(tmp_path: Path) -> None:
    assert load_config(None, FLAGS, cwd=tmp_path) == {}
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert load_config(None, FLAGS, cwd=tmp_path) == {}


def test_a_config_file_of_its_own(tmp_path: Path) -> None:
    plain = tmp_path / "conformance.toml"
    plain.write_text('target = "http://gw:8080"\nmax-failures = 2\n')
    assert build_options({}, {}, load_config(str(plain), FLAGS)).max_failures == 2
    tabled = tmp_path / "other.toml"
    tabled.write_text('[tool.llm-gateway-conformance]\nmodel = "m"\n')
    assert load_config(str(tabled), FLAGS) == {"model": "m"}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('api-key = "sk-1"', "LLMGW_API_KEY"),
        ("no-such-setting = 1", "no-such-setting"),
        ("read-timeout = [", "valid TOML"),
    ],
)
def test_bad_settings_are_usage_errors(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(text)
    with pytest.raises(UsageError) as caught:
        load_config(str(path), FLAGS)
    assert words in str(caught.value)
    with pytest.raises(UsageError):
        load_config(str(tmp_path / "missing.toml"), FLAGS)
