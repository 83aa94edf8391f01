"""A small contract (the four files, a few operations, one stream, the error envelope, a catalogue)
that each rule's test edits one way to trigger the rule and another way that must not."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

Contract = dict[str, Any]
Edit = Callable[[Contract], None]
Path_ = tuple[Any, ...]

THING_REF = {"$ref": "#/components/schemas/Thing"}
ERROR_REF = {"$ref": "common.yaml#/components/schemas/ErrorEnvelope"}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _common(info: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": info,
        "paths": {},
        "components": {
            "schemas": {
                "ErrorKind": {
                    "type": "string",
                    "description": "Error class.",
                    "enum": ["INVALID_PARAMS", "ADMISSION_REJECT"],
                    "x-error-policy": {
                        "INVALID_PARAMS": {"statuses": [400], "in_stream": False, "retriable": False},
                        "ADMISSION_REJECT": {"statuses": [429], "in_stream": False, "retriable": "by_reason"},
                    },
                    "x-error-reasons": {
                        "NOT_FOUND": {"code": "INVALID_PARAMS", "status": 404, "retriable": False}
                    },
                },
                "ErrorReason": {"type": "string", "description": "Finer cause.", "enum": ["NOT_FOUND"]},
                "ErrorEnvelope": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {
                        "code": {"$ref": "#/components/schemas/ErrorKind"},
                        "message": {"type": "string"},
                        "reason": {"$ref": "#/components/schemas/ErrorReason"},
                    },
                },
            }
        },
    }


def _data(info: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": info,
        "x-stream-grammars": {
            "native": {
                "description": "The native stream.",
                "framing": "named-events",
                "events": {"token": "SSEToken", "end": "SSEEnd"},
                "first": ["token"],
                "terminal": ["end"],
                "terminal_exactly_once": True,
                "requirements": ["R-ONE"],
            }
        },
        "paths": {
            "/v1/things": {
                "post": {
                    "operationId": "createThing",
                    "summary": "Create a thing",
                    "parameters": [
                        {
                            "name": "mode",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string", "enum": ["fast", "slow"]},
                        },
                        {"name": "X-Trace", "in": "header", "required": True, "schema": {"type": "string"}},
                    ],
                    "requestBody": {
                        "required": True,
                        "description": "The thing.",
                        "content": _json({"$ref": "#/components/schemas/ThingRequest"}),
                    },
                    "responses": {
                        "200": {"description": "Created.", "content": _json(THING_REF)},
                        "400": {"description": "Bad.", "content": _json(ERROR_REF)},
                    },
                }
            },
            "/v1/things/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "get": {
                    "operationId": "getThing",
                    "responses": {"200": {"description": "The thing.", "content": _json(THING_REF)}},
                },
                "delete": {"operationId": "deleteThing", "responses": {"204": {"description": "Gone."}}},
            },
        },
        "components": {"schemas": _data_schemas()},
    }


def _data_schemas() -> dict[str, Any]:
    return {
        "ThingRequest": {
            "type": "object",
            "additionalProperties": False,
            "required": ["name"],
            "properties": {
                "name": {"type": "string", "maxLength": 64},
                "size": {"type": "integer", "minimum": 1, "maximum": 10},
                "color": {"type": "string", "enum": ["red", "blue"]},
                "note": {"type": "string"},
            },
        },
        "Thing": {
            "type": "object",
            "required": ["id", "name", "state"],
            "properties": {
                "id": {"type": "string"},
                "name": {"type": "string", "maxLength": 64},
                "state": {"type": "string", "enum": ["new", "done"]},
                "tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}},
                "mood": {"type": "string", "enum": ["calm"], "x-extensible-enum": True},
                "note": {"type": "string"},
            },
        },
        "SSEToken": {
            "type": "object",
            "required": ["i", "text"],
            "properties": {"i": {"type": "integer"}, "text": {"type": "string"}},
        },
        "SSEEnd": {
            "type": "object",
            "required": ["tokens_out"],
            "properties": {"tokens_out": {"type": "integer"}},
        },
    }


def _control(info: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": info,
        "paths": {
            "/v1/health": {
                "get": {
                    "operationId": "getHealth",
                    "responses": {
                        "200": {
                            "description": "Up.",
                            "content": _json({"type": "object", "properties": {"ok": {"type": "boolean"}}}),
                        }
                    },
                }
            }
        },
    }


def _catalogue(version: str) -> dict[str, Any]:
    return {
        "contract_version": version,
        "profiles": {"core": {"description": "Core."}, "extra": {"description": "Extra."}},
        "requirements": [
            {
                "id": "R-ONE",
                "level": "MUST",
                "profiles": ["core"],
                "text": "One thing holds.",
                "applies_to": {},
            },
            {
                "id": "R-TWO",
                "level": "SHOULD",
                "profiles": ["core"],
                "text": "Two things hold.",
                "needs": ["feat"],
                "applies_to": {},
            },
            {
                "id": "R-THREE",
                "level": "MAY",
                "profiles": ["extra"],
                "text": "Three things hold.",
                "applies_to": {},
            },
        ],
    }


def base_contract(version: str = "1.0.0") -> Contract:
    """The four files as parsed YAML, keyed ``openapi/<name>`` and ``requirements.yaml``."""
    info = {"title": "small", "version": version, "description": "A small contract."}
    return {
        "openapi/common.yaml": _common(dict(info)),
        "openapi/control.yaml": _control(dict(info)),
        "openapi/data.yaml": _data(dict(info)),
        "requirements.yaml": _catalogue(version),
    }


def write_contract(folder: Path, contract: Contract) -> Path:
    for relative, document in contract.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return folder


def set_version(contract: Contract, version: str) -> None:
    for name in ("common", "control", "data"):
        contract[f"openapi/{name}.yaml"]["info"]["version"] = version
    contract["requirements.yaml"]["contract_version"] = version


# Edits of a contract, by a path of keys from the file name down.


def _node(contract: Contract, path: Path_) -> Any:
    node: Any = contract
    for key in path:
        node = node[key]
    return node


def put(path: Path_, value: Any) -> Edit:
    def edit(contract: Contract) -> None:
        _node(contract, path[:-1])[path[-1]] = copy.deepcopy(value)

    return edit


def drop(path: Path_) -> Edit:
    def edit(contract: Contract) -> None:
        del _node(contract, path[:-1])[path[-1]]

    return edit


def add(path: Path_, value: Any) -> Edit:
    def edit(contract: Contract) -> None:
        _node(contract, path).append(copy.deepcopy(value))

    return edit


def chain(*edits: Edit) -> Edit:
    def edit(contract: Contract) -> None:
        for one in edits:
            one(contract)

    return edit


def describe(path: Path_) -> Edit:
    """An edit no rule but ``other-change`` classifies: a description."""
    return put((*path, "description"), "Reworded.")
