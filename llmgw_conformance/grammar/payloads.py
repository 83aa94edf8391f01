"""Decoding and schema-checking event data, shared by the three stream judges.

Hostile targets send anything: data that is not JSON, JSON nested ten thousand levels deep, numbers
beyond 64 bits. Decoding here never raises; it returns ``None`` and records SSE-DATA-JSON with the bytes.
"""

from __future__ import annotations

import json
from typing import Any, Final

from llmgw_conformance.sse import Event

from .schemas import validator
from .violation import Judgement

#: Marks of an internal exception dump written where text belongs (RESP-NO-TRACEBACK's evidence).
TRACEBACK_MARKS: Final = ("Traceback (most recent call last)", 'File "/', "Exception in ASGI application")


#: ``json.loads`` without its per-call argument handling (the judges decode every event).
_DECODE: Final = json.JSONDecoder().decode


def decode(event: Event, verdict: Judgement) -> Any:
    """The event's data as JSON, or None (with an SSE-DATA-JSON violation) when it is not one document."""
    try:
        return _DECODE(event.data)
    except (ValueError, RecursionError) as exc:
        verdict.add(
            "SSE-DATA-JSON",
            "data-is-json",
            event.index,
            f"data is not one JSON document ({type(exc).__name__}: {str(exc)[:120]})",
            expected="one JSON document",
            received=event.data[:120],
            raw=event.raw,
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
    verdict.add(
        requirement_id,
        f"payload-schema:{schema_name}",
        event.index,
        f"data does not match {schema_name}: {errors[0]}",
        expected=schema_name,
        received="; ".join(errors),
        raw=event.raw,
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
