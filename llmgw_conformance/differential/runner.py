"""Running one seeded request set against two targets and comparing every answer.

Why the suite's own machinery on both sides: each side is checked by the same preflight (nothing
listening, not HTTP, key refused: the run says so at once instead of comparing nothing), discovered
the same way (:func:`llmgw_conformance.target.discover`: capabilities, else probing), and talked to
through :class:`~llmgw_conformance.http_session.HttpSession`, so every request and stream is bounded
by the run's timeouts, byte and event caps: a comparison target that is down, silent or hostile is
reported, never waited on. Requests go one at a time, target first, so neither side is loaded by the
other's traffic and the two answers to one request are next to each other in time.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from llmgw_conformance.differential.answers import Answer, from_json, from_stream
from llmgw_conformance.differential.comparison import compare_answers
from llmgw_conformance.differential.request_set import SURFACE_PROFILES, DiffRequest, build_request_set
from llmgw_conformance.differential.result import DifferentialResult
from llmgw_conformance.http_session import HttpSession
from llmgw_conformance.live import limits_from
from llmgw_conformance.options import SuiteOptions, header_pairs, public_url
from llmgw_conformance.preflight import preflight
from llmgw_conformance.redaction import Redactor
from llmgw_conformance.target import DiscoveredTarget, discover

#: What a surface's model must serve (catalog workloads).
_WORKLOAD = "completion"
Progress = Callable[[str], None]


def _common_model(target: DiscoveredTarget, other: DiscoveredTarget) -> str | None:
    """The target's completion model when the other side lists it too (or lists nothing), else the
    first completion model both list."""
    preferred = target.model_for(_WORKLOAD)
    if preferred and (not other.models or preferred in other.models):
        return preferred
    for model in target.models:
        if model in other.models and _WORKLOAD in target.workloads.get(model, (_WORKLOAD,)):
            return model
    return None


def _served(target: DiscoveredTarget, other: DiscoveredTarget, result: DifferentialResult) -> set[str]:
    """Surfaces both sides serve; the others go to ``result.skipped`` with the reason."""
    surfaces: set[str] = set()
    for surface, profile in SURFACE_PROFILES.items():
        on_target, on_other = profile in target.profiles, profile in other.profiles
        if on_target and on_other:
            surfaces.add(surface)
        elif on_target or on_other:
            side = "target" if on_target else "comparison target"
            result.skipped[surface] = f"only the {side} serves {profile}"
        else:
            result.skipped[surface] = f"neither target serves {profile}"
    return surfaces


def send(session: HttpSession, request: DiffRequest) -> Answer:
    """One request to one side, read as JSON or through the strict SSE reader."""
    body = request.body_for_side()
    if request.kind == "native-stream":
        admission = session.request("POST", request.path, json=body)
        if admission.status != 202:
            shown = admission.text[:200] if admission.answered else f"no answer ({admission.error})"
            return Answer(admission.status, problem=f"task not admitted (status {admission.status}): {shown}")
        return from_stream(session.stream("GET", f"/v1/tasks/{body['task_id']}/events"), request.kind)
    if request.stream:
        return from_stream(session.stream(request.method, request.path, json=body), request.kind)
    return from_json(session.request(request.method, request.path, json=body), request.kind)


def _side_doc(found: DiscoveredTarget) -> dict[str, object]:
    return {
        "url": public_url(found.base_url),
        "profiles": sorted(found.profiles),
        "model": found.model,
        "says": found.identity,
        "notes": list(found.notes),
    }


def run_differential(
    options: SuiteOptions,
    other_url: str,
    other_api_key: str | None,
    rule: str,
    redactor: Redactor,
    progress: Progress | None = None,
) -> DifferentialResult:
    """Compare ``options.target`` with ``other_url`` on the seeded set; never raises for a target."""
    started = time.monotonic()
    notify = progress or (lambda _line: None)
    target_url = options.target or ""
    result = DifferentialResult(target_url, other_url, rule, options.seed)
    headers = dict(header_pairs(options.headers))
    keys = {"target": (target_url, options.api_key), "comparison target": (other_url, other_api_key)}
    for side, (url, key) in keys.items():
        checked = preflight(options.replace(target=url, api_key=key), redactor, headers)
        if not checked.usable:
            problem = (
                checked.problem if side == "target" else checked.problem.replace("--target", "--compare")
            )
            result.unusable = f"the {side} {public_url(url)} cannot be judged: {problem}"
            result.duration_s = time.monotonic() - started
            return result
    sessions = [
        HttpSession(url, limits_from(options), redactor, api_key=key, headers=headers)
        for url, key in keys.values()
    ]
    try:
        found = [discover(s, model=options.model) for s in sessions]
        result.sides = {"target": _side_doc(found[0]), "other": _side_doc(found[1])}
        surfaces = _served(found[0], found[1], result)
        model = _common_model(found[0], found[1])
        if model is None and surfaces:
            result.skipped.update({s: "the two targets list no model in common" for s in surfaces})
            surfaces = set()
        requests = build_request_set(
            seed=options.seed,
            models=dict.fromkeys(surfaces, model or ""),
            engine=found[0].engine or "vllm",
            max_tokens=options.max_tokens,
            surfaces=surfaces,
        )
        for request in requests:
            if time.monotonic() - started > options.run_budget_s:
                result.not_run.append(request.name)
                continue
            answers = [send(s, request) for s in sessions]
            comparison = compare_answers(request, answers[0], answers[1])
            result.comparisons.append(comparison)
            notify(f"{request.name}: {', '.join(comparison.differing) or 'identical'}")
    finally:
        for session in sessions:
            session.close()
    result.duration_s = time.monotonic() - started
    return result
