"""Precompiled validators for the contract's stream payload schemas, and the stream grammars.

Why not validate through a generic contract loader per event: a chat stream has hundreds of chunks and
the judges are benchmarked against a plain ``json.loads`` loop. So the component schemas of the three
contract files are bundled once into one JSON Schema document (cross-file ``$ref`` rewritten to local
``#/$defs/...``), one Rust validator (``jsonschema_rs``, the engine schemathesis itself uses) is
compiled per payload schema and cached, and the hot path is ``is_valid`` (no error objects). Only an
invalid payload pays for the readable error list.

The grammars (first / terminal / sentinel / sequences / same_fields ...) are read from
``x-stream-grammars`` in data.yaml, never restated here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final

import jsonschema_rs

from llmgw_contracts import openapi_dir, read_yaml

#: The shipped contract's OpenAPI folder (the suite ships with the contract it judges against).
CONTRACT_DIR: Final = openapi_dir()
_SPEC_FILES: Final = ("common.yaml", "data.yaml", "control.yaml")
_REF_RE: Final = re.compile(r"^(?:[A-Za-z0-9_.-]+\.yaml)?#/components/schemas/(.+)$")


def _spec(name: str, contract_dir: Path = CONTRACT_DIR) -> dict[str, Any]:
    doc: dict[str, Any] = read_yaml(contract_dir / name, name)  # parsed once, by the shared loader
    return doc


def _rewrite_refs(node: Any) -> Any:
    """Copy ``node`` with every ``[file.yaml]#/components/schemas/X`` made ``#/$defs/X``."""
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                match = _REF_RE.match(value)
                out[key] = f"#/$defs/{match.group(1)}" if match else value
            else:
                out[key] = _rewrite_refs(value)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(v) for v in node]
    return node


@functools.cache
def bundled_defs(contract_dir: Path = CONTRACT_DIR) -> dict[str, Any]:
    """Every component schema of the contract, by name, with local refs (names are unique across files)."""
    defs: dict[str, Any] = {}
    for name in _SPEC_FILES:
        schemas = _spec(name, contract_dir).get("components", {}).get("schemas", {})
        for key, schema in schemas.items():
            if key in defs:
                raise ValueError(f"schema {key!r} defined in two contract files; bundling needs unique names")
            defs[key] = _rewrite_refs(schema)
    return defs


#: What the compiled validator raises on values it cannot take (integers beyond 64 bits, ...): invalid.
VALIDATION_REFUSED: Final = (ValueError, TypeError, OverflowError)


class PayloadValidator:
    """A compiled validator of one component schema: ``is_valid`` on the hot path, ``errors`` on failure."""

    def __init__(self, schema_name: str, contract_dir: Path = CONTRACT_DIR) -> None:
        defs = bundled_defs(contract_dir)
        if schema_name not in defs:
            raise KeyError(f"no schema {schema_name!r} in the contract; known: {', '.join(sorted(defs))}")
        self.schema_name = schema_name
        root: dict[str, Any] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$ref": f"#/$defs/{schema_name}",
            "$defs": defs,
        }
        self._validator = jsonschema_rs.Draft202012Validator(root)

    def is_valid(self, instance: Any) -> bool:
        """True when ``instance`` matches the schema (fast path: no error objects are built)."""
        try:
            return bool(self._validator.is_valid(instance))
        except VALIDATION_REFUSED:  # e.g. integers beyond 64 bits from a hostile target
            return False

    @property
    def raw_is_valid(self) -> Callable[[Any], bool]:
        """The compiled validator's own ``is_valid``, for a hot loop that saves the wrapper's call: it
        raises one of :data:`VALIDATION_REFUSED` where :meth:`is_valid` answers False."""
        check: Callable[[Any], bool] = self._validator.is_valid
        return check

    def errors(self, instance: Any, limit: int = 5) -> list[str]:
        """Readable errors, each prefixed with the JSON path of the offending value."""
        out: list[str] = []
        try:
            for err in self._validator.iter_errors(instance):
                path = "/".join(str(p) for p in err.instance_path) or "(root)"
                out.append(f"{path}: {err.message}")
                if len(out) >= limit:
                    break
        except (ValueError, TypeError, OverflowError) as exc:
            out.append(f"(root): cannot be validated: {exc}")
        return out or ["(root): does not match"]


def validator(schema_name: str, contract_dir: Path | None = None) -> PayloadValidator:
    """The cached compiled validator of ``components/schemas/<schema_name>`` (None: this checkout's)."""
    return _validator(schema_name, contract_dir or CONTRACT_DIR)


@functools.cache
def _validator(schema_name: str, contract_dir: Path) -> PayloadValidator:
    return PayloadValidator(schema_name, contract_dir)


@functools.cache
def _grammars(contract_dir: Path) -> dict[str, Any]:
    grammars: dict[str, Any] = _spec("data.yaml", contract_dir).get("x-stream-grammars", {})
    return grammars


def grammar(kind: str, contract_dir: Path | None = None) -> Mapping[str, Any]:
    """The grammar ``kind`` (``native-task``, ``chat-chunks``, ...) from ``x-stream-grammars``."""
    grammars = _grammars(contract_dir or CONTRACT_DIR)
    if kind not in grammars:
        raise KeyError(f"no stream grammar {kind!r} in data.yaml; known: {', '.join(sorted(grammars))}")
    found: Mapping[str, Any] = grammars[kind]
    return found


def error_policy(contract_dir: Path | None = None) -> Mapping[str, Any]:
    """``x-error-policy`` of ErrorKind in common.yaml (which codes may appear in a stream, ...)."""
    kind = _spec("common.yaml", contract_dir or CONTRACT_DIR)["components"]["schemas"]["ErrorKind"]
    policy: Mapping[str, Any] = kind.get("x-error-policy", {})
    return policy
