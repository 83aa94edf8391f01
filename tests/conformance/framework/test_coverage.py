"""Every requirement of the catalogue is covered by a shipped check, and checks name only real things.

Only checks defined in ``llmgw_conformance.checks`` count: a test that registers its own checks must not
make the catalogue look covered.
"""

from __future__ import annotations

from llmgw_conformance.contract import load_contract
from llmgw_conformance.registry import CheckSpec, registered_checks


def shipped_checks() -> dict[str, CheckSpec]:
    return {
        n: s
        for n, s in registered_checks().items()
        if s.function.__module__.startswith("llmgw_conformance.checks.")
    }


def test_every_check_names_existing_requirements_and_profiles() -> None:
    contract = load_contract()
    problems = []
    for name, spec in sorted(shipped_checks().items()):
        problems += [
            f"{name}: unknown requirement {r}" for r in spec.requirements if r not in contract.requirements
        ]
        problems += [f"{name}: unknown profile {p}" for p in spec.profiles if p not in contract.profiles]
        if not spec.profiles:
            problems.append(f"{name}: names no profile")
    assert problems == []


def test_every_requirement_has_a_registered_check() -> None:
    contract = load_contract()
    covered = {r for spec in shipped_checks().values() for r in spec.requirements}
    missing = [r.id for r in contract.requirement_list if r.id not in covered]
    assert missing == [], f"{len(missing)} requirements without a check: {', '.join(missing)}"


def test_a_check_runs_in_a_profile_of_each_requirement_it_covers() -> None:
    """Otherwise the runner could never select it for that requirement (it would be dead coverage)."""
    contract = load_contract()
    problems = []
    for name, spec in sorted(shipped_checks().items()):
        for req in spec.requirements:
            profiles = contract.requirements.get(req, {}).get("profiles", [])
            if profiles and not set(profiles) & set(spec.profiles):
                problems.append(
                    f"{name} covers {req} (profiles {profiles}) but runs only in {list(spec.profiles)}"
                )
    assert problems == []
