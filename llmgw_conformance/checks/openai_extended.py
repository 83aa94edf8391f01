"""The optional OpenAI features (profile openai-extended): n choices, logprobs, tools, LoRA adapters.

Each check needs the feature it tests (``Capabilities.features``); a target that does not claim it gets
"not supported" from the runner, never a failure.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from typing import Any, Final

from llmgw_conformance.context import CheckContext, Response, StreamResult
from llmgw_conformance.grammar import Judgement
from llmgw_conformance.probes.chat_streams import CHAT_PATH, CHAT_STREAMS
from llmgw_conformance.probes.openai_answers import (
    RECEIVED_CHARS,
    Refusal,
    answer_object,
    pass_if_refused,
    tiny_chat,
)
from llmgw_conformance.probes.stream_findings import is_stream
from llmgw_conformance.probes.stream_kinds import judged_stream
from llmgw_conformance.probes.verdicts import Verdicts
from llmgw_conformance.registry import check

#: Token ids pushed to the bottom (bias -100), so their logprobs are extreme or -inf.
SUPPRESSED: Final = {str(i): -100 for i in range(16)}
#: Choices asked for with ``n``, and the token limit of that request: one token, so every choice of
#: a real model finishes with ``length`` (unless its first token ends the answer) and the request's
#: completion tokens are known to be at least N_CHOICES x N_TOKEN_LIMIT (OAI-N-USAGE).
N_CHOICES: Final = 2
N_TOKEN_LIMIT: Final = 1
WEATHER_TOOL: Final = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather of a city.",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}


def _choices(response: Response) -> list[Any] | None:
    try:
        choices = response.json()["choices"]
    except (ValueError, KeyError, TypeError):
        return None
    return choices if isinstance(choices, list) else None


def _finished_choices(result: StreamResult) -> set[int]:
    """The indexes of the choices a chat stream finished (a chunk with their ``finish_reason`` set)."""
    finished: set[int] = set()
    for event in result.transcript.events:
        try:
            choices = json.loads(event.data).get("choices")
        except (ValueError, AttributeError):
            continue
        for choice in choices if isinstance(choices, list) else []:
            index = choice.get("index") if isinstance(choice, dict) else None
            if isinstance(index, int) and choice.get("finish_reason") is not None:
                finished.add(index)
    return finished


def _skip_n_usage(verdicts: Verdicts, reason: str) -> str:
    verdicts.skip("OAI-N-USAGE", reason)
    return reason


def _judge_n_usage(verdicts: Verdicts, plain: Response, finishes: list[Any], limit: int) -> str | None:
    """OAI-N-USAGE on the plain n=2 answer: judged only when both choices finished with ``length``
    (each then produced exactly ``limit`` tokens, so the request's floor is known) and the answer
    has an integer ``usage.completion_tokens``; anything else is no evidence, so a skip, whose reason
    is returned (the stream may still judge the rule)."""
    if plain.status != 200 or len(finishes) != N_CHOICES:
        return _skip_n_usage(verdicts, f"n={N_CHOICES} did not give {N_CHOICES} choices (see CHAT-N-CHOICES)")
    if any(finish != "length" for finish in finishes):
        return _skip_n_usage(verdicts, f"not every choice finished with length ({finishes}): no known floor")
    usage = answer_object(plain, "usage")
    completion = usage.get("completion_tokens") if usage else None
    if not isinstance(completion, int) or isinstance(completion, bool):
        return _skip_n_usage(verdicts, "the n=2 answer has no integer usage.completion_tokens")
    floor = N_CHOICES * limit
    if verdicts.expect(
        "OAI-N-USAGE",
        completion >= floor,
        f"usage.completion_tokens {completion} counts fewer tokens than {N_CHOICES} choices cut at {limit}",
        answer=plain,
        expected=f"completion_tokens >= {floor} ({N_CHOICES} choices x max_tokens {limit})",
        received=f"completion_tokens {completion}",
    ):
        verdicts.passed(
            "OAI-N-USAGE",
            f"completion_tokens {completion} covers {N_CHOICES} choices cut at {limit} tokens",
            exchanges=[plain.exchange],
        )
    return None


@check(
    "oai-n",
    requirements=["CHAT-N-CHOICES", "OAI-N-STREAM", "OAI-N-USAGE"],
    profiles=["openai-extended"],
    needs=["n"],
)
def oai_n(ctx: CheckContext) -> None:
    """n=2 gives two indexed choices whose usage counts both; streamed with include_usage, it is
    refused 400 up front or indexes each choice once and sends one usage chunk after both finished."""
    requirements = ["CHAT-N-CHOICES", "OAI-N-STREAM", "OAI-N-USAGE"]
    with Verdicts(ctx, requirements, judged_in_streams=["OAI-N-STREAM", "OAI-N-USAGE"]) as verdicts:
        plain = ctx.request("POST", CHAT_PATH, json=tiny_chat(ctx, n=N_CHOICES, max_tokens=N_TOKEN_LIMIT))
        choices = _choices(plain) if plain.status == 200 else None
        indexes = sorted(
            i for c in choices or [] if isinstance(c, dict) and isinstance(i := c.get("index"), int)
        )
        finishes = [c.get("finish_reason") for c in choices or [] if isinstance(c, dict)]
        if verdicts.expect(
            "CHAT-N-CHOICES",
            choices is not None and indexes == [0, 1] and len(choices) == 2 and None not in finishes,
            "n=2 did not give choices 0 and 1, each with a finish reason",
            answer=plain,
            expected="2 choices, index 0 and 1, finish_reason set",
            received=f"{plain.status}: indexes {indexes}, finish {finishes}",
        ):
            verdicts.passed("CHAT-N-CHOICES", "two choices, indexes 0 and 1", exchanges=[plain.exchange])
        plain_skip = _judge_n_usage(verdicts, plain, finishes if choices is not None else [], N_TOKEN_LIMIT)
        body = tiny_chat(ctx, n=2, stream=True, stream_options={"include_usage": True})
        result = ctx.stream("POST", CHAT_PATH, json=body)
        if result.status == 400 and not result.transcript.events:
            verdicts.passed(
                "OAI-N-STREAM",
                "n=2 with stream refused 400 before any stream byte",
                exchanges=[result.exchange],
            )
            # No usage chunk to judge: the plain answer's verdict stands, else a skip saying both whys.
            refused = "n=2 with stream and include_usage refused 400: no usage chunk to judge"
            verdicts.not_observed("OAI-N-USAGE", f"{plain_skip}; {refused}" if plain_skip else refused)
            return
        if not verdicts.expect(
            "OAI-N-STREAM",
            is_stream(result),
            f"n=2 with stream answered {result.status}",
            expected="400, or a 200 stream",
            received=(result.body or "")[:RECEIVED_CHARS],
            exchanges=[result.exchange],
        ):
            return
        judgement = CHAT_STREAMS.judge(ctx, result, body)
        for broken in judgement.for_requirement("CHAT-FINISH-ONCE"):  # "each finishing exactly once"
            judgement.violations.append(replace(broken, requirement_id="OAI-N-STREAM"))
        two_choices = len(_finished_choices(result)) >= N_CHOICES
        if two_choices:
            _usage_broken_only_with_n(ctx, judgement)
        verdicts.stream("chat stream with n=2", judgement, result.exchange)
        if two_choices:
            verdicts.saw("OAI-N-USAGE")
        else:  # one choice (n ignored) cannot show where the usage of n choices goes
            unshown = f"the n=2 stream did not finish {N_CHOICES} distinct choices"
            verdicts.not_observed("OAI-N-USAGE", f"{plain_skip}; {unshown}" if plain_skip else unshown)


def _usage_broken_only_with_n(ctx: CheckContext, judgement: Judgement) -> None:
    """Report as OAI-N-USAGE the usage rules the n=2 stream broke and the same request without ``n``
    keeps: one usage chunk, after every choice finished, is CHAT-USAGE-CHUNK's place and ``choices``
    [] plus CHAT-USAGE-ABSENT's "no other chunk has usage" (llama-server sends a usage chunk per
    choice). A usage chunk that is wrong with one choice too is the plain grammar check's failure
    already (one defect, one failure), so the n=1 stream decides which rules are n's own."""
    usage_rules = ("CHAT-USAGE-CHUNK", "CHAT-USAGE-ABSENT")
    broken_with_n = [v for rule in usage_rules for v in judgement.for_requirement(rule)]
    if not broken_with_n:
        return
    body = tiny_chat(ctx, stream=True, stream_options={"include_usage": True})
    alone = CHAT_STREAMS.judge(ctx, ctx.stream("POST", CHAT_PATH, json=body), body)
    broken_alone = {v.rule for rule in usage_rules for v in alone.for_requirement(rule)}
    for broken in broken_with_n:
        if broken.rule not in broken_alone:
            judgement.violations.append(replace(broken, requirement_id="OAI-N-USAGE"))


def _logprob_problems(choices: list[Any], k: int) -> list[str]:
    problems = []
    for choice in choices:
        logprobs = choice.get("logprobs") if isinstance(choice, dict) else None
        content = logprobs.get("content") if isinstance(logprobs, dict) else None
        if not isinstance(content, list) or not content:
            problems.append("no logprobs.content")
            continue
        for entry in content:
            value = entry.get("logprob") if isinstance(entry, dict) else None
            if not isinstance(value, (int, float)) or not math.isfinite(value) or value > 0:
                problems.append(f"token logprob {value!r} is not a finite number at most 0")
            tops = entry.get("top_logprobs") if isinstance(entry, dict) else None
            # OpenAI's description: "in rare cases, there may be fewer" than requested; never more.
            if not isinstance(tops, list) or len(tops) > k:
                problems.append(
                    f"{len(tops) if isinstance(tops, list) else 'no'} top_logprobs instead of at most {k}"
                )
    return problems


@check("chat-logprobs", requirements=["CHAT-LOGPROBS"], profiles=["openai-extended"], needs=["logprobs"])
def chat_logprobs(ctx: CheckContext) -> None:
    """With logprobs and top_logprobs k, every token has a finite logprob <= 0 and at most k alternatives."""
    with Verdicts(ctx, ["CHAT-LOGPROBS"]) as verdicts:
        k = 2
        response = ctx.request(
            "POST", CHAT_PATH, json=tiny_chat(ctx, max_tokens=3, logprobs=True, top_logprobs=k)
        )
        choices = _choices(response) if response.status == 200 else None
        problems = _logprob_problems(choices, k) if choices else [f"answered {response.status}"]
        extreme = ctx.request(
            "POST",
            CHAT_PATH,
            json=tiny_chat(ctx, max_tokens=3, logprobs=True, top_logprobs=20, logit_bias=SUPPRESSED),
        )
        problems += [f"with logit_bias -100 and top_logprobs 20: {p}" for p in _extreme_problems(extreme)]
        exchanges = [response.exchange, extreme.exchange]
        if verdicts.expect(
            "CHAT-LOGPROBS",
            not problems,
            f"logprobs with top_logprobs {k}: {'; '.join(problems[:1])}",
            expected=f"finite logprob <= 0 and at most {k} alternatives per token",
            received="; ".join(problems[:3]) + f"\n{response.text[:RECEIVED_CHARS]}",
            exchanges=exchanges,
        ):
            verdicts.passed(
                "CHAT-LOGPROBS",
                "every token has a finite logprob and its alternatives, also next to -100-biased tokens",
                exchanges=exchanges,
            )


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _extreme_problems(response: Response) -> list[str]:
    """Suppressed tokens have logprobs near or at -inf: never a 5xx, never NaN/Infinity in the body."""
    if response.status >= 500:
        return [f"answered {response.status}"]
    if response.status != 200:
        return []  # refusing logit_bias is another rule's business
    try:
        json.loads(response.text, parse_constant=_reject_constant)
    except ValueError as exc:
        return [f"the body is not strict JSON ({exc})"]
    choices = _choices(response)
    return (
        [p for p in _logprob_problems(choices, 20) if "top_logprobs instead of" not in p] if choices else []
    )


@check("oai-unknown-lora", requirements=["OAI-UNKNOWN-LORA"], profiles=["openai-extended"], needs=["lora"])
def oai_unknown_lora(ctx: CheckContext) -> None:
    """An unknown lora_adapter is refused 400 with code unknown_lora."""
    with Verdicts(ctx, ["OAI-UNKNOWN-LORA"]) as verdicts:
        name = f"no-such-adapter-{ctx.rng.randrange(10**6)}"
        response = ctx.request("POST", CHAT_PATH, json=tiny_chat(ctx, lora_adapter=name))
        unknown = Refusal(400, code="unknown_lora")
        pass_if_refused(verdicts, "OAI-UNKNOWN-LORA", f"lora_adapter {name}", response, unknown)


TOOL_REQUIREMENTS: Final = ("CHAT-TOOL-DELTA-INDEX", "CHAT-TOOL-FINISH", "CHAT-TOOL-CHOICE-HONOURED")


@check(
    "chat-tool-calls",
    requirements=TOOL_REQUIREMENTS,
    profiles=["openai-extended"],
    needs=["tools"],
)
def chat_tool_calls(ctx: CheckContext) -> None:
    """A forced tool call finishes `tool_calls`, and its streamed deltas are indexed and complete."""
    with Verdicts(ctx, TOOL_REQUIREMENTS, judged_in_streams=TOOL_REQUIREMENTS[:2]) as verdicts:
        body = tiny_chat(
            ctx,
            max_tokens=max(ctx.options.max_tokens, 64),
            messages=[{"role": "user", "content": "What is the weather in Paris?"}],
            tools=[WEATHER_TOOL],
            tool_choice={"type": "function", "function": {"name": "get_weather"}},
        )
        plain = ctx.request("POST", CHAT_PATH, json=body)
        choices = _choices(plain) if plain.status == 200 else None
        first = choices[0] if choices and isinstance(choices[0], dict) else {}
        calls = (
            (first.get("message") or {}).get("tool_calls") if isinstance(first.get("message"), dict) else None
        )
        if calls and first.get("finish_reason") != "tool_calls":
            verdicts.fail(
                "CHAT-TOOL-FINISH",
                "a JSON answer with tool calls did not finish with tool_calls",
                expected="tool_calls",
                received=repr(first.get("finish_reason")),
                exchanges=[plain.exchange],
            )
        judgement = judged_stream(
            ctx,
            verdicts,
            CHAT_STREAMS,
            "chat stream with a forced tool call",
            dict(body, stream=True),
            ("CHAT-TOOL-DELTA-INDEX", "CHAT-TOOL-FINISH"),
        )
        if judgement is None:
            return
        # tool_choice naming a function obliges a call (OpenAI: "forces the model to call that
        # function"): a target that takes tools and answers with text accepted them and ignored them.
        called = bool(judgement.summary.get("tool_calls") or calls)
        reason = "the model made no tool call although tool_choice named the function"
        if not called:
            verdicts.not_observed("CHAT-TOOL-DELTA-INDEX", reason)
            verdicts.not_observed("CHAT-TOOL-FINISH", f"not observable: {reason}")
        if verdicts.expect(
            "CHAT-TOOL-CHOICE-HONOURED",
            called,
            f"tools accepted but ignored: {reason}",
            answer=plain,
            expected="a call of get_weather, finish_reason tool_calls",
            received=f"{plain.status}: finish_reason {first.get('finish_reason')!r}, no tool_calls",
        ):
            verdicts.passed(
                "CHAT-TOOL-CHOICE-HONOURED", "the forced tool was called", exchanges=[plain.exchange]
            )
