"""The digest of a report: sha256 over a canonical JSON of its content, the digest field left out.

Why canonical JSON and not the file's bytes: the file is indented for people, and a receiver may
re-save it; the digest must change exactly when the content does (sorted keys, no whitespace, UTF-8,
non-ASCII kept as is). It is a seal against accidental or careless edits, not a signature: someone
who edits the content can compute a new digest, which is why the verifier also re-judges the evidence.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Final

DIGEST_KEY: Final = "digest"
ALGORITHM: Final = "sha256"
COVERS: Final = "canonical JSON (sorted keys, no whitespace, UTF-8) of report.json without this field"


def canonical_json(doc: dict[str, Any]) -> bytes:
    """``doc`` without its digest, as canonical JSON bytes."""
    content = {k: v for k, v in doc.items() if k != DIGEST_KEY}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.encode("utf-8")


def content_digest(doc: dict[str, Any]) -> str:
    """``sha256:<hex>`` of :func:`canonical_json`."""
    return f"{ALGORITHM}:{hashlib.sha256(canonical_json(doc)).hexdigest()}"


def with_digest(doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` with its digest added last (the document must already be plain JSON values)."""
    sealed = {k: v for k, v in doc.items() if k != DIGEST_KEY}
    sealed[DIGEST_KEY] = {"algorithm": ALGORITHM, "value": content_digest(sealed), "covers": COVERS}
    return sealed
