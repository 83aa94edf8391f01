"""Rules on the operations: their ids, and the error responses each one documents.

A client generated from the contract, and the suite, find an operation by its ``operationId`` and
decode every error with one schema per family (native or OpenAI), so both must hold everywhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from tools.lint_contracts.contract import Contract, Operation, Violation
from tools.specs import ContractError, Location, split_ref

# Operations with this tag speak the OpenAI wire format, errors included.
OPENAI_TAG = "openai"
NATIVE_ERROR_SCHEMA = "ErrorEnvelope"
OPENAI_ERROR_SCHEMA = "OpenAIErrorResponse"


def rule_operation_ids(contract: Contract) -> Iterator[Violation]:
    """Every operation has an operationId, unique across the contract files."""
    seen: Counter[str] = Counter(
        str(op.spec["operationId"]) for op in contract.operations() if op.spec.get("operationId")
    )
    for op in contract.operations():
        op_id = op.spec.get("operationId")
        if not isinstance(op_id, str) or not op_id:
            yield Violation(str(op.location), f"{op.name} has no operationId")
        elif seen[op_id] > 1:
            yield Violation(
                str(op.location.child("operationId")), f"operationId {op_id!r} is used more than once"
            )


def rule_error_responses(contract: Contract) -> Iterator[Violation]:
    """Every operation documents a 4xx response, and every error response's body is the error schema.

    The error schema is ``OpenAIErrorResponse`` for operations tagged ``openai`` (the
    OpenAI-compatible endpoints), ``ErrorEnvelope`` for the others.  A non-2xx response must
    have content, and each of its media types a ``$ref`` to that schema; 1xx and 3xx responses
    may have no body at all.
    """
    for op in contract.operations():
        tags = op.spec.get("tags") or []
        expected = OPENAI_ERROR_SCHEMA if OPENAI_TAG in tags else NATIVE_ERROR_SCHEMA
        responses = op.spec.get("responses")
        if not isinstance(responses, dict):
            continue  # openapi-spec-validator reports a missing responses object
        where = op.location.child("responses")
        codes = [str(code).upper() for code in responses]
        if not any(len(code) == 3 and code.startswith("4") for code in codes):
            yield Violation(str(where), f"{op.name} documents no 4xx response")
        for code, response in responses.items():
            code = str(code).upper()
            if not code.startswith("2"):
                yield from _error_response(contract, op, where.child(code), code, response, expected)


def _error_response(
    contract: Contract, op: Operation, here: Location, code: str, response: Any, expected: str
) -> Iterator[Violation]:
    """The violations of one non-2xx response of ``op`` (followed if it is a ``$ref``)."""
    target, response = contract.deref(response, op.location.file)
    if target is not None:
        here = target
    if not isinstance(response, dict):
        return
    content = response.get("content")
    if not content:
        if not code.startswith(("1", "3")):
            yield Violation(str(here), f"{op.name} {code}: error response has no content (want {expected})")
        return
    for media_type, media in content.items():
        schema = media.get("schema") if isinstance(media, dict) else None
        media_here = here.child("content", str(media_type), "schema")
        found = _schema_name(contract, schema, here.file)
        if found != expected:
            what = f"#/components/schemas/{found}" if found else "not a $ref to a component schema"
            yield Violation(str(media_here), f"{op.name} {code}: error body must be {expected}, is {what}")


def _schema_name(contract: Contract, schema: Any, file: str) -> str | None:
    """The component name a ``$ref`` schema points to, after following any chain of references."""
    if not (isinstance(schema, dict) and isinstance(schema.get("$ref"), str)):
        return None
    try:
        _, pointer = split_ref(schema["$ref"], file)
        target, _ = contract.specs.resolve_ref(schema["$ref"], file)
    except (KeyError, ValueError, IndexError, ContractError):
        return None
    for candidate in (target.pointer, pointer):
        parts = candidate.split("/")
        if len(parts) == 4 and parts[1] == "components" and parts[2] == "schemas":
            return parts[3]
    return None
