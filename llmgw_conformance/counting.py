"""Which profile a requirement is counted in, and why a requirement that got no verdict got none.

Why one owner: many requirements are listed in several profiles (RESP-SCHEMA in six, the SSE
framing rules in three). Counting each in every profile it is listed in turned one defect into a
failure of several profiles, and showed failures in a profile the target does not even claim. The
owner is, among the requirement's profiles that this run selected:

1. for a failure, the profile of the operation the failing request was sent to (a RESP-SCHEMA
   failure on ``POST /v1/chat/completions`` belongs to ``openai-chat``, not to ``control``);
2. else the first listed profile selected and supported that has a check of its own for the
   requirement; else the first listed profile (selected or not) that has one: OAI-RETRY-AFTER,
   listed in openai-chat and backpressure, is proven only by a backpressure check, so it is
   backpressure's, and a correct server reaches *success* in openai-chat with openai-chat's checks;
3. else the first listed profile the target supports; else the first listed one.

Why "not run" (see :data:`llmgw_conformance.outcomes.NOT_RUN`): a requirement this run left out
(``--check`` named other checks, or its only checks belong to a profile not selected) proves
nothing either way about the target, so it is shown apart and does not make a profile partial.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from llmgw_conformance.contract import LoadedContract
from llmgw_conformance.outcomes import NOT_RUN, Finding, Outcome
from llmgw_conformance.registry import CheckSpec
from llmgw_conformance.results import RequirementResult

#: Check name on findings the runner decides itself (the same as selection.RUNNER).
RUNNER = "runner"


def _path_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile("".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts) + "$")


def operation_profiles(contract: LoadedContract, method: str, url: str) -> tuple[str, ...]:
    """The ``x-profiles`` of the contract operation ``method url`` was sent to (empty if none)."""
    path = urlsplit(url).path
    for op in contract.operations():
        if op.get("method") == method.upper() and _path_pattern(str(op.get("path", ""))).search(path):
            return tuple(op.get("x-profiles", ()))
    return ()


def owning_profile(
    result: RequirementResult,
    supported: Mapping[str, bool],
    contract: LoadedContract,
    registry: Mapping[str, CheckSpec],
) -> str:
    """The one selected profile ``result`` is counted in (rules in the module docstring)."""
    listed = [p for p in result.profiles if p in supported]
    if not listed:
        return result.profiles[0] if result.profiles else ""
    live = [p for p in listed if supported[p]]
    if result.outcome == Outcome.FAILED:
        for finding in result.decisive():
            for exchange in finding.exchanges[:1]:
                served = operation_profiles(contract, exchange.method, exchange.url)
                mine = [p for p in live if p in served]
                if mine:
                    return mine[0]
    covering = {p for spec in registry.values() if result.id in spec.requirements for p in spec.profiles}
    for profile in [*live, *result.profiles]:
        if profile in covering:
            return profile
    return (live or listed)[0]


def assign_owners(
    results: Iterable[RequirementResult],
    supported: Mapping[str, bool],
    contract: LoadedContract,
    registry: Mapping[str, CheckSpec],
) -> None:
    for result in results:
        result.owner = owning_profile(result, supported, contract, registry)


def unjudged_finding(
    req_id: str,
    registry: Mapping[str, CheckSpec],
    named_checks: bool,
    supported: Mapping[str, bool],
    excluded: Iterable[str] = (),
) -> Finding:
    """Why a requirement got no verdict: not run (left out of this run) or skipped (a gap)."""
    covering = [spec for spec in registry.values() if req_id in spec.requirements]
    left_out = sorted(s.name for s in covering if s.name in set(excluded))
    runnable_kept = [
        s for s in covering if s.name not in left_out and any(supported.get(p) for p in s.profiles)
    ]
    if left_out and not runnable_kept:
        message = f"not run: its checks ({', '.join(left_out)}) were left out by --exclude-check"
        return Finding(req_id, Outcome.SKIPPED, RUNNER, message, details={NOT_RUN: True})
    if named_checks:
        names = ", ".join(sorted(s.name for s in covering)) or "no registered check"
        message = f"not run: --check named other checks (covered by {names})"
        return Finding(req_id, Outcome.SKIPPED, RUNNER, message, details={NOT_RUN: True})
    if not covering:
        return Finding(req_id, Outcome.SKIPPED, RUNNER, "no registered check covers this requirement")
    runnable = [s for s in covering if any(supported.get(p) for p in s.profiles)]
    if not runnable:
        owners = sorted({p for s in covering for p in s.profiles})
        names = ", ".join(sorted(s.name for s in covering))
        message = f"not run: its checks ({names}) belong to profile {', '.join(owners)}, not selected"
        return Finding(req_id, Outcome.SKIPPED, RUNNER, message, details={NOT_RUN: True})
    return Finding(req_id, Outcome.SKIPPED, RUNNER, "no check selected")
