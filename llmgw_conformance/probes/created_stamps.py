"""Whether a chat stream re-stamps ``created`` per chunk: read streams until one spans a second.

Why a probe of its own: OpenAI gives every chunk of a stream the ``created`` of the completion, while
some servers (llama-server, transformers serve) stamp each chunk with the time it was made. That only
shows when a stream crosses a second boundary, and the grammar streams of a fast engine often fit
inside one second, so a single short stream passes by luck about as often as it fails. The probe
reads a long stream, stops once its chunks have arrived on both sides of a second boundary, and tries
again (up to :data:`ATTEMPTS` streams) when a stream ended inside one second. A stream that crossed a
boundary with one ``created`` is evidence that the rule held; no stream crossing one is no evidence,
and the probe says nothing.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass
from typing import Any, Final

from llmgw_conformance.context import CheckContext
from llmgw_conformance.outcomes import Exchange
from llmgw_conformance.probes.chat_streams import CHAT_PATH, chat_body

#: Streams read at most before the probe gives up on seeing a second boundary.
ATTEMPTS: Final = 4
#: How long one stream is read at most.
READ_S: Final = 1.5
#: Distance from the boundary both sides' chunks must keep, for a clock of the target that is a
#: little off the suite's (or chunks that were made a little before they arrived).
MARGIN_S: Final = 0.1
#: Tokens asked for: enough for a fast engine to stream past a second.
MAX_TOKENS: Final = 256


@dataclass(frozen=True)
class CreatedProbe:
    """What the probe saw: the distinct ``created`` values of the last stream read, whether that
    stream crossed a second boundary, and its exchange."""

    values: tuple[Any, ...]
    crossed: bool
    exchange: Exchange | None

    @property
    def restamped(self) -> bool:
        return len(self.values) > 1


def crossed_a_second(first: float, last: float) -> bool:
    """Whether some whole second lies between ``first`` and ``last`` (wall clock) with the margin."""
    return math.floor(last - MARGIN_S) > math.floor(first + MARGIN_S)


def probe_created(ctx: CheckContext) -> CreatedProbe:
    """Read up to :data:`ATTEMPTS` long chat streams; stop at the first that re-stamped or crossed."""
    probe = CreatedProbe((), False, None)
    for _ in range(ATTEMPTS):
        probe = _read_once(ctx)
        if probe.restamped or probe.crossed or probe.exchange is None:
            return probe
    return probe


def _read_once(ctx: CheckContext) -> CreatedProbe:
    body = chat_body(ctx, stream=True, max_tokens=max(ctx.options.max_tokens, MAX_TOKENS))
    arrivals: list[float] = []

    def enough(_event: Any) -> bool:
        arrivals.append(time.time())
        return crossed_a_second(arrivals[0], arrivals[-1]) or arrivals[-1] - arrivals[0] > READ_S

    result = ctx.stream("POST", CHAT_PATH, json=body, stop_when=enough)
    if result.status != 200:
        return CreatedProbe((), False, None)
    values: list[Any] = []
    for event in result.transcript.events:
        try:
            doc = json.loads(event.data)
        except ValueError:
            continue
        if isinstance(doc, dict) and "created" in doc and doc["created"] not in values:
            values.append(doc["created"])
    crossed = len(arrivals) > 1 and crossed_a_second(arrivals[0], arrivals[-1])
    return CreatedProbe(tuple(values), crossed, result.exchange)
