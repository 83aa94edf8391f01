"""What the two chunk streams (chat and generate) share: data-only chunks of one payload schema, the
same fields on every chunk, and a ``[DONE]`` sentinel that comes exactly once.

The grammars give both kinds the same keys (``payload``, ``sentinel``, ``sentinel_exactly_once``,
``same_fields_every_chunk``), and the sentinel rules read the same way for both; only the requirement
a repeated or missing sentinel breaks differs (CHAT-DONE-SENTINEL, GEN-DONE-SENTINEL), so each kind's
state names it and the two rules here serve both. The native stream ends in a terminal event instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from llmgw_conformance.sse import Event

from .driver import R, StreamState


class ChunkStreamState(StreamState[R]):
    """The state of a chunk stream: the grammar's sentinel, payload and same fields, chunks counted."""

    __slots__ = ("chunks", "payload_schema", "same_fields", "sentinel", "sentinel_once")

    #: The requirement a repeated or missing sentinel breaks.
    sentinel_requirement: ClassVar[str]

    def read_grammar(self, g: Mapping[str, Any]) -> None:
        """The chunk streams' common keys; a kind reads its own after these."""
        self.sentinel: str | None = g.get("sentinel")
        self.sentinel_once = bool(g.get("sentinel_exactly_once", True))
        self.same_fields: tuple[str, ...] = tuple(g.get("same_fields_every_chunk") or ())
        self.payload_schema = str(g["payload"])
        self.chunks = 0


def sentinel_exactly_once(s: ChunkStreamState[Any], event: Event) -> bool:
    """CHAT-DONE-SENTINEL / GEN-DONE-SENTINEL: one ``[DONE]``; the sentinel is no chunk (it settles the
    event)."""
    if event.data != s.sentinel:
        return False
    if s.end_at is None:
        s.end_at = event.index
    elif s.sentinel_once:
        s.report_repeat(event, s.sentinel_requirement, "sentinel_exactly_once", f"`{s.sentinel}`", s.end_at)
    return True


def sentinel_present(s: ChunkStreamState[Any]) -> None:
    """CHAT-DONE-SENTINEL / GEN-DONE-SENTINEL: a stream the server ended has its ``[DONE]``."""
    end = f"data: {s.sentinel}"
    s.report_missing_end(s.end_at, s.sentinel_requirement, "sentinel_exactly_once", f"`{end}`", end)
