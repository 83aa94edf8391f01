"""Re-judging recorded streams with the suite's own judges, and comparing with the recorded verdicts.

Every stream exchange a report keeps carries the stream's bytes (:mod:`.evidence`). They are parsed
again with the strict reader (:func:`llmgw_conformance.sse.parse_bytes`) and judged by the same
function the checks call (:func:`~llmgw_conformance.grammar.judge_chat`, ``judge_native``,
``judge_generate``), chosen by the operation the exchange went to, with the request rebuilt from the
recorded request body and the grammar of the contract the report names. Then, per finding:

* a *passed* finding whose stream the judge finds breaking that requirement is an edited verdict;
* a *failed* finding a judge made (its message carries the judge's headline) must show that
  violation again, unless the verdict depends on a part of the request the report did not record
  (a native stream's ``max_tokens`` is in the task submission; what the judge says differently
  with that part at its strictest is what depends on it);
* a *passed* requirement the stream checks decide must rest on at least one re-judgeable stream,
  unless the report says its evidence was cut (then it is "not re-judgeable", said as such).

Timing rules (header wait, stalls, closing after the terminal event) depend on arrival times that the
bytes do not prove; they are checked for consistency only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from llmgw_conformance.checks import streams_chat, streams_generate, streams_native
from llmgw_conformance.contract import LoadedContract
from llmgw_conformance.grammar import (
    ChatRequest,
    GenerateRequest,
    Judgement,
    NativeRequest,
    StreamMeta,
    judge_chat,
    judge_generate,
    judge_native,
)
from llmgw_conformance.sse import StreamLimitExceeded, Transcript, parse_bytes

from .evidence import STREAM_EVIDENCE_BYTES, TRUNCATED_KEY, recorded_stream
from .outcome import CONSISTENCY, NOT_REJUDGEABLE, REJUDGED, Verification

#: Judged from arrival times, which recorded bytes do not prove: checked for consistency only.
TIMING_REQUIREMENTS: Final = frozenset({"SSE-HEADERS-PROMPT", "SSE-NO-STALL", "SSE-STREAM-ENDS"})
#: Declared by a stream check but decided by comparing the stream with another answer (getTask),
#: not by the judge: checked for consistency only.
COMPARED_REQUIREMENTS: Final = frozenset({"TASK-STATUS"})
#: What the stream checks decide with a judge (their own declarations), less the timing rules.
JUDGED_REQUIREMENTS: Final = (
    frozenset(
        streams_chat.GRAMMAR_REQUIREMENTS
        + streams_native.GRAMMAR_REQUIREMENTS
        + streams_generate.GRAMMAR_REQUIREMENTS
    )
    - TIMING_REQUIREMENTS
    - COMPARED_REQUIREMENTS
)
#: A finding message carrying a judge's violation headline (``Violation.headline``): the failure
#: came from a judge, so judging its stream again must show it.
_JUDGE_HEADLINE: Final = re.compile(r"(?:event #\d+|stream): \[[^\]]+\] ")
_NATIVE_EVENTS: Final = re.compile(r"/v1/tasks/([^/?]+)/events(?:\?|$)")


@dataclass(frozen=True)
class Rejudged:
    """One recorded stream judged again: the requirement ids it breaks, and those whose verdict
    depends on a part of the request the report did not record (a failure of one of them cannot be
    required to show again)."""

    broken: frozenset[str]
    headlines: dict[str, str]
    unknowable: frozenset[str] = frozenset()


def _body(exchange: dict[str, Any]) -> dict[str, Any]:
    try:
        doc = json.loads(exchange.get("request_body") or "")
    except ValueError:
        return {}
    return doc if isinstance(doc, dict) else {}


def task_limits(doc: dict[str, Any]) -> dict[str, int | None]:
    """task_id -> max_tokens of every task submission the report recorded (a native stream's
    request is the submission, a different exchange from the stream's own)."""
    limits: dict[str, int | None] = {}
    for req in doc.get("requirements") or []:
        for finding in req.get("findings") or []:
            for exchange in finding.get("exchanges") or []:
                if exchange.get("method") == "POST" and str(exchange.get("url", "")).endswith("/v1/tasks"):
                    body = _body(exchange)
                    if "task_id" in body:
                        limit = body.get("max_tokens")
                        limits[str(body["task_id"])] = limit if isinstance(limit, int) else None
    return limits


Judge = Callable[[Transcript, StreamMeta], Judgement]


def _judge_for(
    exchange: dict[str, Any], contract: LoadedContract, limits: dict[str, int | None]
) -> tuple[Judge, Judge | None] | None:
    """The judge a check would have used on this exchange; when part of its request is not recorded,
    also the same judge with that part at its strictest (what differs between the two depends on it)."""
    url = str(exchange.get("url", ""))
    contract_dir = contract.directory / "openapi"
    if url.endswith("/v1/chat/completions"):
        chat = ChatRequest.from_body(_body(exchange))
        rules = contract.grammars.get("chat-chunks")
        return (lambda tr, meta: judge_chat(tr, chat, meta, rules, contract_dir)), None
    if "/v1/generate/" in url:
        limit = _body(exchange).get("max_new_tokens")
        gen = GenerateRequest(max_new_tokens=limit if isinstance(limit, int) else None)
        rules = contract.grammars.get("generate-chunks")
        return (lambda tr, meta: judge_generate(tr, gen, meta, rules, contract_dir)), None
    match = _NATIVE_EVENTS.search(url)
    if match:
        native = NativeRequest(max_tokens=limits.get(match.group(1)))
        rules = contract.grammars.get("native-task")
        strictest = None
        if match.group(1) not in limits:
            strictest = lambda tr, meta: judge_native(tr, NativeRequest(0), meta, rules, contract_dir)  # noqa: E731
        return (lambda tr, meta: judge_native(tr, native, meta, rules, contract_dir)), strictest
    return None


def rejudge_exchange(
    exchange: dict[str, Any], contract: LoadedContract, limits: dict[str, int | None]
) -> Rejudged | None:
    """Judge one recorded stream again; None when it is no judged stream or its bytes are not whole."""
    transcript = exchange.get("transcript")
    found = _judge_for(exchange, contract, limits)
    raw = recorded_stream(transcript)
    if found is None or raw is None or not isinstance(transcript, dict):
        return None
    judge, strictest = found
    try:
        tr = parse_bytes(raw)
    except StreamLimitExceeded:
        return None
    tr.termination = transcript.get("termination")
    tr.termination_detail = str(transcript.get("termination_detail") or "")
    headers = exchange.get("response_headers") or {}
    tr.status_code = exchange.get("status")
    tr.headers = {str(k).lower(): str(v) for k, v in headers.items()}
    meta = StreamMeta(
        status=exchange.get("status"),
        content_type=tr.headers.get("content-type", ""),
        termination=tr.termination,
    )
    judgement = judge(tr, meta)
    broken = judgement.requirement_ids() - TIMING_REQUIREMENTS
    headlines = {rid: judgement.for_requirement(rid)[0].headline() for rid in broken}
    unknowable = strictest(tr, meta).requirement_ids() - broken if strictest is not None else set()
    return Rejudged(frozenset(broken), headlines, frozenset(unknowable))


def rejudge_report(doc: dict[str, Any], contract: LoadedContract, out: Verification) -> None:
    """Compare every finding that rests on a recorded stream with the judge's verdict on it."""
    limits = task_limits(doc)
    for req in doc.get("requirements") or []:
        rid = str(req.get("id"))
        streams = truncated = 0
        for i, finding in enumerate(req.get("findings") or []):
            outcome = finding.get("outcome")
            if outcome not in ("passed", "failed"):
                continue
            judged: list[Rejudged] = []
            for k, exchange in enumerate(finding.get("exchanges") or []):
                transcript = exchange.get("transcript")
                if isinstance(transcript, dict) and transcript.get(TRUNCATED_KEY):
                    truncated += 1
                    _check_cut(
                        transcript, _cap(doc), f"requirements[{rid}].findings[{i}].exchanges[{k}]", out
                    )
                again = rejudge_exchange(exchange, contract, limits)
                if again is None:
                    continue
                judged.append(again)
                if outcome == "passed" and rid in again.broken:
                    out.add(
                        "verdict",
                        f"requirements[{rid}].findings[{i}].exchanges[{k}]",
                        f"passed, but its recorded stream breaks {rid} when judged again: "
                        f"{again.headlines[rid]}",
                    )
            streams += len(judged)
            if (
                outcome == "failed"
                and rid in JUDGED_REQUIREMENTS
                and _JUDGE_HEADLINE.search(str(finding.get("message") or ""))
                and any(rid not in j.unknowable for j in judged)
                and not any(rid in j.broken for j in judged)
            ):
                out.add(
                    "verdict",
                    f"requirements[{rid}].findings[{i}]",
                    f"failed, but none of its recorded streams breaks {rid} when judged again",
                )
        _say_how(req, rid, streams, truncated, out)


def _cap(doc: dict[str, Any]) -> int:
    cap = (doc.get("evidence") or {}).get("stream_bytes")
    return cap if isinstance(cap, int) else STREAM_EVIDENCE_BYTES


def _check_cut(transcript: dict[str, Any], cap: int, where: str, out: Verification) -> None:
    """A stream marked cut must have been longer than the cap (else the mark only hides it)."""
    total = transcript.get("total_bytes")
    if isinstance(total, int) and total <= cap:
        out.add("evidence", where, f"marked cut at the {cap}-byte cap, but the stream had only {total} bytes")


def _say_how(req: dict[str, Any], rid: str, streams: int, truncated: int, out: Verification) -> None:
    """Say how ``rid`` was checked: a judge decides it (re-judged), or only consistency could be."""
    if rid in TIMING_REQUIREMENTS:
        out.how(rid, CONSISTENCY, "a timing rule: recorded bytes do not prove arrival times")
    elif rid in JUDGED_REQUIREMENTS and streams:
        out.how(rid, REJUDGED, f"{streams} recorded stream(s) judged again")
    elif rid in JUDGED_REQUIREMENTS and req.get("outcome") in ("passed", "failed"):
        if truncated:
            out.how(rid, NOT_REJUDGEABLE, f"{truncated} recorded stream(s) were cut at the evidence cap")
        else:
            out.add(
                "evidence",
                f"requirements[{rid}]",
                f"{req.get('outcome')}, but no recorded stream is left to judge it again from",
            )
    elif streams:
        out.how(rid, CONSISTENCY, f"{streams} recorded stream(s) judged again break nothing it names")
    else:
        out.how(rid, CONSISTENCY, "no judge re-runs from the recorded exchanges")
