"""Redaction: keys vanish wherever they appear, Authorization becomes a placeholder, nothing else changes."""

from __future__ import annotations

import shlex

from llmgw_conformance.redaction import REDACTED, Redactor, curl_command, truncate

KEY = "sk-main-0123456789"
RO = "sk-main-0123456789-ro"  # contains the main key: must still be replaced whole


def test_keys_are_replaced_everywhere_longest_first() -> None:
    red = Redactor.for_keys(KEY, RO)
    assert red.text(f"a {RO} b {KEY} c") == f"a {REDACTED} b {REDACTED} c"
    assert red.deep({"k": [KEY, {"x": f"?key={KEY}"}], KEY: 1}) == {
        "k": [REDACTED, {"x": f"?key={REDACTED}"}],
        REDACTED: 1,
    }
    assert red.text('{"max_tokens": 16, "token": "abc"}') == '{"max_tokens": 16, "token": "abc"}'


def test_authorization_names_the_key_it_carried() -> None:
    red = Redactor.for_keys(KEY, RO)
    headers = red.headers([("Authorization", f"Bearer {KEY}"), ("X-Echo", f"got {RO}"), ("Accept", "a")])
    assert headers == {"authorization": "Bearer $API_KEY", "x-echo": f"got {REDACTED}", "accept": "a"}
    assert red.authorization(f"Bearer {RO}") == "Bearer $RESTRICTED_API_KEY"
    assert red.authorization("Bearer some-invented-key") == f"Bearer {REDACTED}"


def test_short_or_missing_keys_do_not_redact_ordinary_text() -> None:
    assert Redactor.for_keys("abc", None).text("abc abc") == "abc abc"
    assert Redactor.for_keys(None, None).secrets == ()


def test_curl_expands_the_key_from_the_environment_only() -> None:
    line = curl_command(
        "GET", "http://h/x", {"authorization": "Bearer $API_KEY", "host": "h"}, None, stream=True
    )
    assert line == 'curl -sS -N -X GET http://h/x -H "Authorization: Bearer $API_KEY"'
    assert shlex.split(line)[-1] == "Authorization: Bearer $API_KEY"  # the shell expands it


def test_truncate_says_how_much_was_left_out() -> None:
    assert truncate("x" * 10, 4) == "xxxx...(+6 chars)"
    assert truncate("short", 10) == "short" and truncate(None) is None
