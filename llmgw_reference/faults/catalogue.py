"""The built-in faults: each breaks one rule of the contract, named in its `breaks` list."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from llmgw_reference.faults.base import Fault, fault, register_faults
from llmgw_reference.faults.frame_rewrite import NativeEventCopies

if TYPE_CHECKING:
    from llmgw_reference.auth import Principal
    from llmgw_reference.errors import ApiError

STALL_S = 3.0
#: Twice the kill matrix's header budget for this row (0.5 s, tools/killmatrix/plan.py ROW_LIMITS): the
#: verdict never depends on the machine's speed, and each of the row's ~26 streams waits 1 s, not 3.
HEADERS_DELAY_S = 1.0


register_faults(
    (
        "native-no-started",
        ["NAT-FIRST-STARTED", "NAT-STARTED-ONCE"],
        "Drops the started event.",
        NativeEventCopies,
        {"events": ("started",), "copies": 0},
    ),
    (
        "native-token-gap",
        ["NAT-TOKEN-INDEX", "NAT-END-TOKENS-OUT", "TASK-STATUS"],
        "Skips the token event with i=1.",
        NativeEventCopies,
        {"events": ("token",), "index": 1, "copies": 0},
    ),
    (
        "native-double-end",
        ["NAT-TERMINAL-ONCE", "NAT-NOTHING-AFTER-TERMINAL"],
        "Sends the terminal event of a native stream twice.",
        NativeEventCopies,
        {"events": ("end", "error"), "copies": 2},
    ),
)


@fault(
    "sse-wrong-content-type",
    breaks=["SSE-CONTENT-TYPE"],
    description="Sends streams with Content-Type application/json.",
)
class SSEWrongContentType(Fault):
    def sse_headers(self, headers: dict[str, str]) -> dict[str, str]:
        return headers | {"content-type": "application/json"}


@fault(
    "error-missing-retry-after",
    breaks=["ERR-RETRY-AFTER", "OAI-RETRY-AFTER"],
    description="Drops the Retry-After header from retriable errors.",
)
class ErrorMissingRetryAfter(Fault):
    def error_headers(self, err: ApiError, headers: dict[str, str]) -> dict[str, str]:
        return {k: v for k, v in headers.items() if k.lower() != "retry-after"}


@fault(
    "auth-ignored",
    breaks=["AUTH-REQUIRED", "AUTH-INVALID-KEY", "AUTH-SCOPE"],
    description="Accepts requests without a key, with an unknown key, or without the scope.",
)
class AuthIgnored(Fault):
    def authenticate(self, principal: Principal | None) -> Principal | None:
        from llmgw_reference.auth import Principal
        from llmgw_reference.config import ALL_SCOPES

        return Principal(key_label="anonymous", scopes=frozenset(ALL_SCOPES))


@fault(
    "cancel-ignored",
    breaks=["CANCEL-DISCONNECT"],
    description="Keeps generating (and holding the slot) after the client disconnects.",
)
class CancelIgnored(Fault):
    def disconnect_cancels(self, cancels: bool) -> bool:
        return False


@fault(
    "stream-stall",
    breaks=["SSE-NO-STALL"],
    description="Stalls every stream for 3 s after its third write, heartbeats included.",
)
class StreamStall(Fault):
    async def before_sse_write(self, written: int) -> None:
        if written == 3:
            await asyncio.sleep(STALL_S)


@fault(
    "headers-delayed",
    breaks=["SSE-HEADERS-PROMPT"],
    description=f"Holds the status line and headers of every stream for {HEADERS_DELAY_S:g} s.",
)
class HeadersDelayed(Fault):
    async def before_sse_headers(self) -> None:
        await asyncio.sleep(HEADERS_DELAY_S)


# The fault families in their own modules register on import.
from llmgw_reference.faults import (  # noqa: E402,F401  isort: skip
    accounts,
    answer_keys,
    answers,
    resource_answers,
    chat_grammar,
    concurrency,
    differential,
    envelope,
    error_values,
    framing,
    generate_grammar,
    ignored_fields,
    native_grammar,
    semantics,
    image_parts,
)
