"""What the two chunk streams (chat and generate) share: data-only chunks of one payload schema, the
same fields on every chunk, and a ``[DONE]`` sentinel that comes exactly once.

The grammars give both kinds the same keys (``payload``, ``sentinel``, ``sentinel_exactly_once``,
``same_fields_every_chunk``), and the sentinel rules read the same way for both; only the requirement
a repeated or missing sentinel breaks differs (CHAT-DONE-SENTINEL, GEN-DONE-SENTINEL), so each kind
makes its pair of sentinel rules here with its own. The native stream ends in a terminal event instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from llmgw_conformance.sse import Event, Transcript

from .driver import EndRule, EventRule, R, StreamState
from .violation import Judgement


class ChunkStreamState(StreamState[R]):
    """The state of a chunk stream: the grammar's sentinel, payload and same fields, chunks counted.

    These keys are read here, before the kind's own :meth:`read_grammar` (which may use them)."""

    __slots__ = ("chunks", "payload_schema", "same_fields", "sentinel", "sentinel_once")

    def __init__(
        self, g: Mapping[str, Any], request: R, tr: Transcript, verdict: Judgement, termination: str | None
    ) -> None:
        self.sentinel: str | None = g.get("sentinel")
        self.sentinel_once = bool(g.get("sentinel_exactly_once", True))
        self.same_fields: tuple[str, ...] = tuple(g.get("same_fields_every_chunk") or ())
        self.payload_schema = str(g["payload"])
        self.chunks = 0
        super().__init__(g, request, tr, verdict, termination)


def sentinel_once_rule(requirement_id: str) -> EventRule[ChunkStreamState[Any]]:
    """The event rule "one ``[DONE]``" of a chunk stream, reporting ``requirement_id``; the sentinel is
    no chunk (it settles the event)."""

    def once(s: ChunkStreamState[Any], event: Event) -> bool:
        if event.data != s.sentinel:
            return False
        if s.end_at is None:
            s.end_at = event.index
        elif s.sentinel_once:
            s.report_repeat(event, requirement_id, "sentinel_exactly_once", f"`{s.sentinel}`", s.end_at)
        return True

    return once


def sentinel_present_rule(requirement_id: str) -> EndRule[ChunkStreamState[Any]]:
    """The end rule "a stream the server ended has its ``[DONE]``" of a chunk stream."""

    def present(s: ChunkStreamState[Any]) -> None:
        end = f"data: {s.sentinel}"
        s.report_missing_end(s.end_at, requirement_id, "sentinel_exactly_once", f"`{end}`", end)

    return present
