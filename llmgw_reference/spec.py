"""The contract as the reference server reads it at start-up.

Why: scopes (`x-required-scope`), the OpenAI error shape (tag `openai`) and the error rules
(`x-error-policy`, `x-error-reasons`) must come from the contract files, never be re-typed here,
so a contract change cannot silently drift from the server.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from llmgw_contracts import CLIENT_SPECS, contract_files

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


@dataclass(frozen=True)
class Operation:
    """One operation of the contract: where it lives and what it needs."""

    operation_id: str
    method: str  # upper case
    path: str  # template, e.g. /v1/tasks/{task_id}
    scope: str | None  # None: no key needed
    openai: bool  # errors use OpenAIErrorResponse
    state_changing: bool
    statuses: frozenset[str]
    has_body: bool = False


@dataclass(frozen=True)
class PathEntry:
    """All operations of one path template, with the regex that matches concrete paths."""

    template: str
    pattern: re.Pattern[str]
    operations: dict[str, Operation]  # by upper-case method

    @property
    def openai(self) -> bool:
        return any(op.openai for op in self.operations.values())


def _load(name: str) -> dict[str, Any]:
    """One OpenAPI document of the shipped contract, from the shared loader (parsed once)."""
    return contract_files().spec(name)


def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    body = "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
    return re.compile(f"^{body}$")


@cache
def path_entries() -> tuple[PathEntry, ...]:
    """Every path of control.yaml and data.yaml (literal paths before templated ones)."""
    entries: list[PathEntry] = []
    for name in CLIENT_SPECS:
        doc = _load(name)
        has_global_security = bool(doc.get("security"))
        for template, item in (doc.get("paths") or {}).items():
            ops: dict[str, Operation] = {}
            for method in HTTP_METHODS:
                op = item.get(method)
                if not isinstance(op, dict):
                    continue
                secured = has_global_security and op.get("security", None) != []
                scope = op.get("x-required-scope") if secured else None
                if secured and scope is None:
                    scope = "inference"
                ops[method.upper()] = Operation(
                    operation_id=str(op["operationId"]),
                    method=method.upper(),
                    path=template,
                    scope=scope,
                    openai="openai" in (op.get("tags") or []),
                    state_changing=bool(op.get("x-state-changing", False)),
                    statuses=frozenset(str(s) for s in (op.get("responses") or {})),
                    has_body="requestBody" in op,
                )
            entries.append(PathEntry(template, _template_regex(template), ops))
    entries.sort(key=lambda e: ("{" in e.template, e.template))
    return tuple(entries)


def match_path(path: str) -> PathEntry | None:
    """The contract path a concrete request path belongs to, or None."""
    for entry in path_entries():
        if entry.pattern.match(path):
            return entry
    return None


def operations() -> list[Operation]:
    """Every operation of the contract."""
    return [op for entry in path_entries() for op in entry.operations.values()]


@cache
def error_policy() -> dict[str, dict[str, Any]]:
    """`x-error-policy` of ErrorKind: code -> {statuses, in_stream, retriable, backpressure}."""
    kind = _load("common.yaml")["components"]["schemas"]["ErrorKind"]
    policy: dict[str, dict[str, Any]] = kind["x-error-policy"]
    return policy


@cache
def error_reasons() -> dict[str, dict[str, Any]]:
    """`x-error-reasons` of ErrorKind: reason -> {code, status, retriable}."""
    kind = _load("common.yaml")["components"]["schemas"]["ErrorKind"]
    reasons: dict[str, dict[str, Any]] = kind["x-error-reasons"]
    return reasons


def api_version() -> str:
    """The contract version, e.g. `1.0` (major.minor of the data plane's info.version)."""
    version = str(_load("data.yaml")["info"]["version"])
    return ".".join(version.split(".")[:2])
