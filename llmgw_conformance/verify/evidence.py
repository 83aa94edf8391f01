"""The bytes of a stream, as a report keeps them so a judge can run again on them.

Why escaped text and not base64: the report's redactor works on strings, so a key a target echoed
inside a stream is scrubbed here like everywhere else (base64 would hide it from the redactor), and a
person can read the stream in the report. The escaping is
:func:`llmgw_conformance.sse.escape_bytes`, which is reversible (the backslash itself is escaped);
:func:`recorded_stream` undoes it.

Bounded: at most :data:`STREAM_EVIDENCE_BYTES` bytes per stream are kept. A longer stream is marked
``stream_truncated`` and a verdict resting on it is "not re-judgeable" (never silently accepted).
"""

from __future__ import annotations

import re
from typing import Any, Final

from llmgw_conformance.sse import Transcript, escape_bytes

#: Bytes of one stream kept as evidence (the reference's streams are 1-3 KiB; a runaway one is cut).
STREAM_EVIDENCE_BYTES: Final = 64 * 1024
#: Keys this module adds to a transcript's evidence.
STREAM_KEY: Final = "stream"
TRUNCATED_KEY: Final = "stream_truncated"

_ESCAPE = re.compile(r"\\(\\|n|r|t|x[0-9a-f]{2}|u[0-9a-f]{4})")
_SIMPLE: Final = {"\\": b"\\", "n": b"\n", "r": b"\r", "t": b"\t"}


def record_stream(transcript: Transcript) -> dict[str, Any]:
    """The evidence keys for ``transcript``: its bytes (escaped, capped) and whether they were cut."""
    raw = bytes(transcript.stream)
    kept = raw[:STREAM_EVIDENCE_BYTES]
    return {STREAM_KEY: escape_bytes(kept), TRUNCATED_KEY: len(kept) < len(raw)}


def unescape(text: str) -> bytes:
    """The bytes :func:`escape_bytes` rendered as ``text`` (its exact inverse)."""
    out = bytearray()
    pos = 0
    for match in _ESCAPE.finditer(text):
        out += text[pos : match.start()].encode("utf-8")
        code = match.group(1)
        if code in _SIMPLE:
            out += _SIMPLE[code]
        elif code[0] == "x":
            out.append(int(code[1:], 16))
        else:
            out += chr(int(code[1:], 16)).encode("utf-8")
        pos = match.end()
    out += text[pos:].encode("utf-8")
    return bytes(out)


def recorded_stream(transcript_doc: dict[str, Any] | None) -> bytes | None:
    """The complete recorded bytes of a stream, or None when none were kept or they were cut."""
    if not isinstance(transcript_doc, dict):
        return None
    text = transcript_doc.get(STREAM_KEY)
    if not isinstance(text, str) or transcript_doc.get(TRUNCATED_KEY) is not False:
        return None
    return unescape(text)
