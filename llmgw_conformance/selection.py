"""Which profiles, requirements and checks a run covers, and what is decided without running anything.

Why a separate step: a run pointed at someone's production must be predictable before it sends a
byte. Selection is pure (options, contract, registry, the discovered target in; a plan out), so it
is tested on its own, and a typo in a profile or check name is a usage error before any request.

Rules:

* Profiles: those named (``--profile``); else, when checks are named, the profiles of what they
  cover; else, against the embedded reference, every profile it claims; else the catalogue's
  default profiles (read-only ones: state-changing ``control-admin`` and load ``backpressure`` run
  only when named).
* Requirements: every catalogue requirement of a selected profile.
* ``not_supported`` without running: a requirement none of whose selected profiles the target claims,
  or whose catalogue ``needs`` the target does not claim; the requirements of a check whose ``needs``
  the target does not claim.
* ``not_supported`` without running, too: a *native-only* requirement (every operation it applies
  to is on the native surface: tasks, generate, control) when the target has no native surface
  (feature ``native``: it answered /v1/capabilities, or a native profile was declared), so an
  OpenAI-only server is never judged, and never skipped, on a rule it cannot serve.
* A requirement that no selected check covers ends ``skipped`` ("no check selected"), or *not run*
  when the run left it out on purpose (see :mod:`llmgw_conformance.counting`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from llmgw_conformance.contract import LoadedContract
from llmgw_conformance.options import SuiteOptions
from llmgw_conformance.outcomes import Finding, Outcome
from llmgw_conformance.registry import CheckSpec, UsageError

#: Check name used on findings the runner decides itself.
RUNNER = "runner"
#: Operation profiles of the native surface (an operation whose x-profiles are all in here is native).
NATIVE_OPERATION_PROFILES = frozenset({"control", "control-admin", "tasks", "generate"})
#: The suite-side feature of a target with the native surface (see conformance.target).
NATIVE_FEATURE = "native"


def native_only(contract: LoadedContract, applies_to: Mapping[str, object]) -> bool:
    """Whether every operation a requirement applies to is a native one (none, then False)."""
    names = applies_to.get("operations") if isinstance(applies_to, Mapping) else None
    if not isinstance(names, list) or not names:
        return False
    if any(isinstance(n, str) and n.startswith("*") and n != "*native" for n in names):
        return False  # a wildcard such as *v1 reaches the OpenAI surface too
    ops = [op for op in contract.operations() if op.get("operationId") in names]
    native = all(set(op.get("x-profiles", ())) <= NATIVE_OPERATION_PROFILES for op in ops)
    return native and (bool(ops) or "*native" in names)


@dataclass
class Plan:
    profiles: tuple[str, ...]
    #: Profile -> whether the target claims it.
    supported: dict[str, bool]
    #: Selected requirement ids, in catalogue order.
    requirement_ids: list[str]
    #: Checks to run, by name order (deterministic).
    checks: list[CheckSpec]
    #: Requirement id -> verdict decided without running (not_supported).
    preset: dict[str, Finding] = field(default_factory=dict)
    #: Checks that were selected but not run, with why (for the report).
    not_run: dict[str, str] = field(default_factory=dict)


def validate_names(
    options: SuiteOptions, contract: LoadedContract, registry: Mapping[str, CheckSpec]
) -> tuple[set[str], set[str]]:
    """Check profile and check names; return (named check names, named requirement ids)."""
    for profile in options.profiles:
        if profile not in contract.profiles:
            raise UsageError("profile", profile, contract.profiles)
    checks: set[str] = set()
    requirements: set[str] = set()
    for name in options.checks:
        if name in registry:
            checks.add(name)
        elif name in contract.requirements:
            requirements.add(name)
        else:
            raise UsageError(
                "check (or requirement id, see `python -m llmgw_conformance list`)", name, registry
            )
    for name in getattr(options, "exclude_checks", ()):
        if name not in registry and name not in contract.requirements:
            raise UsageError("excluded check (or requirement id)", name, registry)
    return checks, requirements


def excluded(options: SuiteOptions, spec: CheckSpec) -> bool:
    """Whether ``--exclude-check`` leaves ``spec`` out: named, or covering a named requirement id
    (the same reading as ``--check``)."""
    names = set(getattr(options, "exclude_checks", ()))
    return spec.name in names or bool(names & set(spec.requirements))


def select_profiles(
    options: SuiteOptions,
    contract: LoadedContract,
    registry: Mapping[str, CheckSpec],
    claimed: Iterable[str],
    embedded: bool,
) -> tuple[str, ...]:
    """The profiles of the run, in catalogue order (see the module docstring)."""
    named_checks, named_reqs = validate_names(options, contract, registry)
    if options.profiles:
        wanted = set(options.profiles)
    elif named_checks or named_reqs:
        wanted = set()
        for req in named_reqs:
            wanted.update(contract.requirements[req].get("profiles", ()))
        for name in named_checks:
            wanted.update(registry[name].profiles)
    elif embedded:
        wanted = set(claimed) & set(contract.profiles)
    else:
        wanted = {name for name, info in contract.profiles.items() if info.get("default")}
    return tuple(p for p in contract.profiles if p in wanted)


def _not_supported(req_id: str, message: str) -> Finding:
    return Finding(req_id, Outcome.NOT_SUPPORTED, RUNNER, message)


def plan_run(
    options: SuiteOptions,
    contract: LoadedContract,
    registry: Mapping[str, CheckSpec],
    *,
    claimed_profiles: Iterable[str],
    features: Iterable[str],
    embedded: bool = False,
) -> Plan:
    """Select profiles, requirements and checks for a target claiming ``claimed_profiles``/``features``."""
    claimed = set(claimed_profiles)
    have = set(features)
    profiles = select_profiles(options, contract, registry, claimed, embedded)
    selected = set(profiles)
    supported = {p: p in claimed for p in profiles}
    req_ids = [r.id for r in contract.requirement_list if selected & set(r.profiles)]
    wanted = set(req_ids)

    preset: dict[str, Finding] = {}
    for req in contract.requirement_list:
        if req.id not in wanted:
            continue
        in_run = [p for p in req.profiles if p in selected]
        if not any(supported[p] for p in in_run):
            preset[req.id] = _not_supported(req.id, f"the target does not claim profile {', '.join(in_run)}")
            continue
        missing = sorted(set(req.needs) - have)
        if missing:
            preset[req.id] = _not_supported(req.id, f"the target does not claim feature {', '.join(missing)}")
        elif NATIVE_FEATURE not in have and native_only(contract, req.applies_to):
            preset[req.id] = _not_supported(
                req.id, "a native-only requirement: the target has no native surface (no /v1/capabilities)"
            )

    named_checks, named_reqs = validate_names(options, contract, registry)
    candidates = sorted(registry)
    if named_checks or named_reqs:
        candidates = sorted(
            name
            for name, spec in registry.items()
            if name in named_checks or named_reqs & set(spec.requirements)
        )
    checks: list[CheckSpec] = []
    not_run: dict[str, str] = {}
    unmet: dict[str, str] = {}
    for name in candidates:
        spec = registry[name]
        mine = [r for r in spec.requirements if r in wanted]
        if not mine:
            continue
        if excluded(options, spec):
            not_run[name] = "excluded by --exclude-check"
            continue
        if not selected & set(spec.profiles):
            not_run[name] = f"none of its profiles ({', '.join(spec.profiles)}) is selected"
            continue
        if not any(supported[p] for p in selected & set(spec.profiles)):
            not_run[name] = f"the target claims none of its profiles ({', '.join(spec.profiles)})"
            continue
        missing = sorted(set(spec.needs) - have)
        if missing:
            not_run[name] = f"the target does not claim feature {', '.join(missing)}"
            for req_id in mine:
                unmet.setdefault(req_id, f"check {name} needs feature {', '.join(missing)}")
            continue
        if all(r in preset for r in mine):
            not_run[name] = "every requirement it covers is not supported by the target"
            continue
        checks.append(spec)
    # A requirement is "not supported" for a check's needs only when no check that runs covers it.
    covered = {r for spec in checks for r in spec.requirements}
    for req_id, why in unmet.items():
        if req_id not in covered and req_id not in preset:
            preset[req_id] = _not_supported(req_id, f"the target does not claim what it needs: {why}")
    return Plan(profiles, supported, req_ids, checks, preset, not_run)
