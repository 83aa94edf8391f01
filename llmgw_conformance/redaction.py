"""Keeping secrets out of evidence, and turning a request into a `curl` line that replays it.

Why in one place: every byte the suite writes (report files, console output, pytest messages) goes
through an :class:`Exchange` or a finding message, and a vendor running the suite against production
must be able to attach the report to a ticket. So the rule is simple and applied everywhere: the
``Authorization`` header is replaced by a placeholder, and any occurrence of a key the run was
given is replaced wherever it appears (a target that echoes the key must not leak it into the
report). Nothing else is redacted: ``max_tokens`` and friends stay visible, unlike schemathesis'
default sanitizer which filters any field whose name contains ``token``.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterable, Mapping
from typing import Any

#: Placeholder for a secret that is not one of the named keys (or in bodies and messages).
REDACTED = "[redacted]"
#: Most bytes of a body kept in an Exchange (the check itself sees the whole body).
BODY_LIMIT = 4096
#: Most bytes of a request body put into a curl line (beyond, the line says it was cut).
CURL_BODY_LIMIT = 65536


class Redactor:
    """Replaces the run's API keys wherever they appear.

    ``named`` maps each secret to the shell variable the curl line uses for it (``$API_KEY``,
    ``$RESTRICTED_API_KEY``); empty or very short values are ignored (they would redact ordinary text).
    """

    def __init__(self, named: Mapping[str, str] | None = None) -> None:
        self.named: dict[str, str] = {k: v for k, v in (named or {}).items() if k and len(k) >= 4}
        # Longest first, so a key that contains another is replaced whole.
        self._order = sorted(self.named, key=len, reverse=True)

    @classmethod
    def for_keys(cls, api_key: str | None, restricted_api_key: str | None = None) -> Redactor:
        named: dict[str, str] = {}
        if restricted_api_key:
            named[restricted_api_key] = "$RESTRICTED_API_KEY"
        if api_key:
            named[api_key] = "$API_KEY"
        return cls(named)

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(self._order)

    def text(self, value: str) -> str:
        """``value`` with every secret replaced by ``[redacted]``."""
        for secret in self._order:
            if secret in value:
                value = value.replace(secret, REDACTED)
        return value

    def deep(self, value: Any) -> Any:
        """A copy of a JSON-like value with every string passed through :meth:`text`."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {self.text(str(k)): self.deep(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.deep(v) for v in value]
        return value

    def authorization(self, value: str) -> str:
        """The Authorization header as evidence: ``Bearer $API_KEY`` for a named key, else redacted."""
        scheme, _, token = value.partition(" ")
        token = token.strip()
        if token in self.named:
            return f"{scheme} {self.named[token]}"
        return f"{scheme} {REDACTED}" if token else REDACTED

    def headers(self, headers: Iterable[tuple[str, str]]) -> dict[str, str]:
        """Headers as evidence: lower-case names, Authorization replaced, secrets removed from values."""
        out: dict[str, str] = {}
        for name, value in headers:
            key = name.lower()
            shown = self.authorization(value) if key in ("authorization", "proxy-authorization") else value
            shown = self.text(shown)
            out[key] = f"{out[key]}, {shown}" if key in out else shown
        return out


def truncate(text: str | None, limit: int = BODY_LIMIT) -> str | None:
    """``text`` cut to ``limit`` characters with a note of how much was left out."""
    if text is None or len(text) <= limit:
        return text
    return text[:limit] + f"...(+{len(text) - limit} chars)"


def _quote(value: str) -> str:
    return shlex.quote(value)


def curl_command(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: str | None,
    *,
    stream: bool = False,
) -> str:
    """A curl line replaying a request whose ``headers`` are already redacted.

    A placeholder key (``$API_KEY``) is put in double quotes so the shell expands it from the
    environment; everything else is single-quoted. Headers httpx adds by itself (host, accept-encoding,
    connection, user-agent, content-length) are left out.
    """
    parts = ["curl", "-sS"]
    if stream:
        parts.append("-N")
    parts += ["-X", method.upper(), _quote(url)]
    for name, value in headers.items():
        if name in ("host", "accept-encoding", "connection", "user-agent", "content-length", "accept"):
            continue
        line = f"{name.title()}: {value}"
        if "$API_KEY" in value or "$RESTRICTED_API_KEY" in value:
            parts += ["-H", '"' + line.replace('"', '\\"') + '"']
        else:
            parts += ["-H", _quote(line)]
    if body is not None:
        if len(body) > CURL_BODY_LIMIT:
            parts += ["-d", _quote(body[:CURL_BODY_LIMIT]), f"# body cut at {CURL_BODY_LIMIT} chars"]
        else:
            parts += ["-d", _quote(body)]
    return " ".join(parts)


def json_text(value: Any) -> str:
    """The JSON a request sends, compact, as the body text of evidence and curl lines."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
