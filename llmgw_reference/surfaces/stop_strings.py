"""Stop strings applied to a token stream, identically for streamed and non-streamed answers.

Why a holdback: a stop string can straddle tokens, so text that could be the start of one is held
back until the next token settles it.  Streamed deltas therefore never contain text past a stop
string, and their concatenation equals the non-streamed text (both run through this class).
"""

from __future__ import annotations


class StopMatcher:
    """Feed token texts; get the text safe to emit, and whether a stop string was hit."""

    def __init__(self, stops: tuple[str, ...] | list[str]) -> None:
        self._stops = tuple(s for s in stops if s)
        self._hold = max((len(s) for s in self._stops), default=1) - 1
        self._pending = ""
        self.stopped = False

    def feed(self, text: str) -> str:
        """Text that may be emitted after ``text`` arrives; nothing once a stop string was found."""
        if not self._stops:  # the common case, once per token: nothing to hold back
            return text
        if self.stopped:
            return ""
        buffer = self._pending + text
        cut = min((i for i in (buffer.find(s) for s in self._stops) if i >= 0), default=-1)
        if cut >= 0:
            self.stopped = True
            self._pending = ""
            return buffer[:cut]
        if self._hold == 0:
            self._pending = ""
            return buffer
        keep = min(self._hold, len(buffer))
        self._pending = buffer[len(buffer) - keep :]
        return buffer[: len(buffer) - keep]

    def flush(self) -> str:
        """The held-back text once the stream ended without a stop string."""
        if self.stopped:
            return ""
        rest, self._pending = self._pending, ""
        return rest
