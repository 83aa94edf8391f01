"""Read-only control plane: health, capabilities, capacity and pagination.

Why: capabilities are what the suite (and every client) trusts to decide what to call; a
deployment that claims a profile it does not serve, hides that its engine is synthetic, or reports
capacity that does not add up misleads schedulers and dashboards. Pagination bugs (an item on two
pages, ``has_more`` disagreeing with ``next_cursor``) lose or duplicate catalog entries silently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from llmgw_conformance.context import CheckContext
from llmgw_conformance.probes.answer_problems import judge_problems, ok_object
from llmgw_conformance.probes.error_rules import field_list, judge_native_error, parse_json_object
from llmgw_conformance.probes.operation_index import concrete_path, operation_label, operations_in
from llmgw_conformance.probes.verdicts import Verdicts
from llmgw_conformance.registry import check

#: Implementation names that say "not a real engine" whatever the synthetic flag claims.
_SYNTHETIC_NAMES = re.compile(r"synthetic|fake|mock|dummy|stub|echo|simulat", re.IGNORECASE)
#: Most pages followed in one walk (a target whose cursors never end must not hang the suite).
MAX_PAGES = 200


@check("health-live", requirements=["HEALTH-LIVE"], profiles=["control"])
def health_live(ctx: CheckContext) -> None:
    """/healthz is 200 {status: ok} without a key; /readyz is 200 or 503 with an ErrorEnvelope."""
    req = "HEALTH-LIVE"
    with Verdicts(ctx, [req]) as verdicts:
        live = ctx.request("GET", "/healthz", api_key=False)
        body = parse_json_object(live.text or "")
        verdicts.expect(
            req,
            live.status == 200 and body is not None and body.get("status") == "ok",
            f"/healthz answered {live.status}",
            answer=live,
            expected='200 {"status": "ok"} without a key',
            received=f"{live.status}: {(live.text or '')[:200]}",
        )
        ready = ctx.request("GET", "/readyz", api_key=False)
        ready_body = parse_json_object(ready.text or "")
        verdicts.expect(
            req,
            (ready.status == 200 and ready_body is not None and ready_body.get("status") == "ok")
            or (
                ready.status == 503
                and ready_body is not None
                and not ctx.contract.schema_errors("ErrorEnvelope", ready_body)
            ),
            f"/readyz answered {ready.status}",
            answer=ready,
            expected="200 {status: ok}, or 503 ErrorEnvelope",
            received=f"{ready.status}: {(ready.text or '')[:200]}",
        )


@check(
    "capabilities",
    requirements=["CAP-SHAPE", "CAP-PROFILES-HONEST", "CAP-SYNTHETIC-HONEST"],
    profiles=["control"],
)
def capabilities_honest(ctx: CheckContext) -> None:
    """Capabilities: api_version 1.x, engines with ctx_max >= 1, served profiles, honest synthetic flag."""
    with Verdicts(ctx, ["CAP-SHAPE", "CAP-PROFILES-HONEST", "CAP-SYNTHETIC-HONEST"]) as verdicts:
        response = ctx.request("GET", "/v1/capabilities")
        caps = ok_object(verdicts, "CAP-SHAPE", response, "/v1/capabilities", expected="200 Capabilities")
        if caps is None:
            return
        problems = list(ctx.contract.schema_errors("Capabilities", caps))
        version = caps.get("api_version")
        if not isinstance(version, str) or version.split(".")[0] != "1":
            problems.append(f"api_version {version!r} is not 1.x")
        engines = field_list(caps, "engines")
        if not engines:
            problems.append("no engine")
        for engine in engines:
            if (
                not isinstance(engine, Mapping)
                or not isinstance(engine.get("ctx_max"), int)
                or engine["ctx_max"] < 1
            ):
                problems.append(f"engine {engine!r} has no ctx_max >= 1")
        expected = "api_version 1.x, engines with ctx_max >= 1"
        judge_problems(verdicts, "CAP-SHAPE", response, problems, expected=expected, shown=4)
        _judge_synthetic(verdicts, engines, response.exchange)
        _judge_profiles(ctx, verdicts, caps)


def _judge_synthetic(verdicts: Verdicts, engines: list[Any], ex: Any) -> None:
    req = "CAP-SYNTHETIC-HONEST"
    for engine in engines:
        if not isinstance(engine, Mapping):
            continue
        impl = engine.get("implementation")
        if not isinstance(impl, Mapping):
            verdicts.skip(
                req, f"engine {engine.get('engine')!r} names no implementation: synthetic-ness not stated"
            )
            continue
        name = str(impl.get("name", ""))
        synthetic = impl.get("synthetic")
        if not isinstance(synthetic, bool):
            verdicts.fail(
                req,
                f"implementation {name!r} has no boolean `synthetic`",
                received=repr(synthetic),
                exchanges=[ex],
            )
            continue
        verdicts.expect(
            req,
            synthetic or not _SYNTHETIC_NAMES.search(name),
            f"implementation {name!r} is named as a test engine but says synthetic false",
            expected="synthetic: true",
            received="synthetic: false",
            exchanges=[ex],
        )


def _judge_profiles(ctx: CheckContext, verdicts: Verdicts, caps: Mapping[str, Any]) -> None:
    req = "CAP-PROFILES-HONEST"
    claimed = caps.get("profiles")
    if not isinstance(claimed, list) or not claimed:
        verdicts.skip(req, "capabilities claim no profile")
        return
    for op in operations_in(ctx, [p for p in claimed if isinstance(p, str)]):
        method = str(op["method"])
        # A body that is not an object and placeholder ids: a served operation refuses it (400/404...)
        # without changing anything, and never with 404-for-the-path or 405.
        body: Any = [] if method in ("POST", "PUT", "PATCH") else None
        response = ctx.request(method, concrete_path(op, ctx.target.model), json=body)
        envelope = parse_json_object(response.text or "") or {}
        error = envelope.get("error") if isinstance(envelope.get("error"), Mapping) else envelope
        # A 404 may be about a placeholder id (a resource), never about a path whose only
        # parameter is the target's own model.
        placeholder = any(p != "{model}" for p in re.findall(r"\{[^}]+\}", str(op["path"])))
        resource_404 = (
            response.status == 404
            and placeholder
            and isinstance(error, Mapping)
            and (
                error.get("code") in ("INVALID_PARAMS", "unknown_model", "not_found", "invalid_params")
                or error.get("reason") in ("NOT_FOUND", "UNKNOWN_MODEL")
            )
        )
        verdicts.expect(
            req,
            response.status not in (405, 0) and (response.status != 404 or resource_404),
            f"{operation_label(op)} of a claimed profile is not served ({response.status})",
            answer=response,
            expected="served (any answer but 404-for-path or 405)",
            received=f"{response.status}: {(response.text or '')[:200]}",
        )


@check("capacity-consistent", requirements=["CAP-CAPACITY-CONSISTENT"], profiles=["control"])
def capacity_consistent(ctx: CheckContext) -> None:
    """Capacity: active_tasks is the workers' sum, no worker above its slots, live profiles configured."""
    req = "CAP-CAPACITY-CONSISTENT"
    with Verdicts(ctx, [req]) as verdicts:
        response = ctx.request("GET", "/v1/capacity")
        info = ok_object(
            verdicts,
            req,
            response,
            "/v1/capacity",
            expected="200 CapacityInfo",
            holds=lambda found: not ctx.contract.schema_errors("CapacityInfo", found),
        )
        if info is None:
            return
        problems: list[str] = []
        workers = [w for w in info["workers"] if isinstance(w, Mapping)]
        total = sum(int(w.get("active_tasks", 0)) for w in workers)
        if info["active_tasks"] != total:
            problems.append(f"active_tasks {info['active_tasks']} != sum over workers {total}")
        for w in workers:
            if w.get("active_tasks", 0) > w.get("slots", 0):
                problems.append(
                    f"worker {w.get('id')} runs {w.get('active_tasks')} tasks on {w.get('slots')} slots"
                )
        unknown = set(info["live_machine_profiles"]) - set(info["configured_machine_profiles"])
        if unknown:
            problems.append(f"live machine profiles {sorted(unknown)} are not configured")
        judge_problems(verdicts, req, response, problems)


def walk_pages(ctx: CheckContext, verdicts: Verdicts, path: str, limit: int) -> list[str] | None:
    """Follow ``next_cursor`` from the first page; returns the item ids, or None after a failure."""
    ids: list[str] = []
    cursor: str | None = None
    cursors_seen: set[str] = set()
    for _ in range(MAX_PAGES):
        params: dict[str, Any] = {"limit": limit}
        if cursor is not None:
            params["cursor"] = cursor
        response = ctx.request("GET", path, params=params)
        ex = response.exchange
        page = ok_object(
            verdicts,
            "PAGE-CURSOR",
            response,
            f"{path} page",
            holds=lambda found: isinstance(found.get("data"), list),
        )
        if page is None:
            return None
        verdicts.expect(
            "PAGE-LIMIT",
            len(page["data"]) <= limit,
            f"{path}: a page holds {len(page['data'])} items for limit {limit}",
            expected=f"at most {limit}",
            received=str(len(page["data"])),
            exchanges=[ex],
        )
        ids.extend(str(item.get("id")) for item in page["data"] if isinstance(item, Mapping))
        has_more, cursor = page.get("has_more"), page.get("next_cursor")
        if (has_more is True) != (cursor is not None):
            verdicts.fail(
                "PAGE-CURSOR",
                f"{path}: has_more {has_more!r} with next_cursor {cursor!r}",
                expected="has_more false exactly when next_cursor is null",
                exchanges=[ex],
            )
            return None
        if not has_more:
            return ids
        if str(cursor) in cursors_seen:
            verdicts.fail(
                "PAGE-CURSOR",
                f"{path}: next_cursor {cursor!r} repeats: the walk never ends",
                expected="a new cursor per page",
                received=str(cursor),
                exchanges=[ex],
            )
            return None
        cursors_seen.add(str(cursor))
    verdicts.fail("PAGE-CURSOR", f"{path}: still more pages after {MAX_PAGES} pages", expected="an end")
    return None


@check("pagination", requirements=["PAGE-CURSOR", "PAGE-LIMIT"], profiles=["control"])
def pagination(ctx: CheckContext) -> None:
    """Cursors visit every item once; limits outside 1..100 and unknown cursors are 400."""
    with Verdicts(ctx, ["PAGE-CURSOR", "PAGE-LIMIT"]) as verdicts:
        for path in ("/v1/catalog/models", "/v1/pools"):
            small = walk_pages(ctx, verdicts, path, 1)
            big = walk_pages(ctx, verdicts, path, 100)
            if small is not None and big is not None:
                dupes = sorted({i for i in small if small.count(i) > 1})
                verdicts.expect(
                    "PAGE-CURSOR",
                    not dupes and sorted(small) == sorted(big),
                    f"{path}: walking pages of 1 gives {len(small)} items, of 100 gives {len(big)}",
                    expected="every item exactly once",
                    received=f"repeated: {dupes[:5]}",
                )
            for params in ({"limit": 0}, {"limit": 101}, {"cursor": "conf-not-a-cursor"}):
                response = ctx.request("GET", path, params=params)
                if verdicts.expect_status("PAGE-LIMIT", response, 400, f"{path} with {params}"):
                    judge_native_error(ctx, verdicts, response)
