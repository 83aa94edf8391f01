"""The contract's operations as checks enumerate them: by profile, with a harmless concrete path.

Why: auth, profile-honesty and schema-driven checks walk "every operation of the profiles the
target claims". The loaded contract lists operations (``operations()``); this module adds the
filtering by profile and a way to fill path templates with well-formed values that name nothing
(so a probe cannot touch a real resource).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from llmgw_conformance.context import CheckContext

#: Values for path parameters that are valid by the schemas and name no existing resource.
_PLACEHOLDERS = {
    "task_id": lambda: str(uuid.uuid4()),
    "session_id": lambda: str(uuid.uuid4()),
    "model_id": lambda: f"conf-probe-{uuid.uuid4().hex[:8]}",
    "pool_id": lambda: f"conf-probe-{uuid.uuid4().hex[:8]}",
}


def all_operations(ctx: CheckContext) -> list[Mapping[str, Any]]:
    """Every operation of the contract (each with ``method``, ``path``, ``spec`` keys)."""
    return [op for op in ctx.contract.operations() if isinstance(op, Mapping)]


def operations_in(ctx: CheckContext, profiles: Iterable[str]) -> list[Mapping[str, Any]]:
    """Operations whose ``x-profiles`` name one of ``profiles``."""
    wanted = set(profiles)
    return [op for op in all_operations(ctx) if wanted & set(op.get("x-profiles", ()))]


def is_openai_surface(operation: Mapping[str, Any]) -> bool:
    """Whether the operation answers errors with OpenAIErrorResponse (tag ``openai``)."""
    return "openai" in operation.get("tags", ())


def concrete_path(operation: Mapping[str, Any], model: str | None = None) -> str:
    """The operation's path with every ``{param}`` replaced by a harmless well-formed value."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "model" and model:
            return model
        maker = _PLACEHOLDERS.get(name)
        return maker() if maker else f"conf-probe-{uuid.uuid4().hex[:8]}"

    return re.sub(r"\{([^}]+)\}", fill, str(operation["path"]))


def operation_label(operation: Mapping[str, Any]) -> str:
    """``operationId (METHOD /path)`` for messages."""
    return f"{operation.get('operationId')} ({operation['method']} {operation['path']})"
