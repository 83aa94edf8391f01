"""One defect, one failure: link a failure that follows from another to it (*caused by*).

Why after the run and not inside the checks: the same wrong bytes are judged by several
requirements in several checks (a chunk without its ``finish_reason`` key breaks CHAT-FINISH-VALUE,
the chunk schema of SSE-DATA-JSON, and RESP-SCHEMA when schemathesis streams the same operation).
Each verdict is right, but counting all three tells a maintainer there are three defects. The
checks cannot see each other's findings; the run can. The rules, each narrow on purpose (two
failures are linked only when they are visibly the same defect):

1. **Schema follows the rule** (same request, same event): a failure of a whole-payload schema
   requirement (:data:`SCHEMA_REQUIREMENTS`) at the same event of the same request as a failure
   of a specific rule, where the schema error names a field the rule's message names, is caused by
   the rule's failure.
2. **Same words** (same request): two failures of the same request whose problem text is the same
   (``completion_tokens 14 above the request's limit 4`` under CHAT-USAGE-TOTAL and CHAT-MAX-TOKENS)
   are one defect; the first in catalogue order is the root.
3. **Known consequences** (same request, same event): :data:`CONSEQUENCES` lists pairs where one
   failure necessarily follows from the other at the same event (a usage chunk that carries a
   choice is also "a chunk after the finish").
4. **Same stream schema, other request**: a RESP-SCHEMA failure on a stream of an operation whose
   stream payload schema already failed (SSE-DATA-JSON, from the grammar check on the same path)
   is caused by that failure.

The root is never a schema requirement when a specific rule is at hand, and chains are followed to
their first root, so a report counts roots only (:mod:`llmgw_conformance.results`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from llmgw_conformance.outcomes import Cause, Finding, Outcome

#: Requirements that validate a whole payload against its schema (so they repeat specific rules).
SCHEMA_REQUIREMENTS = frozenset({"SSE-DATA-JSON", "RESP-SCHEMA"})
#: (consequence, root): at the same request and event, the first follows from the second.
CONSEQUENCES = frozenset({("CHAT-FINISH-ONCE", "CHAT-USAGE-CHUNK")})

_EVENT = re.compile(r"event #(\d+)")
_NAMES = re.compile(r"[\"'`]([A-Za-z_][A-Za-z0-9_.]*)[\"'`]")
_MORE = re.compile(r"\s*\(\+\d+ more\)\s*$")


def _request_key(finding: Finding) -> tuple[str, str, str] | None:
    if not finding.exchanges:
        return None
    first = finding.exchanges[0]
    return first.method, first.url, first.request_body or ""


def _event(finding: Finding) -> str | None:
    match = _EVENT.search(finding.message)
    return match.group(1) if match else None


def _problem(finding: Finding) -> str:
    """The message without its place ("chat stream: event #3: [rule] ") and its "(+N more)" tail."""
    text = finding.message
    if "] " in text:
        text = text.split("] ", 1)[1]
    elif _EVENT.search(text):
        text = _EVENT.split(text, 1)[-1].lstrip(": ")
    return _MORE.sub("", text).strip()


def _names(finding: Finding) -> set[str]:
    return set(_NAMES.findall(finding.message))


def _is_stream(finding: Finding) -> bool:
    if not finding.exchanges:
        return False
    first = finding.exchanges[0]
    content_type = {k.lower(): v for k, v in first.response_headers.items()}.get("content-type", "")
    return first.transcript is not None or "text/event-stream" in content_type


def _path(finding: Finding) -> tuple[str, str] | None:
    if not finding.exchanges:
        return None
    return finding.exchanges[0].method, urlsplit(finding.exchanges[0].url).path


def _root_for(
    derived: tuple[str, Finding], candidates: list[tuple[str, Finding]], rank: Mapping[str, int]
) -> tuple[str, Finding] | None:
    """The failure ``derived`` follows from by rules 1-4, if any (never one that follows from it)."""
    req, finding = derived
    key, event = _request_key(finding), _event(finding)
    for root_req, root in candidates:
        if root_req == req or root is finding:
            continue
        same_request = key is not None and key == _request_key(root)
        same_event = same_request and event is not None and event == _event(root)
        if (
            same_event
            and req in SCHEMA_REQUIREMENTS
            and root_req not in SCHEMA_REQUIREMENTS
            and _names(finding) & _names(root)
        ):
            return root_req, root
        if same_event and (req, root_req) in CONSEQUENCES:
            return root_req, root
        earlier = rank.get(root_req, len(rank)) < rank.get(req, len(rank)) or req in SCHEMA_REQUIREMENTS
        if (
            same_request
            and root_req not in SCHEMA_REQUIREMENTS
            and earlier
            and _problem(finding) == _problem(root)
        ):
            return root_req, root
        if (
            req == "RESP-SCHEMA"
            and root_req == "SSE-DATA-JSON"
            and not same_request
            and _is_stream(finding)
            and _is_stream(root)
            and _path(finding) == _path(root)
        ):
            return root_req, root
    return None


def link_causes(findings: Mapping[str, list[Finding]], order: Iterable[str]) -> dict[str, list[Finding]]:
    """``findings`` (requirement id -> its findings) with ``caused_by`` set on every derived failure.

    ``order`` is the catalogue order of requirement ids: roots are searched in it, so when two
    failures are the same defect the earlier requirement is the root.
    """
    rank = {req: i for i, req in enumerate(order)}
    failed = [
        (req, f)
        for req in sorted(findings, key=lambda r: rank.get(r, len(rank)))
        for f in findings[req]
        if f.outcome == Outcome.FAILED
    ]
    # Specific rules are preferred roots over schema requirements; otherwise catalogue order.
    candidates = sorted(failed, key=lambda rf: (rf[0] in SCHEMA_REQUIREMENTS, rank.get(rf[0], len(rank))))
    parent: dict[int, tuple[str, Finding]] = {}
    for item in failed:
        root = _root_for(item, candidates, rank)
        if root is not None:
            parent[id(item[1])] = root
    out: dict[str, list[Finding]] = {}
    for req, items in findings.items():
        linked = []
        for f in items:
            top = parent.get(id(f))
            seen = {id(f)}
            while top is not None and id(top[1]) in parent and id(top[1]) not in seen:
                seen.add(id(top[1]))
                top = parent[id(top[1])]
            if top is None or top[0] == req:
                linked.append(f)
            else:
                linked.append(dataclasses.replace(f, caused_by=Cause(top[0], top[1].check, top[1].message)))
        out[req] = linked
    return out
