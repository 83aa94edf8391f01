"""Selection: which profiles, requirements and checks a run covers, decided before any request."""

from __future__ import annotations

import pytest

from llmgw_conformance.contract import load_contract
from llmgw_conformance.options import SuiteOptions
from llmgw_conformance.outcomes import Outcome
from llmgw_conformance.registry import CheckSpec, UsageError
from llmgw_conformance.selection import plan_run, select_profiles

ALL = (
    "control",
    "auth",
    "control-admin",
    "tasks",
    "openai-chat",
    "openai-extended",
    "generate",
    "embeddings",
    "rerank",
    "determinism",
    "backpressure",
)


def spec(
    name: str, reqs: tuple[str, ...], profiles: tuple[str, ...], needs: tuple[str, ...] = ()
) -> CheckSpec:
    return CheckSpec(name, reqs, profiles, needs, lambda ctx: None, "")


REGISTRY = {
    s.name: s
    for s in (
        spec("native-first", ("NAT-FIRST-STARTED",), ("tasks",)),
        spec("scope", ("AUTH-SCOPE",), ("auth",), ("restricted-key",)),
        spec("tools", ("CHAT-TOOL-FINISH",), ("openai-extended",), ("tools",)),
        spec("burst", ("BP-QUEUE-BOUNDED",), ("backpressure",)),
    )
}


def test_default_profiles_are_read_only_and_exclude_admin_and_load() -> None:
    chosen = select_profiles(SuiteOptions(), load_contract(), REGISTRY, ALL, embedded=False)
    assert "control-admin" not in chosen and "backpressure" not in chosen
    assert {"control", "auth", "tasks", "openai-chat", "determinism"} <= set(chosen)


def test_embedded_runs_every_profile_the_reference_claims() -> None:
    assert select_profiles(SuiteOptions(), load_contract(), REGISTRY, ALL, embedded=True) == ALL


def test_named_checks_bring_their_profiles() -> None:
    opts = SuiteOptions(checks=("burst", "NAT-FIRST-STARTED"))
    assert select_profiles(opts, load_contract(), REGISTRY, ALL, embedded=False) == ("tasks", "backpressure")


@pytest.mark.parametrize(
    ("field", "value", "what"), [("profiles", ("nope",), "profile"), ("checks", ("nope",), "check")]
)
def test_unknown_names_are_usage_errors_listing_valid_ones(
    field: str, value: tuple[str, ...], what: str
) -> None:
    opts = SuiteOptions(profiles=value) if field == "profiles" else SuiteOptions(checks=value)
    with pytest.raises(UsageError) as info:
        select_profiles(opts, load_contract(), REGISTRY, ALL, embedded=False)
    assert what in str(info.value) and "'nope'" in str(info.value)
    assert "tasks" in str(info.value) or "native-first" in str(info.value)


def test_unclaimed_profiles_features_and_check_needs_are_not_supported() -> None:
    opts = SuiteOptions(profiles=("tasks", "auth", "openai-extended", "rerank"))
    plan = plan_run(
        opts,
        load_contract(),
        REGISTRY,
        claimed_profiles={"tasks", "auth", "openai-extended"},
        features={"cancel", "native"},
    )
    assert plan.supported == {"auth": True, "tasks": True, "openai-extended": True, "rerank": False}
    # Profile not claimed:
    assert plan.preset["RERANK-ORDER"].outcome == Outcome.NOT_SUPPORTED
    assert "profile rerank" in plan.preset["RERANK-ORDER"].message
    # Catalogue `needs` not claimed (AUTH-SCOPE needs restricted-key, DL-FIRES needs deadlines):
    assert "restricted-key" in plan.preset["AUTH-SCOPE"].message
    assert "deadlines" in plan.preset["DL-FIRES"].message
    # A check whose needs are not claimed does not run:
    assert [c.name for c in plan.checks] == ["native-first"]
    assert "tools" in plan.not_run["tools"]
    assert plan.preset["CHAT-TOOL-FINISH"].outcome == Outcome.NOT_SUPPORTED
    # Requirements of the selected profiles only, in catalogue order:
    assert "BP-QUEUE-BOUNDED" not in plan.requirement_ids
    assert plan.requirement_ids.index("SSE-CONTENT-TYPE") < plan.requirement_ids.index("NAT-FIRST-STARTED")


def test_a_check_runs_only_in_a_profile_the_target_claims() -> None:
    """SSE-CONTENT-TYPE is in openai-chat too, but a tasks-only check must not run on an OpenAI server."""
    registry = {"native": spec("native", ("SSE-CONTENT-TYPE",), ("tasks",))}
    opts = SuiteOptions(profiles=("tasks", "openai-chat"))
    plan = plan_run(opts, load_contract(), registry, claimed_profiles={"openai-chat"}, features=())
    assert plan.checks == [] and "claims none" in plan.not_run["native"]
    assert "SSE-CONTENT-TYPE" not in plan.preset  # still judged by any openai-chat check


def test_native_only_requirements_are_not_supported_without_the_native_surface() -> None:
    """An OpenAI-only server claiming embeddings is never judged (nor skipped) on native embedding tasks."""
    registry = {"task-embed": spec("task-embed", ("TASK-EMBED-RESULT", "EMB-USAGE"), ("embeddings",))}
    opts = SuiteOptions(profiles=("embeddings",))
    plan = plan_run(opts, load_contract(), registry, claimed_profiles={"embeddings"}, features=())
    assert plan.preset["TASK-EMBED-RESULT"].outcome == Outcome.NOT_SUPPORTED
    assert "native-only" in plan.preset["TASK-EMBED-RESULT"].message
    assert "EMB-USAGE" not in plan.preset
    native = plan_run(opts, load_contract(), registry, claimed_profiles={"embeddings"}, features={"native"})
    assert "TASK-EMBED-RESULT" not in native.preset


def test_backpressure_declared_for_an_openai_only_server_judges_only_its_openai_rule() -> None:
    from llmgw_conformance.registry import registered_checks

    opts = SuiteOptions(profiles=("backpressure",))
    claimed = {"backpressure", "openai-chat"}
    plan = plan_run(opts, load_contract(), registered_checks(), claimed_profiles=claimed, features=())
    assert "OAI-RETRY-AFTER" not in plan.preset
    assert "oai-retry-after-burst" in [c.name for c in plan.checks]
    # ERR-RETRY-AFTER applies to every native operation (*native): not supported without them.
    for req_id in ("BP-QUEUE-BOUNDED", "ERR-RETRY-AFTER", "ERR-POLICY-LABEL"):
        assert "native-only" in plan.preset[req_id].message, req_id
    assert "backpressure-burst" not in [c.name for c in plan.checks]
