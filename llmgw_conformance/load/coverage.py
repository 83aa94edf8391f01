"""Which requirements each kind of answer judges under load.

Why a fixed list and not "whatever the judges reported": a requirement a judge checked and found
held must be counted as held on that stream, so the report can say "held on 1,840 streams under
load"; the judges only report what broke. These are the rules the grammar judges check on every
stream of the kind (the framing ones included); rules they only check on some requests (tool calls,
``n`` above 1) are left out, and ids the catalogue lacks are dropped (:func:`known`).
"""

from __future__ import annotations

from functools import cache
from typing import Final

from llmgw_conformance.contract import load_contract

_FRAMING: Final = ("SSE-CONTENT-TYPE", "SSE-FRAMING-VALID", "SSE-DATA-JSON", "SSE-STREAM-ENDS")
_CHAT: Final = ("CHAT-DONE-SENTINEL", "CHAT-NOTHING-AFTER-DONE", "CHAT-CHUNK-ID-STABLE", "CHAT-MAX-TOKENS")
ON_STREAM: Final[dict[str, tuple[str, ...]]] = {
    "chat": (*_FRAMING, *_CHAT, "CHAT-USAGE-ABSENT"),
    "chat-usage": (*_FRAMING, *_CHAT, "CHAT-USAGE-CHUNK", "CHAT-USAGE-TOTAL"),
    "task": (
        *_FRAMING,
        "NAT-FIRST-STARTED",
        "NAT-STARTED-ONCE",
        "NAT-TERMINAL-ONCE",
        "NAT-NOTHING-AFTER-TERMINAL",
        "NAT-TOKEN-INDEX",
        "NAT-END-TOKENS-OUT",
        "NAT-MAX-TOKENS",
        "BP-BURST-NO-LOSS",
    ),
    "generate": (*_FRAMING, "GEN-DONE-SENTINEL", "GEN-DONE-ONCE", "GEN-SEQ", "GEN-MAX-NEW-TOKENS"),
}
#: Judged only on refusals (and drop events): skipped, with the highest load, when none came.
ON_REFUSAL: Final = (
    "BP-QUEUE-BOUNDED",
    "ERR-RETRY-AFTER",
    "ERR-POLICY-LABEL",
    "OAI-RETRY-AFTER",
    "BP-DROP-LRU-EVENT",
)
#: Judged once the load stopped: the target answers again (see llmgw_conformance.load.recovery).
RECOVERY: Final = "BP-QUEUE-BOUNDED"


@cache
def known() -> frozenset[str]:
    """Every requirement id of the catalogue."""
    return frozenset(load_contract().requirements)


def judged_on_stream(kind: str) -> tuple[str, ...]:
    """The catalogue requirements judged on every admitted stream of ``kind``."""
    return tuple(r for r in ON_STREAM.get(kind, ()) if r in known())


def judged_in_run(kinds: list[str]) -> list[str]:
    """Every requirement a load run over ``kinds`` can judge, in a stable order."""
    out: list[str] = []
    for kind in kinds:
        out += [r for r in judged_on_stream(kind) if r not in out]
    native = any(k in ("task", "generate") for k in kinds)
    chat = any(k in ("chat", "chat-usage") for k in kinds)
    for req in ON_REFUSAL:
        wanted = (req == "OAI-RETRY-AFTER" and chat) or (req != "OAI-RETRY-AFTER" and native)
        if wanted and req in known() and req not in out:
            out.append(req)
    return out
