"""For each rule of the contract diff: an edit of the small contract that triggers it, a near edit that
must not, and an edit made to both sides first (or None)."""

from __future__ import annotations

from typing import Any

from tests.tools.contract_diff.small_contract import Edit, add, chain, describe, drop, put

DATA, COMMON, CAT = ("openapi/data.yaml",), ("openapi/common.yaml",), ("requirements.yaml",)
THING = (*DATA, "components", "schemas", "Thing")
TREQ = (*DATA, "components", "schemas", "ThingRequest")
CREATE = (*DATA, "paths", "/v1/things", "post")
ITEM = (*DATA, "paths", "/v1/things/{id}")
GRAMMAR = (*DATA, "x-stream-grammars", "native")
KIND = (*COMMON, "components", "schemas", "ErrorKind")
REASON = (*COMMON, "components", "schemas", "ErrorReason")
REQS = (*CAT, "requirements")


def new_req(req_id: str, level: str, profiles: list[str], needs: list[str] | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": req_id,
        "level": level,
        "profiles": profiles,
        "text": f"{req_id} holds.",
        "applies_to": {},
    }
    if needs:
        entry["needs"] = needs
    return entry


QUERY_X = {"name": "x", "in": "query", "required": True, "schema": {"type": "string"}}
QUERY_Y = {"name": "y", "in": "query", "required": False, "schema": {"type": "string"}}
NULLABLE = {"type": ["string", "null"]}

# rule id: (edit that triggers it, edit that does not, edit applied to both sides first or None)
CASES: dict[str, tuple[Edit, Edit, Edit | None]] = {
    "api-path-removed": (drop(ITEM), drop((*ITEM, "delete")), None),
    "api-operation-removed": (drop((*ITEM, "delete")), describe((*ITEM, "delete")), None),
    "api-operation-added": (
        put((*ITEM, "put"), {"operationId": "putThing", "responses": {"204": {"description": "Ok."}}}),
        describe((*ITEM, "get")),
        None,
    ),
    "api-operation-id-changed": (
        put((*ITEM, "get", "operationId"), "fetchThing"),
        put((*ITEM, "get", "summary"), "Fetch."),
        None,
    ),
    "api-required-scope-changed": (
        put((*ITEM, "get", "x-required-scope"), "admin"),
        put((*ITEM, "get", "security"), []),
        None,
    ),
    "api-security-changed": (
        put((*ITEM, "get", "security"), [{"other": []}]),
        put((*ITEM, "get", "security"), []),
        None,
    ),
    "request-additional-properties-closed": (
        put((*TREQ, "additionalProperties"), False),
        put((*TREQ, "additionalProperties"), {"type": "string"}),
        put((*TREQ, "additionalProperties"), True),
    ),
    "request-parameter-removed": (
        drop((*CREATE, "parameters", 0)),
        describe((*CREATE, "parameters", 0)),
        None,
    ),
    "request-parameter-added-required": (
        add((*CREATE, "parameters"), QUERY_X),
        add((*CREATE, "parameters"), QUERY_Y),
        None,
    ),
    "request-parameter-added": (
        add((*CREATE, "parameters"), QUERY_Y),
        add((*CREATE, "parameters"), QUERY_X),
        None,
    ),
    "request-parameter-became-required": (
        put((*CREATE, "parameters", 0, "required"), True),
        describe((*CREATE, "parameters", 0)),
        None,
    ),
    "request-parameter-became-optional": (
        put((*CREATE, "parameters", 1, "required"), False),
        describe((*CREATE, "parameters", 1)),
        None,
    ),
    "request-body-became-required": (
        put((*CREATE, "requestBody", "required"), True),
        describe((*CREATE, "requestBody")),
        put((*CREATE, "requestBody", "required"), False),
    ),
    "request-body-removed": (drop((*CREATE, "requestBody")), describe((*CREATE, "requestBody")), None),
    "request-media-type-removed": (
        drop((*CREATE, "requestBody", "content", "text/plain")),
        put((*CREATE, "requestBody", "content", "text/csv"), {"schema": {"type": "string"}}),
        put((*CREATE, "requestBody", "content", "text/plain"), {"schema": {"type": "string"}}),
    ),
    "request-property-removed": (
        drop((*TREQ, "properties", "note")),
        describe((*TREQ, "properties", "note")),
        None,
    ),
    "request-property-added-required": (
        chain(put((*TREQ, "properties", "extra"), {"type": "string"}), add((*TREQ, "required"), "extra")),
        put((*TREQ, "properties", "extra"), {"type": "string"}),
        None,
    ),
    "request-property-added": (
        put((*TREQ, "properties", "extra"), {"type": "string"}),
        chain(put((*TREQ, "properties", "extra"), {"type": "string"}), add((*TREQ, "required"), "extra")),
        None,
    ),
    "request-property-became-required": (
        add((*TREQ, "required"), "size"),
        describe((*TREQ, "properties", "size")),
        None,
    ),
    "request-property-became-optional": (
        put((*TREQ, "required"), []),
        describe((*TREQ, "properties", "name")),
        None,
    ),
    "request-type-narrowed": (
        put((*TREQ, "properties", "note", "type"), "string"),
        put((*TREQ, "properties", "note", "type"), ["string", "null", "integer"]),
        put((*TREQ, "properties", "note"), NULLABLE),
    ),
    "request-type-widened": (
        put((*TREQ, "properties", "note", "type"), ["string", "null"]),
        describe((*TREQ, "properties", "note")),
        put((*TREQ, "properties", "size", "type"), "integer"),
    ),
    "request-enum-value-removed": (
        put((*TREQ, "properties", "color", "enum"), ["red"]),
        put((*TREQ, "properties", "color", "enum"), ["red", "blue", "green"]),
        None,
    ),
    "request-enum-restricted": (
        put((*TREQ, "properties", "note", "enum"), ["x"]),
        describe((*TREQ, "properties", "note")),
        None,
    ),
    "request-enum-value-added": (
        put((*TREQ, "properties", "color", "enum"), ["red", "blue", "green"]),
        put((*TREQ, "properties", "color", "enum"), ["red"]),
        None,
    ),
    "request-bound-tightened": (
        put((*TREQ, "properties", "name", "maxLength"), 32),
        put((*TREQ, "properties", "name", "maxLength"), 128),
        None,
    ),
    "request-bound-loosened": (
        put((*TREQ, "properties", "size", "minimum"), 0),
        put((*TREQ, "properties", "size", "minimum"), 2),
        None,
    ),
    "response-status-removed": (
        drop((*CREATE, "responses", "400")),
        put((*CREATE, "responses", "404"), {"description": "No."}),
        None,
    ),
    "response-status-added": (
        put((*CREATE, "responses", "404"), {"description": "No."}),
        drop((*CREATE, "responses", "400")),
        None,
    ),
    "response-media-type-removed": (
        put((*CREATE, "responses", "200", "content"), {"text/plain": {"schema": {"type": "string"}}}),
        put((*CREATE, "responses", "200", "content", "text/plain"), {"schema": {"type": "string"}}),
        None,
    ),
    "response-property-removed": (
        drop((*THING, "properties", "note")),
        describe((*THING, "properties", "note")),
        None,
    ),
    "response-property-became-optional": (
        put((*THING, "required"), ["id", "name"]),
        add((*THING, "required"), "note"),
        None,
    ),
    "response-property-became-required": (
        add((*THING, "required"), "note"),
        put((*THING, "required"), ["id", "name"]),
        None,
    ),
    "response-property-added": (
        put((*THING, "properties", "color"), {"type": "string"}),
        drop((*THING, "properties", "note")),
        None,
    ),
    "response-type-widened": (
        put((*THING, "properties", "note", "type"), ["string", "null"]),
        describe((*THING, "properties", "note")),
        None,
    ),
    "response-type-narrowed": (
        put((*THING, "properties", "note", "type"), "string"),
        describe((*THING, "properties", "note")),
        put((*THING, "properties", "note"), NULLABLE),
    ),
    "response-enum-value-added": (
        put((*THING, "properties", "state", "enum"), ["new", "done", "archived"]),
        put((*THING, "properties", "tags", "items", "enum"), ["a", "b", "c"]),
        None,
    ),
    "response-listed-enum-value-added": (
        put((*THING, "properties", "tags", "items", "enum"), ["a", "b", "c"]),
        put((*THING, "properties", "tags", "items", "enum"), ["a"]),
        None,
    ),
    "response-extensible-enum-value-added": (
        put((*THING, "properties", "mood", "enum"), ["calm", "glad"]),
        put((*THING, "properties", "state", "enum"), ["new"]),
        None,
    ),
    "response-enum-value-removed": (
        put((*THING, "properties", "state", "enum"), ["new"]),
        put((*THING, "properties", "state", "enum"), ["new", "done", "archived"]),
        None,
    ),
    "response-bound-loosened": (
        put((*THING, "properties", "name", "maxLength"), 128),
        put((*THING, "properties", "name", "maxLength"), 32),
        None,
    ),
    "response-bound-tightened": (
        put((*THING, "properties", "name", "maxLength"), 32),
        put((*THING, "properties", "name", "maxLength"), 128),
        None,
    ),
    "stream-grammar-removed": (drop(GRAMMAR), describe(GRAMMAR), None),
    "stream-grammar-added": (
        put((*DATA, "x-stream-grammars", "other"), {"framing": "data-only"}),
        describe(GRAMMAR),
        None,
    ),
    "stream-event-removed": (
        put((*GRAMMAR, "events"), {"tok": "SSEToken", "end": "SSEEnd"}),
        describe(GRAMMAR),
        None,
    ),
    "stream-event-added": (put((*GRAMMAR, "events", "metrics"), "SSEEnd"), describe(GRAMMAR), None),
    "stream-terminal-rule-changed": (
        put((*GRAMMAR, "terminal"), ["end", "token"]),
        put((*GRAMMAR, "first"), ["end"]),
        None,
    ),
    "stream-rule-changed": (
        put((*GRAMMAR, "first"), ["end"]),
        put((*GRAMMAR, "terminal"), ["end", "token"]),
        None,
    ),
    "stream-requirements-changed": (
        put((*GRAMMAR, "requirements"), ["R-ONE", "R-TWO"]),
        describe(GRAMMAR),
        None,
    ),
    "error-kind-removed": (put((*KIND, "enum"), ["INVALID_PARAMS"]), describe(KIND), None),
    "error-kind-added": (
        put((*KIND, "enum"), ["INVALID_PARAMS", "ADMISSION_REJECT", "WORKER_RESET"]),
        describe(KIND),
        None,
    ),
    "error-retry-rule-changed": (
        put((*KIND, "x-error-policy", "INVALID_PARAMS", "retriable"), True),
        put((*KIND, "x-error-policy", "INVALID_PARAMS", "statuses"), [400, 401]),
        None,
    ),
    "error-policy-status-added": (
        put((*KIND, "x-error-policy", "INVALID_PARAMS", "statuses"), [400, 401]),
        put((*KIND, "x-error-policy", "INVALID_PARAMS", "statuses"), [401]),
        None,
    ),
    "error-policy-changed": (
        put((*KIND, "x-error-policy", "INVALID_PARAMS", "statuses"), [401]),
        put((*KIND, "x-error-policy", "INVALID_PARAMS", "statuses"), [400, 401]),
        None,
    ),
    "error-reason-removed": (put((*REASON, "enum"), []), describe(REASON), None),
    "error-reason-added": (
        chain(
            put((*REASON, "enum"), ["NOT_FOUND", "GONE"]),
            put(
                (*KIND, "x-error-reasons", "GONE"),
                {"code": "INVALID_PARAMS", "status": 410, "retriable": False},
            ),
        ),
        chain(
            put((*REASON, "enum"), ["NOT_FOUND", "GONE"]),
            put((*KIND, "x-error-reasons", "GONE"), {"code": "NEW_KIND", "status": 410, "retriable": False}),
        ),
        None,
    ),
    "error-reason-mapping-changed": (
        put((*KIND, "x-error-reasons", "NOT_FOUND", "status"), 410),
        put((*KIND, "x-error-reasons", "NOT_FOUND", "retriable"), True),
        None,
    ),
    "requirement-removed": (drop((*REQS, 2)), put((*REQS, 2, "text"), "Three things hold, now."), None),
    "requirement-renamed": (
        put((*REQS, 2, "id"), "R-FOUR"),
        chain(put((*REQS, 2, "id"), "R-FOUR"), put((*REQS, 2, "text"), "Other.")),
        None,
    ),
    "requirement-added": (
        add(REQS, new_req("R-FOUR", "SHOULD", ["core"])),
        add(REQS, new_req("R-FOUR", "MUST", ["core"])),
        None,
    ),
    "requirement-added-must": (
        add(REQS, new_req("R-FOUR", "MUST", ["core"], ["feat"])),
        chain(
            put((*CAT, "profiles", "fresh"), {"description": "New."}),
            add(REQS, new_req("R-FOUR", "MUST", ["fresh"])),
        ),
        None,
    ),
    "requirement-level-raised": (put((*REQS, 1, "level"), "MUST"), put((*REQS, 0, "level"), "SHOULD"), None),
    "requirement-level-lowered": (put((*REQS, 0, "level"), "SHOULD"), put((*REQS, 1, "level"), "MUST"), None),
    "requirement-profiles-changed": (
        put((*REQS, 2, "profiles"), ["core"]),
        put((*REQS, 2, "text"), "Other."),
        None,
    ),
    "requirement-text-changed": (
        put((*REQS, 0, "text"), "One thing always holds."),
        put((*REQS, 0, "text"), "One  thing\nholds."),
        None,
    ),
    "requirement-needs-removed": (
        drop((*REQS, 1, "needs")),
        put((*REQS, 1, "needs"), ["feat", "other"]),
        None,
    ),
    "requirement-needs-added": (put((*REQS, 1, "needs"), ["feat", "other"]), drop((*REQS, 1, "needs")), None),
    "profile-removed": (
        drop((*CAT, "profiles", "extra")),
        put((*CAT, "profiles", "fresh"), {"description": "New."}),
        None,
    ),
    "profile-added": (
        put((*CAT, "profiles", "fresh"), {"description": "New."}),
        drop((*CAT, "profiles", "extra")),
        None,
    ),
    "info-version-changed": (
        put((*DATA, "info", "version"), "1.0.1"),
        put((*DATA, "info", "description"), "Other."),
        None,
    ),
    "other-change": (
        put((*DATA, "info", "description"), "Other."),
        put((*DATA, "info", "version"), "1.0.1"),
        None,
    ),
}
