"""Decoding and schema-checking event data, shared by the three stream judges.

Hostile targets send anything: data that is not JSON, JSON nested ten thousand levels deep, numbers
beyond 64 bits. Decoding here never raises; it returns ``None`` and records SSE-DATA-JSON with the bytes.

Why msgspec first: decoding is most of a judge's time per event, and msgspec's decoder is several
times faster than the standard library's while giving the same values for every document it accepts
(integers of any size stay ``int``). What it refuses, the standard library decides, so the verdict is
exactly the one ``json.loads`` gives (it accepts ``NaN``, ``1e400`` and lone surrogate escapes, which
msgspec refuses).
"""

from __future__ import annotations

import json
from typing import Any, Final

import msgspec

from llmgw_conformance.sse import Event

from .schemas import validator
from .violation import Judgement

#: Marks of an internal exception dump written where text belongs (RESP-NO-TRACEBACK's evidence).
TRACEBACK_MARKS: Final = ("Traceback (most recent call last)", 'File "/', "Exception in ASGI application")


#: The fast decoder (untyped: the contract's schema, not a Python type, says what is valid).
_FAST_DECODE: Final = msgspec.json.Decoder().decode
#: ``json.loads`` without its per-call argument handling: the verdict on what msgspec refuses.
_DECODE: Final = json.JSONDecoder().decode


#: What the fast decoder raises on data it refuses (then :func:`decode_refused` decides).
FAST_DECODE_REFUSED: Final = (msgspec.DecodeError, RecursionError)


def fast_decoder() -> Any:
    """The fast decoder's bound ``decode`` (for the driver's hot loop, which calls :func:`decode_refused`
    when it raises one of :data:`FAST_DECODE_REFUSED`)."""
    return _FAST_DECODE


def decode(event: Event, verdict: Judgement) -> Any:
    """The event's data as JSON, or None (with an SSE-DATA-JSON violation) when it is not one document."""
    try:
        return _FAST_DECODE(event.data)
    except FAST_DECODE_REFUSED:
        return decode_refused(event, verdict)


def decode_refused(event: Event, verdict: Judgement) -> Any:
    """What msgspec refused, decoded by the standard library (same verdict as ``json.loads``), or None
    with an SSE-DATA-JSON violation."""
    try:
        return _DECODE(event.data)
    except (ValueError, RecursionError) as exc:
        verdict.add_at(
            event,
            "SSE-DATA-JSON",
            "data-is-json",
            f"data is not one JSON document ({type(exc).__name__}: {str(exc)[:120]})",
            "one JSON document",
            event.data[:120],
        )
        return None


def conforms(
    payload: Any,
    schema_name: str,
    event: Event,
    verdict: Judgement,
    requirement_id: str = "SSE-DATA-JSON",
) -> bool:
    """True when ``payload`` matches ``components/schemas/<schema_name>``; else records why."""
    check = validator(schema_name, verdict.contract_dir)
    if check.is_valid(payload):
        return True
    errors = check.errors(payload)
    verdict.add_at(
        event,
        requirement_id,
        f"payload-schema:{schema_name}",
        f"data does not match {schema_name}: {errors[0]}",
        schema_name,
        "; ".join(errors),
    )
    return False


def looks_like_error_text(text: str) -> bool:
    """True when generated text is really an error: a JSON error object or a stack trace."""
    # Cheap substring tests first: this runs on every token of every stream.
    for mark in TRACEBACK_MARKS:
        if mark in text:
            return True
    if '"error"' not in text:
        return False
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            doc = json.loads(stripped)
        except (ValueError, RecursionError):
            return False
        return isinstance(doc, dict) and "error" in doc
    return False
