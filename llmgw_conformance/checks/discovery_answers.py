"""The answers discovery got (capabilities, models, the probes) judged for leaks.

Why: deciding profiles from positive evidence means a surface that answers a valid request with a
500 is *not supported*, and none of its checks run. Its answer is still an answer of the target: a
LiteLLM proxy answers a valid ``POST /v1/rerank`` with a 500 whose JSON message holds a Python
traceback with file paths. That leak breaks RESP-NO-TRACEBACK whatever the target serves, so the
probe answers are scanned here (decoded JSON strings too, :mod:`llmgw_conformance.leaks`) instead of
being lost with the profile.
"""

from __future__ import annotations

from llmgw_conformance.context import CheckContext
from llmgw_conformance.leaks import find_leaks
from llmgw_conformance.probes.verdicts import Verdicts
from llmgw_conformance.registry import check


@check("discovery-answers", requirements=["RESP-NO-TRACEBACK"], profiles=["openai-chat"])
def discovery_answers(ctx: CheckContext) -> None:
    """No answer discovery got (capabilities, models, profile and feature probes) shows a leak."""
    with Verdicts(ctx, ["RESP-NO-TRACEBACK"]) as verdicts:
        exchanges = list(ctx.target.exchanges)
        answered = [e for e in exchanges if e.status]
        if not answered:
            verdicts.skip("RESP-NO-TRACEBACK", "discovery got no answer to judge")
            return
        for exchange in answered:
            error_answer = not 200 <= (exchange.status or 0) < 300
            leaks = find_leaks(exchange.response_body or "", error_answer=error_answer)
            # Internal exception wording is RESP-NO-INTERNAL-TEXT (SHOULD), judged on the checks' own answers.
            frames = [leak for leak in leaks if not leak.secret and not leak.internal]
            if frames:
                path = exchange.url.split("//", 1)[-1].partition("/")[2]
                verdicts.fail(
                    "RESP-NO-TRACEBACK",
                    f"the answer to discovery's {exchange.method} /{path} ({exchange.status}) shows "
                    + "; ".join(leak.kind for leak in frames),
                    expected="no stack frame, internal exception text or server path in any answer",
                    received="\n".join(f"{leak.kind}: {leak.excerpt!r}" for leak in frames),
                    exchanges=[exchange],
                )
                return
        verdicts.passed(
            "RESP-NO-TRACEBACK", f"{len(answered)} discovery answers show no leak", exchanges=answered[:1]
        )
