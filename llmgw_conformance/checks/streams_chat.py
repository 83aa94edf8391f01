"""Chat completion streams: grammar, usage, token limit, tool-call deltas, errors before the stream.

Each check sends a few small, seeded requests (``max_tokens`` from the options, so a real target spends
little), reads the answers with the strict reader and judges them with
:func:`llmgw_conformance.grammar.judge_chat`; usage is compared with the same request without streaming.
"""

from __future__ import annotations

from typing import Any, Final

from llmgw_conformance.context import CheckContext, Response
from llmgw_conformance.grammar import Judgement
from llmgw_conformance.outcomes import Exchange
from llmgw_conformance.probes.chat_streams import CHAT_PATH, CHAT_STREAMS, chat_body
from llmgw_conformance.probes.created_stamps import probe_created
from llmgw_conformance.probes.openai_answers import answer_object
from llmgw_conformance.probes.stream_findings import FRAMING_REQUIREMENTS, judge_refused_before_stream
from llmgw_conformance.probes.stream_kinds import grammar_verdicts, judged_stream, judged_variants
from llmgw_conformance.probes.token_limits import RERUN_EXTRA_TOKENS, judge_stop_at_limit
from llmgw_conformance.probes.verdicts import Verdicts
from llmgw_conformance.registry import check

GRAMMAR_REQUIREMENTS: Final = (
    *FRAMING_REQUIREMENTS,
    "CHAT-DONE-SENTINEL",
    "CHAT-NOTHING-AFTER-DONE",
    "CHAT-CHUNK-ID-STABLE",
    "CHAT-ROLE-FIRST",
    "CHAT-FINISH-ONCE",
    "CHAT-FINISH-VALUE",
    "CHAT-USAGE-CHUNK",
    "CHAT-USAGE-ABSENT",
)


@check("chat-stream-grammar", requirements=GRAMMAR_REQUIREMENTS, profiles=["openai-chat"])
def chat_stream_grammar(ctx: CheckContext) -> None:
    """A chat stream, with and without include_usage, follows the chat-chunks grammar and SSE framing."""
    streams = [
        ("chat stream", chat_body(ctx, stream=True)),
        (
            "chat stream with include_usage",
            chat_body(ctx, stream=True, stream_options={"include_usage": True}),
        ),
    ]
    with grammar_verdicts(ctx, CHAT_STREAMS, GRAMMAR_REQUIREMENTS) as verdicts:
        if judged_variants(ctx, verdicts, CHAT_STREAMS, streams, GRAMMAR_REQUIREMENTS) is None:
            return
        changed = None if verdicts.failed_any(ID_STABLE) else _created_across_seconds(ctx)
        if changed is not None:
            verdicts.fail(ID_STABLE, changed[0], expected="one created value", **changed[1])


ID_STABLE: Final = "CHAT-CHUNK-ID-STABLE"


def _created_across_seconds(ctx: CheckContext) -> tuple[str, dict[str, Any]] | None:
    """A failure of ID_STABLE when a stream that crossed a second re-stamped ``created``, else None."""
    probe = probe_created(ctx)
    if not probe.restamped:
        return None
    first, second = probe.values[:2]
    return (
        f"created changed within one stream: {first!r} then {second!r}",
        {"received": ", ".join(map(repr, probe.values[:5])), "exchanges": [probe.exchange]},
    )


def _usage(response: Response) -> dict[str, Any] | None:
    return answer_object(response, "usage")


def _finish(response: Response) -> str | None:
    try:
        choices = response.json().get("choices") or []
        return str(choices[0].get("finish_reason"))
    except (ValueError, AttributeError, IndexError, TypeError):
        return None


USAGE_REQUIREMENTS: Final = ("CHAT-USAGE-TOTAL", "CHAT-USAGE-EQUAL", "CHAT-MAX-TOKENS")


@check("chat-usage", requirements=USAGE_REQUIREMENTS, profiles=["openai-chat"])
def chat_usage(ctx: CheckContext) -> None:
    """Usage adds up, streamed and JSON usage agree, and the token limit holds and says `length`."""
    limit = max(1, min(4, ctx.options.max_tokens))
    body = chat_body(ctx, max_tokens=limit)
    with Verdicts(
        ctx, USAGE_REQUIREMENTS, judged_in_streams=("CHAT-USAGE-TOTAL", "CHAT-MAX-TOKENS")
    ) as verdicts:
        plain = ctx.request("POST", CHAT_PATH, json=body)
        if plain.status != 200:
            for rid in USAGE_REQUIREMENTS:
                verdicts.skip(rid, f"a valid chat request was answered {plain.status}: {plain.text[:200]}")
            return
        stream_body = dict(body, stream=True, stream_options={"include_usage": True})
        judgement = judged_stream(
            ctx, verdicts, CHAT_STREAMS, "chat stream with include_usage", stream_body, ()
        )
        json_usage = _usage(plain)
        evidence = [plain.exchange, *(s.exchange for s in verdicts.streams)]
        _judge_json_usage(verdicts, json_usage, limit, evidence)
        if (
            _finish(plain) == "stop"
            and isinstance(json_usage, dict)
            and json_usage.get("completion_tokens") == limit
        ):
            _stopped_by_limit(ctx, verdicts, body, limit)
        _usage_equal(verdicts, plain, judgement, evidence)


def _usage_equal(
    verdicts: Verdicts, plain: Response, judgement: Judgement | None, evidence: list[Exchange]
) -> None:
    """CHAT-USAGE-EQUAL: the include_usage stream's usage equals the JSON answer's for one request."""
    json_usage, stream_usage = _usage(plain), judgement.summary.get("usage") if judgement else None
    if not isinstance(json_usage, dict) or not isinstance(stream_usage, dict):
        verdicts.skip("CHAT-USAGE-EQUAL", "usage missing from the JSON answer or the include_usage stream")
        return
    finish = judgement.summary.get("finish") if judgement else None
    finishes = {_finish(plain), *(finish.values() if isinstance(finish, dict) else ())}
    keys = ["prompt_tokens"] + (["completion_tokens"] if finishes == {"length"} else [])
    differ = [k for k in keys if json_usage.get(k) != stream_usage.get(k)]
    if verdicts.expect(
        "CHAT-USAGE-EQUAL",
        not differ,
        f"streamed and JSON usage differ in {differ} for the same request",
        expected=str({k: json_usage.get(k) for k in keys}),
        received=str({k: stream_usage.get(k) for k in keys}),
        exchanges=evidence,
    ):
        verdicts.passed("CHAT-USAGE-EQUAL", f"equal {keys}", exchanges=evidence)


#: What a JSON answer's usage breaks: (requirement, message, expected, received).
UsageProblem = tuple[str, str, str | None, str | None]


def _judge_json_usage(
    verdicts: Verdicts, usage: dict[str, Any] | None, limit: int, evidence: list[Exchange]
) -> None:
    """CHAT-USAGE-TOTAL and CHAT-MAX-TOKENS on the JSON answer (the stream's usage is the grammar's);
    only failures: a pass needs the stream too, which the stream verdicts report."""
    for rid, message, expected, received in _json_usage_problems(usage, limit):
        verdicts.fail(rid, message, expected=expected, received=received, exchanges=evidence)


def _json_usage_problems(usage: dict[str, Any] | None, limit: int) -> list[UsageProblem]:
    if usage is None:
        return [("CHAT-USAGE-TOTAL", "the JSON answer has no usage object", None, None)]
    p, c, t = (usage.get(k) for k in ("prompt_tokens", "completion_tokens", "total_tokens"))
    if not (isinstance(p, int) and isinstance(c, int) and isinstance(t, int)):
        return [("CHAT-USAGE-TOTAL", f"usage is not three integers: {usage}", None, None)]
    problems: list[UsageProblem] = []
    if t != p + c:
        problems.append(("CHAT-USAGE-TOTAL", "JSON usage: total_tokens is not the sum", str(p + c), str(t)))
    if c > limit:
        message = f"JSON answer: {c} completion tokens with max_tokens {limit}"
        problems.append(("CHAT-MAX-TOKENS", message, f"at most {limit}", str(c)))
    return problems


def _stopped_by_limit(ctx: CheckContext, verdicts: Verdicts, body: dict[str, Any], limit: int) -> None:
    """CHAT-MAX-TOKENS' second half, by differential: exactly ``max_tokens`` with ``stop`` is a deviation
    only if the same seeded temperature-0 request with a higher limit goes on (a model may end on its
    last allowed token, and servers count the end token)."""
    rerun = ctx.request("POST", CHAT_PATH, json=dict(body, max_tokens=limit + RERUN_EXTRA_TOKENS))
    more = (_usage(rerun) or {}).get("completion_tokens")
    cut = f"a choice cut by max_tokens {limit}"
    judge_stop_at_limit(verdicts, "CHAT-MAX-TOKENS", cut, limit, more, [rerun.exchange])


@check("chat-errors-before-stream", requirements=["CHAT-ERRORS-BEFORE-STREAM"], profiles=["openai-chat"])
def chat_errors_before_stream(ctx: CheckContext) -> None:
    """Streaming requests that are invalid up front get a non-2xx JSON error, never a 200 stream.

    Judged by differential: each invalid body is first sent without ``stream``. A target that
    *accepts* it there (a completion comes back) has one defect, judged by the requirement about
    that input (OAI-RANGE-REJECT, OAI-UNKNOWN-MODEL, ...); its 200 stream is the same defect, not a
    second one, so that case is not judged here. Only bodies the target refuses are streamed.
    """
    with Verdicts(ctx, ["CHAT-ERRORS-BEFORE-STREAM"]) as verdicts:
        bad = [
            ("out-of-range temperature", chat_body(ctx, temperature=5)),
            ("n of 0", chat_body(ctx, n=0)),
            ("unknown model", chat_body(ctx, model=f"no-such-model-{ctx.rng.randrange(10**6)}")),
            ("unknown field", chat_body(ctx, frobnicate=True)),
        ]
        failed, judged, accepted = False, 0, []
        exchanges = []
        for label, body in bad:
            plain = ctx.request("POST", CHAT_PATH, json=body)
            if _is_completion(plain):
                accepted.append(label)
                continue
            result = ctx.stream("POST", CHAT_PATH, json=dict(body, stream=True))
            evidence = [plain.exchange, result.exchange]
            exchanges += evidence
            what = (
                f"{label}: refused without streaming ({plain.status}), but the same request with stream true"
            )
            refused = judge_refused_before_stream(
                ctx, verdicts, "CHAT-ERRORS-BEFORE-STREAM", what, result, evidence=evidence
            )
            if refused is None:
                return
            judged += 1
            failed |= not refused
        if failed:
            return
        if not judged:
            verdicts.skip(
                "CHAT-ERRORS-BEFORE-STREAM",
                f"the target accepted every invalid request without streaming too ({', '.join(accepted)}); "
                "those acceptances are judged by their own requirements, so no refusal was left to stream",
            )
            return
        verdicts.passed(
            "CHAT-ERRORS-BEFORE-STREAM",
            f"{judged} invalid stream request(s) got a JSON error before the stream"
            + (f" (not judged, accepted without streaming too: {', '.join(accepted)})" if accepted else ""),
            exchanges=exchanges,
        )


def _is_completion(response: Response) -> bool:
    """A 2xx answer that is a chat completion (not an error object sent with a 2xx status)."""
    if not 200 <= response.status < 300:
        return False
    try:
        doc = response.json()
    except ValueError:
        return False
    return isinstance(doc, dict) and "choices" in doc and "error" not in doc
