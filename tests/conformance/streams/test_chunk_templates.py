"""The chat judge's template shortcut (a chunk that is the last valid one with other text is decoded
from it and not schema-checked) always gives the decoder's payload and the schema's own verdict, and
is really taken on an ordinary stream."""

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
@example(["null", "[]", _SPLICED % "a", "null"])
@example([_SPLICED % "a", _SPLICED % "tab\there", _SPLICED % "", _SPLICED % "\u00e9\u2028"])
def test_the_shortcut_gives_the_decoders_payload_and_the_schemas_verdict(stream: list[str]) -> None:
    check = chunk_schema(SCHEMA)
    for rendered in stream:
        data = rendered.encode("utf-8", "replace").decode("utf-8")  # the reader's text is always UTF-8
        try:
            expected = json.loads(data)
        except ValueError:
            expected = _REFUSED
        try:
            payload = check.decode(data)
        except (msgspec.DecodeError, RecursionError):
            try:
                payload = json.loads(data)  # what the judge does with what msgspec refuses
            except ValueError:
                payload = _REFUSED
        assert _in_order(payload) == _in_order(expected), data
        if payload is not _REFUSED:
            assert _template_verdict(check, data, payload) == _plain_verdict(payload), data


_REFUSED = object()


def _in_order(value: Any) -> Any:
    """``value`` with every object's key order made visible (dict equality ignores it)."""
    if isinstance(value, dict):
        return [(k, _in_order(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_in_order(v) for v in value]
    return value


def _chunk(content: str) -> str:
    return json.dumps(
        {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m",
         "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": None}]},
        separators=(",", ":"),
    )  # fmt: skip


def _counting(check: Any) -> tuple[ContentTemplate, list[Any], list[str]]:
    """A template over ``check`` that records what it schema-checked and what it decoded."""
    checked: list[Any] = []
    decoded: list[str] = []

    def counted_check(payload: Any) -> bool:
        checked.append(payload)
        return bool(check(payload))

    def counted_decode(data: str) -> Any:
        decoded.append(data)
        return msgspec.json.decode(data)

    return ContentTemplate(counted_check, True, counted_decode), checked, decoded


def test_a_chunk_with_only_its_text_changed_is_neither_decoded_nor_checked() -> None:
    template, checked, decoded = _counting(_plain_verdict)
    for content in ("hello", " world", "!", 'a "quote"', "again"):
        data = _chunk(content)
        payload = template.decode(data)
        assert payload == json.loads(data)
        assert template.is_valid(data, payload)
    # The first chunk and the one with an escaped quote went the long way; the others matched.
    assert [p["choices"][0]["delta"]["content"] for p in checked] == ["hello", 'a "quote"']
    assert len(decoded) == 2
    broken = _chunk("x").replace('"created":1', '"created":"1"')
    assert not template.is_valid(broken, template.decode(broken))
    assert len(checked) == 3


def test_a_schema_that_constrains_content_text_disables_the_shortcut() -> None:
    defs = {
        "Chunk": {"type": "object", "properties": {"choices": {"items": {"$ref": "#/$defs/Choice"}}}},
        "Choice": {"properties": {"delta": {"$ref": "#/$defs/Delta"}}},
        "Delta": {"properties": {"content": {"anyOf": [{"type": "string", "maxLength": 3}]}}},
    }
    assert not content_is_free_text("Chunk", defs)
    assert content_is_free_text("Chunk", {**defs, "Delta": {"properties": {"content": {"type": "string"}}}})
    assert not content_is_free_text("Chunk", {**defs, "Delta": {"additionalProperties": {"pattern": "^a"}}})
    compiled = jsonschema_rs.Draft202012Validator({"$ref": "#/$defs/Chunk", "$defs": defs})
    template = ContentTemplate(compiled.is_valid, content_is_free_text("Chunk", defs), msgspec.json.decode)
    short, long = _chunk("abc"), _chunk("abcdef")
    assert template.is_valid(short, template.decode(short))
    assert not template.is_valid(long, template.decode(long))


def test_the_shipped_chunk_schema_leaves_content_free() -> None:
    assert content_is_free_text(SCHEMA)
