"""The pure rules behind CHAT-STOP-HONOURED and CHAT-JSON-MODE: which word to stop at, and which
JSON-mode choice breaks the rule (the HTTP behaviour is proven in test_check_openai_surface.py)."""

from __future__ import annotations

from typing import Any

import pytest

from llmgw_conformance.checks.openai_honoured import json_mode_problem, pick_stop


def test_the_stop_word_occurs_once_is_not_first_and_is_nearest_the_middle() -> None:
    text = "The sea is wide and the sea is deep today"
    word, start = pick_stop(text) or ("", -1)
    assert text.count(word) == 1 and start > 0 and text[start:].startswith(word)
    assert word not in ("The", "sea", "is")  # "sea" and "is" repeat; "The" is first
    assert word == "the"  # case matters to a stop sequence: "the" is not "The"


@pytest.mark.parametrize("text", ["", "Hello", "a a a", "sea sea"])
def test_no_stop_word_when_nothing_fits(text: str) -> None:
    assert pick_stop(text) is None


def choice(content: Any, finish: str) -> dict[str, Any]:
    return {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish}


@pytest.mark.parametrize(
    ("content", "finish", "broken"),
    [
        ('{"city": "Paris"}', "stop", False),
        (' \n{"city": "Par', "length", False),  # cut by length: the start of an object is enough
        ("Paris is the capital", "length", True),
        ("Paris is the capital", "stop", True),
        ('["Paris"]', "stop", True),  # JSON, but not an object
        ('{"city": "Par', "stop", True),  # finished stop, unfinished object
        (None, "stop", True),
    ],
)
def test_json_mode_choices(content: Any, finish: str, broken: bool) -> None:
    assert (json_mode_problem(choice(content, finish)) is not None) is broken
