"""How one exchange with the target becomes report evidence: redacted, cut, with a curl replay.

Why apart from the session: the report, the load judge and ``verify`` read the same shape of
evidence (a transcript's first and last events, bodies cut at :data:`BODY_LIMIT`), and the bounds
here decide how big a report gets, not how a request is sent.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import httpx

from llmgw_conformance.outcomes import Exchange
from llmgw_conformance.redaction import BODY_LIMIT, Redactor, curl_command, truncate
from llmgw_conformance.sse import Transcript
from llmgw_conformance.verify.evidence import record_stream

#: Events of a stream kept in an Exchange: the first ones and the last ones.
TRANSCRIPT_HEAD = 20
TRANSCRIPT_TAIL = 5


def transcript_evidence(transcript: Transcript, redactor: Redactor) -> dict[str, Any]:
    """The transcript as report evidence: first 20 and last 5 events, data cut to 4 KiB, redacted."""
    doc = transcript.to_json(include_chunks=False)
    events = doc["events"]
    if len(events) > TRANSCRIPT_HEAD + TRANSCRIPT_TAIL:
        doc["events_omitted"] = len(events) - TRANSCRIPT_HEAD - TRANSCRIPT_TAIL
        events = events[:TRANSCRIPT_HEAD] + events[-TRANSCRIPT_TAIL:]
    for ev in events:
        ev["data"] = truncate(ev["data"], BODY_LIMIT)
        ev["raw"] = truncate(ev["raw"], BODY_LIMIT)
    doc["events"] = events
    doc["comments"] = doc["comments"][:TRANSCRIPT_HEAD]
    doc["blocks"] = doc["blocks"][:TRANSCRIPT_HEAD]
    doc["anomalies"] = doc["anomalies"][:TRANSCRIPT_HEAD]
    for item in doc["blocks"] + doc["anomalies"]:
        item["raw"] = truncate(item["raw"], BODY_LIMIT)
    doc["rendered"] = transcript.render(first=TRANSCRIPT_HEAD, last=TRANSCRIPT_TAIL)
    # The stream's bytes (capped), so `verify` can run the judges again on them.
    doc.update(record_stream(transcript))
    result: dict[str, Any] = redactor.deep(doc)
    return result


def exchange_record(
    redactor: Redactor,
    request: httpx.Request,
    body_text: str | None,
    status: int | None,
    response_headers: httpx.Headers | None,
    response_body: str | None,
    elapsed: float,
    transcript: dict[str, Any] | None = None,
) -> Exchange:
    """One request and its answer as evidence: every secret redacted, bodies cut, a curl to replay.

    An exchange with a ``transcript`` was read as a stream, so its curl replays it as one (``-N``)."""
    red = redactor
    req_headers = red.headers(request.headers.multi_items())
    url = red.text(str(request.url))
    shown_body = red.text(body_text) if body_text is not None else None
    return Exchange(
        method=request.method,
        url=url,
        request_headers=req_headers,
        request_body=truncate(shown_body),
        status=status,
        response_headers=red.headers(response_headers.multi_items()) if response_headers else {},
        response_body=truncate(red.text(response_body)) if response_body is not None else None,
        elapsed_s=round(elapsed, 6),
        transcript=transcript,
        curl=curl_command(request.method, url, req_headers, shown_body, stream=transcript is not None),
    )


def with_error(exchange: Exchange, error: str, log: list[Exchange]) -> Exchange:
    """The exchange with the transport error put where a reader looks for the answer (the body)."""
    updated = replace(exchange, response_body=f"[no answer: {error}]")
    if log and log[-1] is exchange:
        log[-1] = updated
    return updated
