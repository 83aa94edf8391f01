"""OAI-RETRY-AFTER under load: a bounded burst of tiny chat requests, in the backpressure profile only.

A healthy idle target never answers 429 or 503, so the rule can only be seen by overloading it, which
is what the backpressure profile exists for (never a default: it loads the target). The burst is
bounded: twice the declared queue capacity plus :data:`BURST_EXTRA`, at most :data:`BURST_MAX`
requests, all in flight at once. A target whose slots free faster than the burst arrives (the
reference's defaults) never refuses a burst of short requests, so the burst is repeated with longer
answers (:data:`BURST_TOKEN_STEPS`, capped by the target's ``max_tokens``) until one is refused.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Final

from llmgw_conformance.context import CheckContext, Response
from llmgw_conformance.probes.chat_streams import CHAT_PATH
from llmgw_conformance.probes.openai_answers import judge_retry_after, tiny_chat
from llmgw_conformance.probes.stream_findings import limits
from llmgw_conformance.probes.verdicts import Verdicts
from llmgw_conformance.registry import check

BURST_EXTRA: Final = 64
BURST_MAX: Final = 256
#: Tokens per request: enough to hold a slot for a moment, cheap on a real target.
BURST_TOKENS: Final = 16
#: Tokens per request of each step of the burst (the first step is the cheap one).
BURST_TOKEN_STEPS: Final = (BURST_TOKENS, 256, 2048)


def burst_size(ctx: CheckContext) -> int:
    """Requests sent at once: beyond what the target says it can queue, never above BURST_MAX."""
    capacity = limits(ctx).get("queue_capacity")
    queued = (
        capacity if isinstance(capacity, int) and not isinstance(capacity, bool) and capacity >= 0 else 32
    )
    return min(2 * queued + BURST_EXTRA, BURST_MAX)


@check("oai-retry-after-burst", requirements=["OAI-RETRY-AFTER"], profiles=["backpressure"])
def oai_retry_after_burst(ctx: CheckContext) -> None:
    """Under a burst, every 429 or 503 of the chat surface carries Retry-After in whole seconds >= 1."""
    with Verdicts(ctx, ["OAI-RETRY-AFTER"]) as verdicts:
        size = burst_size(ctx)
        cap = limits(ctx).get("max_tokens")
        answers: list[Response] = []
        for tokens in BURST_TOKEN_STEPS:
            body = tiny_chat(ctx, max_tokens=min(tokens, cap) if isinstance(cap, int) and cap > 0 else tokens)

            def send(_: int, body: dict[str, object] = body) -> Response:
                return ctx.request("POST", CHAT_PATH, json=body)

            with ThreadPoolExecutor(max_workers=size) as pool:
                answers += list(pool.map(send, range(size)))
            if any(a.status in (429, 503) for a in answers):
                break
        judge_retry_after(verdicts, answers)
