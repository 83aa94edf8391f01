"""Byte-level evidence the reader records whatever path a chunk takes: NUL bytes and invalid UTF-8.

Why apart from the line rules: the fast paths (one data block per chunk, runs of plain data blocks)
and the general line interpreter all hand their region here, so the offsets an anomaly names are
computed one way, and the common all-ASCII chunk pays only for ``isascii()`` before calling.
"""

from __future__ import annotations

import re
from typing import Final

from .records import INVALID_UTF8, NUL_BYTE
from .transcript import Transcript

__all__ = ["record_bad_bytes"]

_LINE_RE: Final = re.compile(rb"[^\r\n]+")
_ESCAPED_RE: Final = re.compile("[\udc80-\udcff]+")


def record_bad_bytes(tr: Transcript, region: bytes, base: int) -> None:
    """Record NUL bytes and invalid UTF-8 in ``region`` (which starts at stream offset ``base``)."""
    if 0 in region:
        for m in _LINE_RE.finditer(region):
            line = m.group()
            i = line.find(b"\0")
            if i >= 0:
                tr.add_anomaly(NUL_BYTE, base + m.start() + i, line, "NUL byte in line")
    if not region.isascii():
        try:
            region.decode("utf-8")
        except UnicodeDecodeError:
            text = region.decode("utf-8", "surrogateescape")
            boff = 0
            last = 0
            for bad_run in _ESCAPED_RE.finditer(text):
                # Offsets are in bytes: re-encode the good text before each bad run to count them.
                boff += len(text[last : bad_run.start()].encode("utf-8"))
                bad = bad_run.group().encode("utf-8", "surrogateescape")
                tr.add_anomaly(INVALID_UTF8, base + boff, bad, "not UTF-8 (decoded as U+FFFD)")
                boff += len(bad)
                last = bad_run.end()
