"""Whether a chat stream re-stamps ``created`` per chunk: read streams until one spans a second.

Why a probe of its own: OpenAI gives every chunk of a stream the ``created`` of the completion, while
some servers (llama-server, transformers serve) stamp each chunk with the time it was made. That only
shows when a stream crosses a second boundary, and the grammar streams of a fast engine often fit
inside one second (llama-server streams 256 tokens of a tiny model in 0.1 s), so a single stream
passes by luck. The probe reads a long stream and stops once its chunks have arrived on both sides of
a second boundary. When a stream ended inside one second, the next one is sent so that the middle of
the stream, as the last one timed it (first chunk after ``lead_s``, lasting ``span_s``), falls on a
whole second; up to :data:`ATTEMPTS` streams. A stream that crossed a boundary with one ``created`` is
evidence that the rule held; no stream crossing one is no evidence, and the probe says nothing.
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
#: little off the suite's (or chunks that were made a little before they arrived). Small, because a
#: fast engine's whole stream may last 0.1 s; a wrong "crossed" can only cost a missed failure,
#: never a false one (two ``created`` values fail whatever the clocks say).
MARGIN_S: Final = 0.02
#: Tokens asked for: enough for a fast engine to stream past a second.
MAX_TOKENS: Final = 256


@dataclass(frozen=True)
class CreatedProbe:
    """What the probe saw: the distinct ``created`` values of the last stream read, whether that
    stream crossed a second boundary, and its exchange."""

    values: tuple[Any, ...]
    crossed: bool
    exchange: Exchange | None
    #: Seconds from sending the request to the first chunk, and from the first chunk to the last.
    lead_s: float = 0.0
    span_s: float = 0.0

    @property
    def restamped(self) -> bool:
        return len(self.values) > 1

    @property
    def can_straddle(self) -> bool:
        """Whether a stream as long as this one can show chunks on both sides of a boundary (one
        lasting a few milliseconds cannot, and waiting for the next second would be time lost)."""
        return self.span_s > 2 * MARGIN_S

    def start_for_a_boundary(self, now: float) -> float:
        """When to send the next stream so that its middle falls on a whole second after ``now``."""
        to_middle = self.lead_s + self.span_s / 2
        return math.ceil(now + to_middle + MARGIN_S) - to_middle


def crossed_a_second(first: float, last: float) -> bool:
    """Whether some whole second lies between ``first`` and ``last`` (wall clock) with the margin."""
    return math.floor(last - MARGIN_S) > math.floor(first + MARGIN_S)


def probe_created(ctx: CheckContext) -> CreatedProbe:
    """Read up to :data:`ATTEMPTS` long chat streams; stop at the first that re-stamped or crossed."""
    probe = _read_once(ctx)
    for _ in range(ATTEMPTS - 1):
        if probe.restamped or probe.crossed or probe.exchange is None or not probe.can_straddle:
            return probe
        time.sleep(max(0.0, probe.start_for_a_boundary(time.time()) - time.time()))
        probe = _read_once(ctx)
    return probe


def _read_once(ctx: CheckContext) -> CreatedProbe:
    body = chat_body(ctx, stream=True, max_tokens=max(ctx.options.max_tokens, MAX_TOKENS))
    arrivals: list[float] = []
    sent = time.time()

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
    if not arrivals:
        return CreatedProbe(tuple(values), False, result.exchange)
    crossed = crossed_a_second(arrivals[0], arrivals[-1])
    return CreatedProbe(
        tuple(values), crossed, result.exchange, arrivals[0] - sent, arrivals[-1] - arrivals[0]
    )
