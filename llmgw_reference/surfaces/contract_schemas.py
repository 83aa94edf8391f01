"""Request validators built from the contract itself (``contracts/openapi/data.yaml``).

Why not pydantic alone: the generated pydantic models are lax (they turn ``"5"`` into ``5`` and
``true`` into ``1``), while the contract is JSON Schema 2020-12, where ``61.0`` is a valid integer and
``"5"`` is not.  Validating the raw JSON against the contract's own schema first gives exactly the
contract's verdict, and the first error names the offending field (the ``param`` of the error).
Only after that do we parse into the generated models, for typed access.

Two validators of the same schema: ``jsonschema_rs`` (compiled once, about a thousand times faster)
answers "valid" on the hot path of every request; only a body it does not call valid is judged again
by ``jsonschema``, whose error objects give the answer (first error, its ``param``, unknown fields),
so a rejected body gets exactly the error it got before, and a body the compiled validator cannot
take (an integer beyond 64 bits) is judged by ``jsonschema`` alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped]
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from llmgw_contracts import contract_files

_BASE = "https://contract.invalid/"


@dataclass(frozen=True)
class SchemaViolation:
    """The first way a request body breaks its schema, in terms an error envelope can carry."""

    param: str | None
    message: str
    unknown_field: bool


@cache
def _registry() -> Registry[Any]:
    resources = []
    for name in ("data.yaml", "common.yaml"):
        document = contract_files().spec(name)
        resources.append((_BASE + name, Resource.from_contents(document, default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


@cache
def validator_for(schema_name: str) -> Draft202012Validator:
    """A validator of ``data.yaml``'s ``components/schemas/<schema_name>``, cross-file refs resolved."""
    root = {"$ref": f"{_BASE}data.yaml#/components/schemas/{schema_name}"}
    return Draft202012Validator(root, registry=_registry())


#: What the compiled validator raises on values it cannot take (integers beyond 64 bits, ...).
_FAST_REFUSED = (ValueError, TypeError, OverflowError, RecursionError)


@cache
def fast_validator_for(schema_name: str) -> jsonschema_rs.Validator:
    """The compiled validator of the same schema as :func:`validator_for` (formats not asserted,
    as ``jsonschema`` does without a format checker)."""
    resources = [(_BASE + name, contract_files().spec(name)) for name in ("data.yaml", "common.yaml")]
    root = {"$ref": f"{_BASE}data.yaml#/components/schemas/{schema_name}"}
    return jsonschema_rs.Draft202012Validator(
        root, registry=jsonschema_rs.Registry(resources), validate_formats=False
    )


def json_path(parts: list[str | int]) -> str | None:
    """``['messages', 0, 'content']`` -> ``messages[0].content`` (the `param` notation of the contract)."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text or None


def _deepest(error: ValidationError) -> ValidationError:
    """The most specific sub-error of an ``anyOf``/``$ref`` failure, so the message names the real field."""
    while error.context:
        error = max(error.context, key=lambda sub: len(sub.absolute_path))
    return error


def first_violation(schema_name: str, body: Any) -> SchemaViolation | None:
    """None when ``body`` conforms; otherwise the one violation to report.

    Unknown fields are looked for first: the contract makes them 400 ``unsupported_field``, a more
    useful answer than whatever else is wrong in the same request.
    """
    try:
        if fast_validator_for(schema_name).is_valid(body):
            return None
    except _FAST_REFUSED:
        pass  # judged by jsonschema below
    errors = list(validator_for(schema_name).iter_errors(body))
    if not errors:
        return None
    for error in errors:
        found = _unknown_field(error)
        if found is not None:
            return found
    error = _deepest(min(errors, key=lambda e: len(e.absolute_path)))
    path = [*error.absolute_path]
    message = error.message if len(error.message) <= 300 else error.message[:297] + "..."
    where = json_path(path)
    return SchemaViolation(param=where, message=f"{where or 'body'}: {message}", unknown_field=False)


def _unknown_field(error: ValidationError) -> SchemaViolation | None:
    candidates = [error, *(error.context or [])]
    for candidate in candidates:
        if candidate.validator == "additionalProperties" and isinstance(candidate.instance, dict):
            allowed = candidate.schema.get("properties", {}) if isinstance(candidate.schema, dict) else {}
            extra = sorted(key for key in candidate.instance if key not in allowed)
            if extra:
                path = [*candidate.absolute_path, extra[0]]
                where = json_path(path)
                return SchemaViolation(param=where, message=f"unsupported field: {where}", unknown_field=True)
    return None
