"""Determinism and differential rules: the same seeded request twice, and streamed vs non-streamed.

* DET-STRICT and ERR-NO-FAKE-STOP: two native tasks with ``determinism: strict`` and one seed. Their
  tokens must be equal; and since a strictly seeded run has one true outcome, a run cut short by a
  failure that ends as a normal ``end`` shows up as a different finish reason or token count.
* DET-OAI-SEED (SHOULD): two chat completions with ``seed`` and temperature 0 give the same content.
* CHAT-STREAM-EQUALS-JSON (SHOULD since contract 1.1: OpenAI does not guarantee determinism) /
  GEN-STREAM-EQUALS-JSON (MUST, the native surface's promise): the deltas joined equal the non-streamed text.
* CHAT-DELTA-INCREMENTAL (profile openai-chat): no delta re-sends the text before it. Split out of
  CHAT-STREAM-EQUALS-JSON in contract 1.1, because one stream shows it without any determinism.
"""

from __future__ import annotations

import json
from itertools import pairwise
from typing import Any

from llmgw_conformance.context import CheckContext, Response, StreamResult
from llmgw_conformance.outcomes import Exchange
from llmgw_conformance.probes.chat_streams import CHAT_PATH, CHAT_STREAMS, chat_body
from llmgw_conformance.probes.generate_streams import GENERATE_STREAMS, generate_body, generate_path
from llmgw_conformance.probes.native_tasks import LONG_PROMPT, NativeRun, run_task, smallest_ctx_max, unusable
from llmgw_conformance.probes.stream_findings import claims_profile
from llmgw_conformance.probes.stream_kinds import judged_stream
from llmgw_conformance.probes.task_requests import task_body
from llmgw_conformance.probes.verdicts import Verdicts
from llmgw_conformance.registry import check

NATIVE = "native"  # conformance.target.NATIVE_FEATURE: the target answered /v1/capabilities


@check(
    "det-strict-native",
    requirements=["DET-STRICT", "ERR-NO-FAKE-STOP"],
    profiles=["determinism"],
    needs=[NATIVE],
)
def det_strict_native(ctx: CheckContext) -> None:
    """Two strictly seeded native tasks give the same tokens, finish reason and token count."""
    requirements = ("DET-STRICT", "ERR-NO-FAKE-STOP")
    seed = ctx.rng.randrange(2**31)
    with Verdicts(ctx, requirements) as verdicts:
        runs = []
        for _ in range(2):
            body = task_body(
                ctx, prompt=LONG_PROMPT, ctx_ceiling=smallest_ctx_max(ctx), seed=seed, determinism="strict"
            )
            run = run_task(ctx, body)
            if unusable(verdicts, run, requirements):
                return
            runs.append(run)
        _judge_strict(verdicts, runs)


def _judge_strict(verdicts: Verdicts, runs: list[NativeRun]) -> None:
    """DET-STRICT and ERR-NO-FAKE-STOP on two runs of one strictly seeded task."""
    first, second = (r.judgement.summary for r in runs if r.judgement is not None)
    evidence = [r.result.exchange for r in runs if r.result is not None]
    if first.get("text") == second.get("text"):
        verdicts.passed("DET-STRICT", f"{first.get('tokens')} identical tokens", exchanges=evidence)
    else:
        verdicts.fail(
            "DET-STRICT",
            "two strictly seeded runs of one task gave different tokens",
            expected=str(first.get("text"))[:300],
            received=str(second.get("text"))[:300],
            exchanges=evidence,
        )
    outcome = [(s.get("terminal"), s.get("finish_reason"), s.get("tokens")) for s in (first, second)]
    if outcome[0] == outcome[1]:
        verdicts.passed("ERR-NO-FAKE-STOP", f"both runs ended {outcome[0]}", exchanges=evidence)
    else:
        verdicts.fail(
            "ERR-NO-FAKE-STOP",
            "the same strictly seeded task ended differently: one run was cut short but ended normally",
            expected=f"(terminal, finish_reason, tokens) = {outcome[0]}",
            received=str(outcome[1]),
            exchanges=evidence,
        )


def _content(response: Response) -> str | None:
    try:
        return str(response.json()["choices"][0]["message"]["content"])
    except (ValueError, KeyError, IndexError, TypeError):
        return None


@check("det-oai-seed", requirements=["DET-OAI-SEED"], profiles=["determinism"])
def det_oai_seed(ctx: CheckContext) -> None:
    """Two chat completions with one seed and temperature 0 give the same content."""
    with Verdicts(ctx, ["DET-OAI-SEED"]) as verdicts:
        body = chat_body(ctx, seed=ctx.rng.randrange(2**31), temperature=0)
        answers = [ctx.request("POST", CHAT_PATH, json=body) for _ in range(2)]
        contents = [_content(a) for a in answers]
        evidence = [a.exchange for a in answers]
        if any(a.status != 200 for a in answers) or None in contents:
            verdicts.skip("DET-OAI-SEED", f"a valid chat request was answered {[a.status for a in answers]}")
        elif contents[0] == contents[1]:
            verdicts.passed("DET-OAI-SEED", "same content twice", exchanges=evidence)
        else:
            verdicts.fail(
                "DET-OAI-SEED",
                "the same seeded temperature-0 request gave different content",
                expected=str(contents[0])[:300],
                received=str(contents[1])[:300],
                exchanges=evidence,
            )


@check("chat-stream-equals-json", requirements=["CHAT-STREAM-EQUALS-JSON"], profiles=["determinism"])
def chat_stream_equals_json(ctx: CheckContext) -> None:
    """The joined deltas of a seeded temperature-0 chat stream equal the JSON answer's content."""
    body = chat_body(ctx, seed=ctx.rng.randrange(2**31), temperature=0)
    plain = ctx.request("POST", CHAT_PATH, json=body)
    content = _content(plain)
    with Verdicts(ctx, ["CHAT-STREAM-EQUALS-JSON"]) as verdicts:
        judgement = judged_stream(ctx, verdicts, CHAT_STREAMS, "chat stream", body, ())
        if plain.status != 200 or content is None or judgement is None:
            verdicts.skip(
                "CHAT-STREAM-EQUALS-JSON", f"no JSON answer or no stream to compare (JSON: {plain.status})"
            )
            return
        streamed = judgement.summary.get("content")
        text = streamed.get(0, "") if isinstance(streamed, dict) else ""
        evidence = [plain.exchange, *(s.exchange for s in verdicts.streams)]
        _compare(verdicts, "CHAT-STREAM-EQUALS-JSON", content, text, evidence)


@check(
    "gen-stream-equals-json",
    requirements=["GEN-STREAM-EQUALS-JSON"],
    profiles=["determinism"],
    needs=[NATIVE],
)
def gen_stream_equals_json(ctx: CheckContext) -> None:
    """The joined text_delta of a seeded generate stream equals the JSON answer's text."""
    with Verdicts(ctx, ["GEN-STREAM-EQUALS-JSON"]) as verdicts:
        if not claims_profile(ctx, "generate"):
            verdicts.not_supported("GEN-STREAM-EQUALS-JSON", "the target does not claim the generate profile")
            return
        body = generate_body(ctx, seed=ctx.rng.randrange(2**31))
        plain = ctx.request("POST", generate_path(ctx), json=body)
        judgement = judged_stream(ctx, verdicts, GENERATE_STREAMS, "generate stream", body, ())
        text = _field(plain, "text")
        if plain.status != 200 or text is None or judgement is None:
            verdicts.skip(
                "GEN-STREAM-EQUALS-JSON", f"no JSON answer or no stream to compare (JSON: {plain.status})"
            )
            return
        evidence = [plain.exchange, *(s.exchange for s in verdicts.streams)]
        _compare(verdicts, "GEN-STREAM-EQUALS-JSON", text, str(judgement.summary.get("text")), evidence)


def _field(response: Response, name: str) -> str | None:
    try:
        doc: Any = response.json()
        return str(doc[name])
    except (ValueError, KeyError, TypeError):
        return None


def _compare(
    verdicts: Verdicts, requirement_id: str, expected: str, streamed: str, evidence: list[Exchange]
) -> None:
    if streamed == expected:
        verdicts.passed(requirement_id, f"{len(expected)} characters equal", exchanges=evidence)
        return
    hint = ""
    if (
        len(streamed) > len(expected)
        and expected
        and streamed.count(expected[: max(1, len(expected) // 2)]) > 1
    ):
        hint = " (a delta re-sends earlier text)"
    verdicts.fail(
        requirement_id,
        f"the streamed text differs from the non-streamed text{hint}",
        expected=expected[:300],
        received=streamed[:300],
        exchanges=evidence,
    )


def content_deltas(result: StreamResult) -> list[str]:
    """The non-empty ``delta.content`` strings of choice 0, in order, from a chat stream's events."""
    deltas: list[str] = []
    for event in result.transcript.events:
        try:
            chunk = json.loads(event.data)
            delta = chunk["choices"][0]["delta"]
        except (ValueError, KeyError, IndexError, TypeError):
            continue
        content = delta.get("content") if isinstance(delta, dict) else None
        if isinstance(content, str) and content:
            deltas.append(content)
    return deltas


def resent_text(deltas: list[str]) -> bool:
    """True when every delta after the first is the whole text so far (the one before it, extended).

    Needs three deltas or more, and each must grow, so a repeated token (``a``, ``a``) is never
    mistaken for it.
    """
    if len(deltas) < 3:
        return False
    pairs = pairwise(deltas)
    return all(later.startswith(earlier) and len(later) > len(earlier) for earlier, later in pairs)


@check("chat-delta-incremental", requirements=["CHAT-DELTA-INCREMENTAL"], profiles=["openai-chat"])
def chat_delta_incremental(ctx: CheckContext) -> None:
    """Each streamed delta carries only new text: judged on one stream, no determinism needed."""
    req = "CHAT-DELTA-INCREMENTAL"
    with Verdicts(ctx, [req]) as verdicts:
        result = ctx.stream("POST", CHAT_PATH, json=dict(chat_body(ctx), stream=True))
        deltas = content_deltas(result)
        if len(deltas) < 3:
            verdicts.skip(req, f"the stream had {len(deltas)} content deltas (3 are needed to judge)")
        elif resent_text(deltas):
            verdicts.fail(
                req,
                "every delta re-sends the whole text so far instead of only the new text",
                expected="deltas that concatenate to the answer",
                received=" | ".join(d[:40] for d in deltas[:4]),
                exchanges=[result.exchange],
            )
        else:
            verdicts.passed(req, f"{len(deltas)} deltas, each new text", exchanges=[result.exchange])
