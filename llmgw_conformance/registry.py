"""Checks as small registered functions, in the style of schemathesis' ``@check``.

A check is a plain function taking a :class:`CheckContext`. It declares the requirement
ids it covers, the profiles it runs in and the target features it needs; the runner
decides whether to call it, and a test proves that every requirement of the catalogue
is covered by at least one registered check and that every id a check names exists.

Inside a check, the target's verdict is reported through one collector,
:class:`llmgw_conformance.probes.verdicts.Verdicts` (``with Verdicts(ctx, REQS) as verdicts:``),
which writes to the context's sink (``ctx.passed`` / ``failed`` / ``skipped`` / ``not_supported``)
when the check ends; the suite's own checks never call the sink directly (a test reads them).
:class:`TargetViolation` stays for check modules written outside this package (``--checks-module``):
raised, it fails a requirement and stops the check. Any other exception escaping a check is the
suite's own fault and becomes ``error`` for each requirement of the check that got no verdict.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Unpack

from llmgw_conformance.outcomes import FailureEvidence

if TYPE_CHECKING:
    from llmgw_conformance.context import CheckContext

CheckFunction = Callable[["CheckContext"], None]


class TargetViolation(Exception):
    """The target broke a requirement; raised inside a check to report it and stop (for check modules
    outside this package: the suite's own checks report through ``Verdicts``)."""

    def __init__(self, requirement_id: str, message: str, **evidence: Unpack[FailureEvidence]) -> None:
        super().__init__(f"{requirement_id}: {message}")
        self.requirement_id = requirement_id
        self.message = message
        #: Reported as given (the runner adds the check's last three exchanges when none are named).
        self.evidence = evidence


class UsageError(Exception):
    """The suite was misused (bad option, profile or check); names the bad value and the valid ones."""

    def __init__(self, what: str, value: object, valid: Iterable[str]) -> None:
        options = ", ".join(sorted(valid))
        super().__init__(f"unknown {what} {value!r}; valid: {options}")
        self.what = what
        self.value = value
        self.valid = tuple(sorted(valid))


@dataclass(frozen=True)
class CheckSpec:
    """A registered check: its short stable name, what it covers and what it needs."""

    name: str
    requirements: tuple[str, ...]
    profiles: tuple[str, ...]
    needs: tuple[str, ...]
    function: CheckFunction
    description: str


_REGISTRY: dict[str, CheckSpec] = {}


def check(
    name: str,
    *,
    requirements: Iterable[str],
    profiles: Iterable[str],
    needs: Iterable[str] = (),
) -> Callable[[CheckFunction], CheckFunction]:
    """Register ``function`` as the check ``name`` covering ``requirements``.

    ``needs`` lists target features (``Capabilities.features``, or suite-side needs such
    as ``restricted-key``) without which the check's requirements are "not supported".
    """

    def register(function: CheckFunction) -> CheckFunction:
        if name in _REGISTRY and _REGISTRY[name].function is not function:
            raise ValueError(f"check {name!r} registered twice")
        reqs = tuple(requirements)
        if not reqs:
            raise ValueError(f"check {name!r} covers no requirement")
        _REGISTRY[name] = CheckSpec(
            name=name,
            requirements=reqs,
            profiles=tuple(profiles),
            needs=tuple(needs),
            function=function,
            description=(function.__doc__ or "").strip().split("\n")[0],
        )
        return function

    return register


def registered_checks() -> dict[str, CheckSpec]:
    """Every registered check by name (importing :mod:`llmgw_conformance.checks` registers them all)."""
    import llmgw_conformance.checks  # noqa: F401  (import for its registration side effect)

    return dict(_REGISTRY)
