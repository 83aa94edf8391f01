"""Pools and placement (control-admin, feature ``pools``): CRUD, caps, readiness, pins, avoid, prefer.

Why: pools are how an operator keeps tenants and workloads apart; a cap that is not enforced lets
one pool starve the others, a ``ready`` flag that lies sends work to a pool with no machines, and
a task that runs in a pool it asked to avoid breaks isolation. Pools the suite creates are named
``conf-<seed>-pool-...`` and deleted at the end.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from llmgw_conformance.context import CheckContext, Response
from llmgw_conformance.probes.error_rules import (
    ErrorExpectation,
    as_int,
    field_map,
    judge_native_error,
    parse_json_object,
)
from llmgw_conformance.probes.pool_calls import listed_pools, machine_profile, put_pool
from llmgw_conformance.probes.resource_deletion import judge_deleted
from llmgw_conformance.probes.target_claims import unique_id
from llmgw_conformance.probes.task_requests import events_of, submit, task_body, wait_task
from llmgw_conformance.probes.verdicts import Verdicts
from llmgw_conformance.registry import check

POOL_REQS = ["POOL-CRUD", "POOL-CAPS-ENFORCED", "POOL-READY-MEANS-GPUS", "POOL-DELETE"]
PLACE_REQS = ["PLACE-PIN-UNKNOWN", "PLACE-PIN-UNREADY", "PLACE-AVOID", "PLACE-PREFER"]


def judge_pool_status(
    verdicts: Verdicts, spec: Mapping[str, Any], status: Mapping[str, Any], ex: Any
) -> None:
    """POOL-CAPS-ENFORCED and POOL-READY-MEANS-GPUS on one status against the spec that was put."""
    gpus = spec.get("gpus") or {}
    caps = spec.get("gpu_caps") or gpus
    assigned = field_map(status, "assigned")
    over = {p: n for p, n in assigned.items() if not isinstance(n, int) or n > as_int(caps.get(p, 0))}
    verdicts.expect(
        "POOL-CAPS-ENFORCED", not over, f"assigned {over} above caps {dict(caps)}", exchanges=[ex]
    )
    should_be_ready = all(as_int(assigned.get(p, 0)) >= n for p, n in gpus.items())
    verdicts.expect(
        "POOL-READY-MEANS-GPUS",
        status.get("ready") is should_be_ready and (status.get("state") == "ready") is should_be_ready,
        f"ready={status.get('ready')} state={status.get('state')} with "
        f"assigned {dict(assigned)} for gpus {dict(gpus)}",
        expected=f"ready={should_be_ready}",
        exchanges=[ex],
    )


@check("pools", requirements=POOL_REQS + PLACE_REQS, profiles=["control-admin"], needs=["pools"])
def pools(ctx: CheckContext) -> None:
    """Pool put/get/list/status, caps and readiness, delete, and task placement by pin, avoid and prefer."""
    with Verdicts(ctx, POOL_REQS + PLACE_REQS) as verdicts:
        profile = machine_profile(ctx)
        if profile is None:
            for req in POOL_REQS + PLACE_REQS:
                verdicts.skip(req, "capacity lists no live machine profile to build a pool from")
            return
        ready_id, unready_id = unique_id(ctx, "pool"), unique_id(ctx, "pool")
        specs = {
            ready_id: {"gpus": {profile: 1}, "gpu_caps": {profile: 1}},
            unready_id: {"gpus": {profile: 1}, "gpu_caps": {profile: 0}},
        }
        try:
            for pool_id, spec in specs.items():
                _crud(ctx, verdicts, pool_id, spec)
            _placement(ctx, verdicts, ready_id, unready_id)
            if judge_deleted(ctx, verdicts, "POOL-DELETE", f"/v1/pools/{unready_id}"):
                _judge_pinned(ctx, verdicts, unready_id, 422, "POOL_UNAVAILABLE", "POOL-DELETE")
        finally:
            for pool_id in specs:
                ctx.request("DELETE", f"/v1/pools/{pool_id}")


def _crud(ctx: CheckContext, verdicts: Verdicts, pool_id: str, spec: Mapping[str, Any]) -> None:
    created = put_pool(ctx, pool_id, spec["gpus"], spec["gpu_caps"])
    updated = put_pool(ctx, pool_id, spec["gpus"], spec["gpu_caps"])
    info = parse_json_object(updated.text or "") or {}
    got = parse_json_object(ctx.request("GET", f"/v1/pools/{pool_id}").text or "") or {}
    status_answer = ctx.request("GET", f"/v1/pools/{pool_id}/status")
    status = parse_json_object(status_answer.text or "") or {}
    listed = listed_pools(ctx)
    problems = []
    if created.status != 201:
        problems.append(f"first put answered {created.status}, not 201")
    if updated.status != 200:
        problems.append(f"second put answered {updated.status}, not 200")
    if info.get("spec", {}).get("gpus") != spec["gpus"] or got.get("id") != pool_id:
        problems.append(f"put/get do not report the spec: {str(info)[:120]} / {str(got)[:120]}")
    if pool_id not in listed:
        problems.append("list does not report the pool")
    if status_answer.status != 200 or ctx.contract.schema_errors("PoolStatus", status):
        problems.append(f"status answered {status_answer.status} without a valid PoolStatus")
    exchanges = [updated.exchange, created.exchange]
    if verdicts.expect("POOL-CRUD", not problems, "; ".join(problems), exchanges=exchanges):
        judge_pool_status(verdicts, spec, status, status_answer.exchange)


def _run_placed(ctx: CheckContext, placement: Mapping[str, Any]) -> tuple[Response, str | None]:
    """Submit a task with ``placement``, drain its stream, and return the admission and the pool it ran in."""
    body = task_body(ctx, max_tokens=min(2, ctx.options.max_tokens), placement=dict(placement))
    admitted = submit(ctx, body)
    if admitted.status != 202:
        return admitted, None
    events_of(ctx, str(body["task_id"]))
    _, status = wait_task(ctx, str(body["task_id"]), wait_ms=5000)
    pool = (status or {}).get("pool_id") or (parse_json_object(admitted.text or "") or {}).get("pool_id")
    return admitted, str(pool) if pool else None


def _judge_pinned(
    ctx: CheckContext, verdicts: Verdicts, pool_id: str, status: int, code: str, requirement_id: str
) -> None:
    """A task pinned to ``pool_id`` (no fallback) is refused with ``status`` and ``code``."""
    pinned = submit(ctx, task_body(ctx, placement={"mode": "pin", "pin_pool_id": pool_id}))
    expectation = ErrorExpectation(status=status, code=code, requirement=requirement_id)
    judge_native_error(ctx, verdicts, pinned, expectation)


def _placement(ctx: CheckContext, verdicts: Verdicts, ready_id: str, unready_id: str) -> None:
    _judge_pinned(ctx, verdicts, unique_id(ctx, "pool"), 422, "POOL_UNAVAILABLE", "PLACE-PIN-UNKNOWN")
    _judge_pinned(ctx, verdicts, unready_id, 503, "POOL_UNREADY", "PLACE-PIN-UNREADY")
    fallback, pool = _run_placed(
        ctx, {"mode": "pin", "pin_pool_id": unready_id, "allow_fallback": True, "avoid_pools": [ready_id]}
    )
    if fallback.status == 202:
        verdicts.expect(
            "PLACE-PIN-UNREADY",
            pool not in (unready_id, ready_id),
            f"a fallback task ran in {pool}",
            expected="another pool not avoided",
            exchanges=[fallback.exchange],
        )
    admitted, pool = _run_placed(ctx, {"mode": "auto", "avoid_pools": [ready_id]})
    if admitted.status == 202:
        verdicts.expect(
            "PLACE-AVOID",
            pool != ready_id,
            f"a task avoiding {ready_id} ran in it",
            exchanges=[admitted.exchange],
        )
    else:
        verdicts.skip("PLACE-AVOID", f"the avoiding task was not admitted ({admitted.status})")
    status = parse_json_object(ctx.request("GET", f"/v1/pools/{ready_id}/status").text or "") or {}
    if status.get("ready") is not True:
        verdicts.skip("PLACE-PREFER", f"the preferred pool {ready_id} never became ready (no free worker)")
        return
    admitted, pool = _run_placed(ctx, {"mode": "prefer", "prefer_pools": [ready_id]})
    if admitted.status == 202:
        verdicts.expect(
            "PLACE-PREFER",
            pool == ready_id,
            f"a task preferring the ready pool {ready_id} ran in {pool}",
            expected=ready_id,
            received=str(pool),
            exchanges=[admitted.exchange],
        )
    else:
        verdicts.skip("PLACE-PREFER", f"the preferring task was not admitted ({admitted.status})")
