"""The load command's run: target facts, the embedded reference if needed, the load, the reports.

Why the facts are read here and not by a normal discovery: users only need a model, an engine and
its ``ctx_max``, the ``max_tokens`` limit and the queue capacity (capabilities and ``/v1/models``),
and kinds whose profile the target does not serve are left out of the mix with a note, never sent.
"""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path
from typing import Any

import httpx

from llmgw_conformance.embedded import EmbeddedReference, EmbeddedStartError
from llmgw_conformance.load.judging import Limits
from llmgw_conformance.load.mix import PROFILE_OF, TargetFacts
from llmgw_conformance.load.progress import LoadProgress
from llmgw_conformance.load.reports import write_load_reports
from llmgw_conformance.load.session import LoadPlan, run_load
from llmgw_conformance.load.users import LoadState
from llmgw_conformance.load.verdicts import run_result
from llmgw_conformance.options import public_url
from llmgw_conformance.redaction import Redactor
from llmgw_conformance.results import EXIT_SUITE_ERROR, EXIT_TARGET_UNUSABLE
from llmgw_conformance.target import DiscoveredTarget


class TargetFactsError(RuntimeError):
    """The target did not say enough to build valid requests (no model)."""


def target_facts(
    base_url: str, api_key: str | None, model: str | None, max_tokens: int
) -> tuple[TargetFacts, set[str]]:
    """Model, engine, limits and served profiles from /v1/capabilities and /v1/models."""
    headers = {"authorization": f"Bearer {api_key}"} if api_key else {}
    with httpx.Client(base_url=base_url, headers=headers, timeout=10.0) as client:
        caps = _json(client, "/v1/capabilities")
        models = _json(client, "/v1/models")
    listed = [m.get("id") for m in (models or {}).get("data") or [] if isinstance(m, dict)]
    chosen = model or next((m for m in listed if isinstance(m, str)), None)
    if not chosen:
        raise TargetFactsError("the target lists no model and none was given (--model)")
    engines = [e for e in (caps or {}).get("engines") or [] if isinstance(e, dict)]
    limits = (caps or {}).get("limits") or {}
    cap = limits.get("max_tokens")
    tokens = min(max_tokens, cap) if isinstance(cap, int) and cap > 0 else max_tokens
    facts = TargetFacts(
        model=chosen,
        engine=str(engines[0].get("engine", "vllm")) if engines else "vllm",
        ctx_max=int(engines[0].get("ctx_max", 512)) if engines else 512,
        max_tokens=tokens,
        queue_capacity=limits.get("queue_capacity")
        if isinstance(limits.get("queue_capacity"), int)
        else None,
    )
    profiles = set((caps or {}).get("profiles") or []) if caps else {"openai-chat"}
    return facts, profiles


def _json(client: httpx.Client, path: str) -> dict[str, Any] | None:
    try:
        answer = client.get(path)
        doc = answer.json() if answer.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


def plan_of(args: argparse.Namespace) -> LoadPlan:
    return LoadPlan(
        users=args.users,
        spawn_rate=args.spawn_rate,
        duration_s=args.duration,
        step=args.step,
        user_budget=args.user_budget,
        time_budget_s=args.time_budget,
        step_s=args.step_s,
        mode=args.mode or "alone",
        master_host=args.master_host,
        master_port=args.master_port,
        expect_workers=args.expect_workers,
        recovery=args.recovery and args.mode != "worker",
    )


def drive(args: argparse.Namespace, mix: dict[str, int], report_dir: Path, *, plain: bool) -> int:
    embedded: EmbeddedReference | None = None
    try:
        if args.target is None:
            embedded = EmbeddedReference()
            try:
                embedded.start()
            except EmbeddedStartError as exc:
                print(f"error: {exc}")
                return EXIT_SUITE_ERROR
            args.target, args.api_key = embedded.base_url, embedded.api_key
            print(f"embedded reference at {embedded.base_url}", flush=True)
        return _load_and_report(args, mix, report_dir, plain)
    finally:
        if embedded is not None:
            embedded.stop()


def _load_and_report(args: argparse.Namespace, mix: dict[str, int], report_dir: Path, plain: bool) -> int:
    from llmgw_conformance.console import RunConsole

    try:
        facts, profiles = target_facts(args.target, args.api_key, args.model, args.max_tokens)
    except TargetFactsError as exc:
        print(f"target unusable: {exc}")
        return EXIT_TARGET_UNUSABLE
    served = {kind: weight for kind, weight in mix.items() if PROFILE_OF[kind] in profiles}
    for kind in sorted(set(mix) - set(served)):
        print(f"note: {kind} left out of the mix: the target does not serve {PROFILE_OF[kind]}")
    if not served:
        print("target unusable: it serves none of the kinds in the mix")
        return EXIT_TARGET_UNUSABLE
    redactor = Redactor.for_keys(args.api_key)
    limits = Limits(idle_s=args.idle_gap, stream_s=args.stream_budget, queue_capacity=facts.queue_capacity)
    state = LoadState(
        args.target,
        args.api_key,
        facts,
        served,
        limits,
        redactor,
        max_requests=args.max_requests,
        seed=args.seed,
    )
    plan = plan_of(args)
    progress = LoadProgress(plain=plain) if plan.mode != "worker" else None
    try:
        run = run_load(state, plan, progress)
    finally:
        if progress is not None:
            progress.close()
    if plan.mode == "worker":
        print(f"worker done: {run.tally.judged()} answers judged and sent to the master")
        return 0
    options = {"load": {**vars(args), "api_key": None, "mix": served}, "seed": args.seed}
    described = DiscoveredTarget(
        public_url(args.target),
        None,
        frozenset(),
        (facts.model,),
        facts.model,
        facts.engine,
        profiles=frozenset(profiles),
        profiles_source="capabilities",
        limits={"max_tokens": facts.max_tokens, "queue_capacity": facts.queue_capacity},
    )
    result = run_result(run, described, options, _reproduction(args))
    paths = write_load_reports(result, run, report_dir, redactor)
    RunConsole(plain=True).summary(result, paths)
    return result.exit_code


def _reproduction(args: argparse.Namespace) -> str:
    parts = ["llm-gateway-conformance", "load", "--target", args.target, "--users", str(args.users)]
    parts += ["--spawn-rate", f"{args.spawn_rate:g}", "--duration", f"{args.duration:g}", "--mix", args.mix]
    if args.step:
        parts += ["--step", "--user-budget", str(args.user_budget), "--time-budget", f"{args.time_budget:g}"]
    return shlex.join(parts)
