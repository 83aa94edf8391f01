"""Feeding the strict parser in chunks, and reading what it recorded."""

from __future__ import annotations

from collections.abc import Sequence

from llmgw_conformance.sse import SSEParser, Transcript


def feed_chunks(chunks: Sequence[bytes], **caps: int) -> Transcript:
    """Feed ``chunks`` (chunk i arrives at t = i + 1), then close at t = 100."""
    parser = SSEParser(t0=0.0, **caps)
    for i, chunk in enumerate(chunks):
        parser.feed(chunk, float(i + 1))
    parser.close(100.0)
    return parser.transcript


def datas(tr: Transcript) -> list[str]:
    return [e.data for e in tr.events]


def kinds(tr: Transcript) -> list[str]:
    return [a.kind for a in tr.anomalies]
