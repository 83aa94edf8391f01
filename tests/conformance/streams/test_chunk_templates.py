"""The chat judge's schema shortcut (a chunk that is the last valid one with other text) always gives
the schema's own verdict, and is really taken on an ordinary stream."""

from __future__ import annotations

import json
from typing import Any

import jsonschema_rs
import msgspec
from hypothesis import example, given, settings
from hypothesis import strategies as st

from llmgw_conformance.grammar.chunk_templates import ContentTemplate, chunk_schema, content_is_free_text
from llmgw_conformance.grammar.schemas import VALIDATION_REFUSED, validator

SCHEMA = "ChatCompletionChunk"


def _plain_verdict(payload: Any) -> bool:
    return validator(SCHEMA).is_valid(payload)


def _template_verdict(check: ContentTemplate, data: str, payload: Any) -> bool:
    try:
        return check.is_valid(data, payload)
    except VALIDATION_REFUSED:
        return False


_texts = st.one_of(st.text(max_size=12), st.sampled_from(['"', "\\", 'a"b', "\\n", "\u00e9", "\ud800", ""]))
_anything = st.one_of(st.none(), st.integers(), st.text(max_size=4), st.booleans(), st.just([]), st.just({}))


_BROKEN: dict[str, Any] = {
    "id": [5, None],
    "object": ["chat.completion"],
    "created": [-1, "1", 2**70, 1.5],
    "model": [None],
    "choices": [[], {}, "x", [{"index": "0"}], [{"index": 0, "delta": [], "finish_reason": None}]],
    "moderation": [{"content": "x"}, 3],
    "extra": ["x", {"content": "y"}],
}


@st.composite
def chunk(draw: st.DrawFn, base: dict[str, Any], separators: tuple[str, str]) -> str:
    """One chunk of a stream: ``base`` with new text, often a role before or after the text (a role
    after it ends in the template's bytes), sometimes one field broken or removed."""
    delta: dict[str, Any] = {"content": draw(st.one_of(_texts, _anything))}
    if draw(st.booleans()):
        role = draw(st.sampled_from(["assistant", "bogus", "bogus", 7]))
        delta = {"role": role, **delta} if draw(st.booleans()) else {**delta, "role": role}
    finish = draw(st.sampled_from([None] * 6 + ["stop", "bogus", 3]))
    choice = {"index": base["index"], "delta": delta, "finish_reason": finish}
    chunk = {key: value for key, value in base.items() if key != "index"}
    chunk["choices"] = [choice]
    mutation = draw(st.integers(0, 7))
    if mutation == 0:
        key = draw(st.sampled_from(sorted(_BROKEN)))
        chunk[key] = draw(st.sampled_from(_BROKEN[key]))
    elif mutation == 1:
        del chunk[draw(st.sampled_from(sorted(chunk)))]
    return json.dumps(chunk, separators=separators, ensure_ascii=False)


@st.composite
def streams(draw: st.DrawFn) -> list[str]:
    """Chunks of one stream sharing their fields, as a server sends them, rendered one way."""
    base = {
        "id": draw(st.sampled_from(["c1", "chatcmpl-\u00e9"])),
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": draw(st.sampled_from(["m", 'm"q'])),
        "index": draw(st.sampled_from([0, 1, -1])),
    }
    separators = draw(st.sampled_from([(",", ":"), (", ", ": ")]))
    return draw(st.lists(chunk(base, separators), min_size=1, max_size=12))


_SPLICED = (  # the template's bytes around text that closes the string and adds a bad role
    '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m",'
    '"choices":[{"index":0,"delta":{"content":"%s"},"finish_reason":null}]}'
)


@settings(max_examples=200, deadline=None)
@given(streams())
@example([_SPLICED % "a", _SPLICED % 'b","role":"bogus'])
def test_the_shortcut_agrees_with_the_schema_on_every_chunk_of_a_stream(stream: list[str]) -> None:
    check = chunk_schema(SCHEMA)
    for rendered in stream:
        data = rendered.encode("utf-8", "replace").decode("utf-8")  # the reader's text is always UTF-8
        try:
            payload = msgspec.json.decode(data)
        except msgspec.DecodeError:
            payload = json.loads(data)  # what the judge does with what msgspec refuses
        assert _template_verdict(check, data, payload) == _plain_verdict(payload), data


def _chunk(content: str) -> str:
    return json.dumps(
        {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m",
         "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": None}]},
        separators=(",", ":"),
    )  # fmt: skip


def test_a_chunk_with_only_its_text_changed_skips_the_schema_and_others_do_not() -> None:
    calls: list[Any] = []

    def counted(payload: Any) -> bool:
        calls.append(payload)
        return _plain_verdict(payload)

    check = ContentTemplate(counted, enabled=True)
    for content in ("hello", " world", "!", 'a "quote"', "again"):
        data = _chunk(content)
        assert check.is_valid(data, json.loads(data))
    # The first chunk and the one with an escaped quote were checked; the others matched a template.
    assert [p["choices"][0]["delta"]["content"] for p in calls] == ["hello", 'a "quote"']
    broken = _chunk("x").replace('"created":1', '"created":"1"')
    assert not check.is_valid(broken, json.loads(broken))
    assert len(calls) == 3


def test_a_schema_that_constrains_content_text_disables_the_shortcut() -> None:
    defs = {
        "Chunk": {"type": "object", "properties": {"choices": {"$ref": "#/$defs/Delta"}}},
        "Delta": {
            "type": "object",
            "properties": {"content": {"anyOf": [{"type": "string", "maxLength": 3}]}},
        },
    }
    assert not content_is_free_text("Chunk", defs)
    assert content_is_free_text("Chunk", {**defs, "Delta": {"properties": {"content": {"type": "string"}}}})
    assert not content_is_free_text("Chunk", {**defs, "Delta": {"additionalProperties": {"pattern": "^a"}}})
    compiled = jsonschema_rs.Draft202012Validator({"$ref": "#/$defs/Chunk", "$defs": defs})
    check = ContentTemplate(compiled.is_valid, enabled=content_is_free_text("Chunk", defs))
    short, long = '{"choices":{"content":"abc"}}', '{"choices":{"content":"abcdef"}}'
    assert check.is_valid(short, json.loads(short))
    assert not check.is_valid(long, json.loads(long))


def test_the_shipped_chunk_schema_leaves_content_free() -> None:
    assert content_is_free_text(SCHEMA)
