"""Find what an answer must never show: stack frames, internal exception text, server paths, secrets.

Why a module of its own, and why it decodes JSON first: a leak usually travels inside a JSON
string (``{"error": {"message": "Traceback (most recent call last):\\n  File \\"/srv/app.py\\"..."}}``),
where the raw text holds ``\\n`` and ``\\"`` escapes that no frame pattern matches. So the body is
parsed once and every string (keys and values, at any depth) is scanned as the client would read
it; the raw text is scanned too, for plain-text answers and for what does not parse.

Two strengths of pattern, so that normal messages are not flagged:

* *frames* (a Python traceback header or frame, a Java/Node frame, a Go panic, a Rust panic) are
  looked for in every answer, success or error;
* *paths* (server file paths, ``file.py:12`` source locations) and *internals* (an exception class
  name followed by ``:``, Python's own TypeError/AttributeError wording, a parser library's
  exception id) only in error answers: generated text of a 2xx answer may quote code, an error
  message written for the client never needs them. Paths are part of a dump (RESP-NO-TRACEBACK,
  MUST); internal wording leaves the message readable and only names internals
  (RESP-NO-INTERNAL-TEXT, SHOULD).

Secrets: the API key the suite sent (AUTH-NO-SECRET-ECHO), and in error answers anything shaped
like an unmasked OpenAI-style key (an upstream provider's key leaking through a proxy).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

#: Stack frames and panics, in the languages gateways are written in (any answer).
FRAME_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Python traceback", re.compile(r"Traceback \(most recent call last\)")),
    ("Python stack frame", re.compile(r'File "[^"\n]+", line \d+')),
    ("Java/Kotlin stack frame", re.compile(r"(?:^|\n)\s*at [\w.$<>]+\([\w.]*:\d+\)")),
    ("Java/Kotlin stack frame", re.compile(r"\bat (?:[\w$]+\.){2,}[\w$<>]+\([\w]+\.(?:java|kt|scala):\d+\)")),
    ("Node.js stack frame", re.compile(r"\bat [\w.<>$]+ \([^()\n]*:\d+:\d+\)")),
    ("Go panic", re.compile(r"goroutine \d+ \[")),
    ("Rust panic", re.compile(r"panicked at '?")),
    ("exception dump", re.compile(r"\b\w+(?:Error|Exception): .*\n\s+(?:at|File) ")),
)

#: Internal exception text (error answers only): RESP-NO-INTERNAL-TEXT, a SHOULD, since the message
#: stays readable and only names the server's internals.
INTERNAL_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # KeyError: 'x', litellm.BadRequestError: ..., java.lang.IllegalStateException: ...
    (
        "exception class name",
        re.compile(r"\b(?:[A-Za-z_][\w]*\.)*[A-Z][A-Za-z0-9]*(?:Error|Exception)\b(?=: |:$|\()"),
    ),
    ("exception class name", re.compile(r"\b(?:[a-z_]\w*\.)+[A-Z]\w*Exception\b|\bNullPointerException\b")),
    (
        "Python call signature",
        re.compile(r"\b\w+\(\) (?:missing \d+ required|takes \d+ positional|got an unexpected keyword)"),
    ),
    (
        "Python attribute error",
        re.compile(r"'\w+' object (?:has no attribute|is not (?:subscriptable|iterable|callable))"),
    ),
    ("Python type error", re.compile(r"argument of type '\w+' is not iterable|unhashable type: '\w+'")),
    ("parser exception id", re.compile(r"\[json\.exception\.[a-z_]+\.\d+\]")),
)
#: Server file paths and source locations (error answers only): part of a dump, RESP-NO-TRACEBACK.
PATH_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "server file path",
        re.compile(
            r"(?:/usr/(?:local/)?lib/python\d|/(?:site|dist)-packages/|/home/[\w.-]+/|/root/[\w.-]"
            r"|/opt/[\w.-]+/[\w./-]+\.(?:py|go|rs|java|js|ts|rb)\b|[A-Za-z]:\\\\Users\\\\)"
        ),
    ),
    ("source location", re.compile(r"\b[\w-]+\.(?:py|java|go|rs|rb|cpp|cc):\d+\b")),
)

#: An unmasked OpenAI-style secret key (masked ones, ``sk-...****abcd``, do not match).
SECRET_KEY_PATTERN = re.compile(r"\bsk-[A-Za-z0-9_-]{20,}")
#: Shorter sent keys than this are not searched for (they would match ordinary words).
MIN_SECRET_LENGTH = 8


@dataclass(frozen=True)
class Leak:
    """One thing an answer must not show: what kind, and the excerpt that shows it."""

    kind: str
    excerpt: str
    #: True for the key the client sent (AUTH-NO-SECRET-ECHO).
    secret: bool = False
    #: True for internal exception wording (RESP-NO-INTERNAL-TEXT, SHOULD); False with ``secret``
    #: False: a frame, a dump, a path or another key (RESP-NO-TRACEBACK, MUST).
    internal: bool = False


def decoded_strings(text: str) -> list[str]:
    """Every string of ``text`` parsed as JSON (keys and values, any depth); empty when it does not parse."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return []
    return list(_walk(value))


def _walk(value: Any, depth: int = 0) -> Iterator[str]:
    if depth > 64:  # a hostile answer may nest without end; the raw-text scan still sees the rest
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _walk(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item, depth + 1)


def _excerpt(text: str, start: int, end: int) -> str:
    return text[max(start - 40, 0) : end + 80]


def _scan(
    texts: Iterable[str], patterns: tuple[tuple[str, re.Pattern[str]], ...], internal: bool = False
) -> Iterator[Leak]:
    for text in texts:
        for kind, pattern in patterns:
            match = pattern.search(text)
            if match:
                yield Leak(kind, _excerpt(text, match.start(), match.end()), internal=internal)


def find_leaks(text: str, *, error_answer: bool, secrets: Iterable[str | None] = ()) -> list[Leak]:
    """Every distinct leak of an answer body (each kind once), decoded JSON strings and raw text alike."""
    texts = [*decoded_strings(text), text]
    found: dict[str, Leak] = {}
    scans = [_scan(texts, FRAME_PATTERNS)]
    if error_answer:
        scans += [_scan(texts, PATH_PATTERNS), _scan(texts, INTERNAL_PATTERNS, internal=True)]
    for scan in scans:
        for leak in scan:
            found.setdefault(leak.kind, leak)
    for secret in secrets:
        if secret and len(secret) >= MIN_SECRET_LENGTH:
            for candidate in texts:
                where = candidate.find(secret)
                if where >= 0:
                    shown = _excerpt(candidate, where, where + len(secret)).replace(
                        secret, "[the API key sent]"
                    )
                    found.setdefault("the API key sent", Leak("the API key sent", shown, secret=True))
                    break
    if error_answer:
        for candidate in texts:
            match = SECRET_KEY_PATTERN.search(candidate)
            if match:
                shown = candidate[max(match.start() - 40, 0) : match.start() + 7] + "[...]"
                found.setdefault("secret key", Leak("an unmasked sk- key", shown))
                break
    return list(found.values())


def find_traceback(text: str) -> str | None:
    """The first stack-frame excerpt of ``text`` (decoded JSON strings too), or None: any answer."""
    for leak in find_leaks(text, error_answer=False):
        return leak.excerpt
    return None
