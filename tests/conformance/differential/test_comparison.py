"""The comparison's pure logic: which aspects differ, the first differing token, the exit rules."""

from __future__ import annotations

from llmgw_conformance.differential.answers import Answer, compact_shape
from llmgw_conformance.differential.comparison import compare_answers, first_difference
from llmgw_conformance.differential.request_set import DiffRequest, build_request_set

STREAM = DiffRequest("chat stream", "chat", "chat-stream", "POST", "/v1/chat/completions")
JSON = DiffRequest("chat json", "chat", "chat-json", "POST", "/v1/chat/completions")
USAGE = {"prompt_tokens": 3, "completion_tokens": 3, "total_tokens": 6}


def _streamed(tokens: list[str], shape: list[str], usage: dict[str, int] | None = USAGE) -> Answer:
    return Answer(
        200,
        text="".join(tokens),
        tokens=tokens,
        token_count=len(tokens),
        finish_reason="stop",
        usage=usage,
        shape=shape,
    )


SHAPE = ["role", "content", "content", "content", "finish", "usage", "[DONE]", "(eof)"]


def test_equal_answers_are_identical_in_every_aspect() -> None:
    a, b = _streamed(["a", " b", " c"], SHAPE), _streamed(["a", " b", " c"], SHAPE)
    result = compare_answers(STREAM, a, b)
    assert result.differing == [] and set(result.identical) >= {"text", "usage", "stream_shape"}
    assert not result.fails("any") and result.first_difference is None


def test_first_differing_token_names_both_sides_and_an_ended_side() -> None:
    changed = compare_answers(
        STREAM, _streamed(["a", " X", " c"], SHAPE), _streamed(["a", " b", " c"], SHAPE)
    )
    assert changed.differing == ["text"] and changed.first_difference is not None
    assert (
        changed.first_difference.index,
        changed.first_difference.target,
        changed.first_difference.other,
    ) == (
        1,
        " X",
        " b",
    )
    shorter = first_difference(_streamed(["a", " b"], SHAPE), _streamed(["a", " b", " c"], SHAPE))
    assert shorter is not None and (shorter.index, shorter.target, shorter.other) == (2, None, " c")


def test_json_answers_are_compared_word_by_word() -> None:
    a, b = Answer(200, text="one two three"), Answer(200, text="one too three")
    found = first_difference(a, b)
    assert found is not None and (found.unit, found.index, found.target, found.other) == (
        "word",
        1,
        " two",
        " too",
    )
    assert "stream_shape" not in compare_answers(JSON, a, b).identical


def test_the_shape_usage_rule_fails_on_shape_and_usage_only() -> None:
    same_tokens = ["a", " b", " c"]
    no_usage_chunk = [label for label in SHAPE if label != "usage"]
    shape = compare_answers(STREAM, _streamed(same_tokens, SHAPE), _streamed(same_tokens, no_usage_chunk))
    assert shape.differing == ["stream_shape"] and shape.fails("shape-usage") and shape.fails("any")
    usage = compare_answers(STREAM, _streamed(same_tokens, SHAPE), _streamed(same_tokens, SHAPE, usage=None))
    assert usage.differing == ["usage"] and usage.fails("shape-usage")
    text = compare_answers(STREAM, _streamed(["a", " z", " c"], SHAPE), _streamed(same_tokens, SHAPE))
    assert text.fails("any") and not text.fails("shape-usage")


def test_an_answer_on_one_side_only_fails_under_both_rules() -> None:
    refused = Answer(503, problem="status 503: busy")
    result = compare_answers(STREAM, _streamed(["a"], SHAPE), refused)
    assert result.differing == ["answer"] and result.fails("any") and result.fails("shape-usage")


def test_compact_shape_counts_runs() -> None:
    assert compact_shape(SHAPE) == "role, content x3, finish, usage, [DONE], (eof)"
    assert compact_shape(None) == "(not a stream)"


def test_the_set_is_seeded_and_covers_only_served_surfaces() -> None:
    models = {"chat": "m", "generate": "m", "native": "m"}
    first = build_request_set(seed=3, models=models, engine="vllm", max_tokens=8, surfaces={"chat"})
    again = build_request_set(seed=3, models=models, engine="vllm", max_tokens=8, surfaces={"chat"})
    other = build_request_set(seed=4, models=models, engine="vllm", max_tokens=8, surfaces={"chat"})
    assert [r.body for r in first] == [r.body for r in again] != [r.body for r in other]
    assert {r.surface for r in first} == {"chat"} and all(r.body["temperature"] == 0 for r in first)
    with_usage = [r for r in first if r.body.get("stream_options") == {"include_usage": True}]
    assert len(with_usage) == 1
