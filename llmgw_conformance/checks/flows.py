"""control-admin flows as hypothesis state machines: random sequences of changes, invariants after each step.

Why: single probes test one transition; the bugs of stateful APIs live in sequences (retire then
re-register, delete a pool then put it again, a budget that comes back after a second put). A
:class:`hypothesis.stateful.RuleBasedStateMachine` per area runs a few short random sequences (rules
named after the operations), compares the target with a model of what it should hold after every
step, and shrinks a failing sequence to the shortest one, which the finding reports step by step.
Each example starts from one resource (an ``initialize`` rule), so every sequence has something to
change. Runs are bounded (few examples, few steps, a time budget), seeded from the run's seed (the
same sequences on every run with that seed, so a verdict replays), and everything created is removed after.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from llmgw_conformance.context import CheckContext
from llmgw_conformance.probes.catalog_calls import listed_models, loadable_artifact, register, set_state
from llmgw_conformance.probes.error_rules import field_map, parse_json_object
from llmgw_conformance.probes.flow_runs import FlowRun, machine_base, resource_machine_base, run_flow_check
from llmgw_conformance.probes.pool_calls import listed_pools, machine_profile, put_pool
from llmgw_conformance.probes.session_calls import get_session, put_session, run_in_session
from llmgw_conformance.probes.target_claims import new_uuid, unique_id
from llmgw_conformance.registry import check

CATALOG_REQUIREMENTS = ["CAT-STATE-TRANSITION", "CAT-REGISTER-DIGEST"]
POOL_REQUIREMENTS = ["POOL-CRUD", "POOL-CAPS-ENFORCED", "POOL-DELETE"]
SESSION_REQUIREMENTS = ["SESS-TURNS", "SESS-BUDGET-DECREASE", "SESS-END"]


@check(
    "flow-catalog", requirements=CATALOG_REQUIREMENTS, profiles=["control-admin"], needs=["catalog-data-uri"]
)
def flow_catalog(ctx: CheckContext) -> None:
    """Random register/retire/activate sequences; get reports the model's state after every step."""
    run_flow_check(ctx, CATALOG_REQUIREMENTS, _catalog_flow)


@check("flow-pools", requirements=POOL_REQUIREMENTS, profiles=["control-admin"], needs=["pools"])
def flow_pools(ctx: CheckContext) -> None:
    """Random put/delete sequences on two suite pools; get and status agree with the model and the caps."""
    profile = machine_profile(ctx)
    names = [unique_id(ctx, "pool"), unique_id(ctx, "pool")]
    run_flow_check(
        ctx,
        POOL_REQUIREMENTS,
        lambda run: _pool_flow(run, names, profile or ""),
        unrunnable=None if profile else "capacity lists no live machine profile to build a pool from",
    )


@check("flow-sessions", requirements=SESSION_REQUIREMENTS, profiles=["control-admin"], needs=["sessions"])
def flow_sessions(ctx: CheckContext) -> None:
    """Random put/run/end sequences on two sessions; turns and budgets follow the model exactly."""
    ids = [new_uuid()]
    run_flow_check(ctx, SESSION_REQUIREMENTS, lambda run: _session_flow(run, ids))


def _catalog_flow(run: FlowRun) -> type[RuleBasedStateMachine]:
    """The catalog machine: register, retire and activate suite models; get and list report each
    model's state as the model has it."""
    ctx = run.ctx

    class CatalogFlow(machine_base(run, lambda m: setattr(m, "models", {}))):  # type: ignore[misc]
        models: dict[str, str]

        @rule()
        @run.in_budget
        def register_model(self) -> None:
            if len(self.models) >= 3:
                return
            model_id = unique_id(ctx, "model")
            run.step(f"register_model({model_id})")
            answer = register(ctx, model_id, loadable_artifact(model_id))
            run.created["models"].add(model_id)
            run.expect("CAT-REGISTER-DIGEST", answer.status == 201, f"registration answered {answer.status}")
            self.models[model_id] = "Active"

        @initialize()
        def start_with_a_model(self) -> None:
            self.register_model()

        @rule(data=st.data())
        def retire_model(self, data: Any) -> None:
            self._move(data, "Retired")

        @rule(data=st.data())
        def activate_model(self, data: Any) -> None:
            self._move(data, "Active")

        @run.in_budget
        def _move(self, data: Any, state: str) -> None:
            if not self.models:
                self.register_model()
            model_id = data.draw(st.sampled_from(sorted(self.models)))
            run.step(f"{'retire' if state == 'Retired' else 'activate'}_model({model_id})")
            set_state(ctx, model_id, state)
            self.models[model_id] = state

        @invariant()
        @run.in_budget
        def get_and_list_match_the_model(self) -> None:
            listed = listed_models(ctx) or {}
            for model_id, state in self.models.items():
                seen = listed.get(model_id, {}).get("state")
                run.expect(
                    "CAT-STATE-TRANSITION",
                    seen == state,
                    f"list shows {model_id} {seen!r}, expected {state}",
                )
            for model_id, state in self.models.items():
                got = parse_json_object(ctx.request("GET", f"/v1/catalog/models/{model_id}").text or "") or {}
                run.expect(
                    "CAT-STATE-TRANSITION",
                    got.get("state") == state,
                    f"{model_id} is {got.get('state')!r}, expected {state}",
                )

    return CatalogFlow


def _pool_flow(run: FlowRun, names: list[str], chosen: str) -> type[RuleBasedStateMachine]:
    """The pool machine: put and delete on the suite's pools ``names`` with GPUs of profile ``chosen``;
    get, status and list agree with the model, and no pool holds more workers than its cap."""
    ctx = run.ctx

    class PoolFlow(resource_machine_base(run, "pools", names)):  # type: ignore[misc]
        pools: dict[str, dict[str, int]]

        @rule(index=st.integers(0, 1), gpus=st.integers(0, 2), cap=st.integers(0, 2))
        @run.in_budget
        def put_pool(self, index: int, gpus: int, cap: int) -> None:
            pool_id = names[index]
            run.step(f"put_pool({pool_id}, gpus={{{chosen}: {gpus}}}, gpu_caps={{{chosen}: {cap}}})")
            answer = put_pool(ctx, pool_id, {chosen: gpus}, {chosen: cap})
            want = 200 if pool_id in self.pools else 201
            run.expect("POOL-CRUD", answer.status == want, f"put answered {answer.status}, expected {want}")
            self.pools[pool_id] = {"gpus": gpus, "cap": cap}

        @initialize(gpus=st.integers(0, 2), cap=st.integers(0, 2))
        def start_with_a_pool(self, gpus: int, cap: int) -> None:
            self.put_pool(0, gpus, cap)

        @rule(index=st.integers(0, 1))
        @run.in_budget
        def delete_pool(self, index: int) -> None:
            pool_id = names[index]
            run.step(f"delete_pool({pool_id})")
            answer = ctx.request("DELETE", f"/v1/pools/{pool_id}")
            want = 204 if pool_id in self.pools else 404
            run.expect(
                "POOL-DELETE", answer.status == want, f"delete answered {answer.status}, expected {want}"
            )
            if self.pools.pop(pool_id, None) is not None:
                self.deleted.add(pool_id)

        @invariant()
        @run.in_budget
        def pools_match_the_model(self) -> None:
            for pool_id in names:
                answer = ctx.request("GET", f"/v1/pools/{pool_id}/status")
                if pool_id not in self.pools:
                    run.expect(
                        "POOL-DELETE", answer.status == 404, f"deleted {pool_id} answers {answer.status}"
                    )
                    continue
                status = parse_json_object(answer.text or "") or {}
                assigned = field_map(status, "assigned").get(chosen, 0)
                run.expect("POOL-CRUD", answer.status == 200, f"status of {pool_id} answered {answer.status}")
                run.expect(
                    "POOL-CAPS-ENFORCED",
                    isinstance(assigned, int) and assigned <= self.pools[pool_id]["cap"],
                    f"{pool_id} has {assigned} workers for a cap of {self.pools[pool_id]['cap']}",
                )
            listed = {i for i in listed_pools(ctx) if i in names}
            run.expect(
                "POOL-CRUD",
                listed == set(self.pools),
                f"list shows {sorted(listed)}, expected {sorted(self.pools)}",
            )

    return PoolFlow


def _session_flow(run: FlowRun, ids: list[str]) -> type[RuleBasedStateMachine]:
    """The session machine: put, run a task in and end the sessions ``ids``; turns and the budget left
    follow the model exactly, and an ended session answers 404."""
    ctx = run.ctx

    class SessionFlow(resource_machine_base(run, "sessions", ids)):  # type: ignore[misc]
        sessions: dict[str, dict[str, int]]

        @rule(index=st.just(0), budget=st.integers(0, 8))
        @run.in_budget
        def put_session(self, index: int, budget: int) -> None:
            sid = ids[index]
            run.step(f"put_session({sid}, tokens_budget={budget})")
            put_session(ctx, sid, ttl_ms=60_000, tokens_budget=budget)
            turns = self.sessions.get(sid, {}).get("turns", 0)
            self.sessions[sid] = {"turns": turns, "left": budget}

        @initialize(budget=st.integers(0, 8))
        def start_with_a_session(self, budget: int) -> None:
            self.put_session(0, budget)

        @rule(index=st.just(0))
        @run.in_budget
        def run_task_in_session(self, index: int) -> None:
            sid = ids[index]
            run.step(f"run_task_in_session({sid}, max_tokens=2)")
            # A task naming a session that is not open opens it (default TTL, no budgets).
            model = self.sessions.setdefault(sid, {"turns": 0, "left": -1})
            admitted, used = run_in_session(ctx, sid, 2)
            if admitted.status == 202 and used is not None:
                model["turns"] += 1
                if model["left"] >= 0:
                    model["left"] = max(model["left"] - used, 0)

        @rule(index=st.just(0))
        @run.in_budget
        def end_session(self, index: int) -> None:
            sid = ids[index]
            if sid not in self.sessions:
                return
            run.step(f"end_session({sid})")
            ctx.request("DELETE", f"/v1/sessions/{sid}")
            del self.sessions[sid]
            self.deleted.add(sid)

        @invariant()
        @run.in_budget
        def sessions_match_the_model(self) -> None:
            for sid in ids:
                answer, info = get_session(ctx, sid)
                if sid not in self.sessions:
                    if sid in self.deleted:
                        run.expect("SESS-END", answer.status == 404, f"ended session answers {answer.status}")
                    continue
                want = self.sessions[sid]
                info = info or {}
                run.expect(
                    "SESS-TURNS",
                    info.get("turns") == want["turns"],
                    f"turns {info.get('turns')}, expected {want['turns']}",
                )
                run.expect(
                    "SESS-BUDGET-DECREASE",
                    info.get("tokens_budget_remaining") == (want["left"] if want["left"] >= 0 else None),
                    f"tokens left {info.get('tokens_budget_remaining')}, expected {want['left']}",
                )

    return SessionFlow
