"""What each row runs: the profiles of a fault's requirement ids and the suite's small limits.

Why data: the profiles a fault is judged on come from the catalogue's `profiles` of its
`breaks` ids, so adding a fault never needs a change here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from llmgw_contracts import contract_files

ROOT = Path(__file__).resolve().parents[2]

#: Suite options of every row: small enough that timing faults and hostile targets end fast.
SUITE_LIMITS: dict[str, str] = {
    "--idle-gap": "1",
    "--header-budget": "1",
    "--stream-budget": "8",
    # Above the 3 s of `headers-delayed`: at 3 s a loaded machine turned the late headers into a read
    # timeout (no answer: skipped) instead of late headers (SSE-HEADERS-PROMPT failed).
    "--read-timeout": "6",
    "--connect-timeout": "2",
    "--examples": "2",
    # Generous: on a loaded 2-core machine the schema-driven check took over 20 s, and a check cut by
    # its budget is an error, not a verdict (a fault went unkilled for it). Fast rows never reach it.
    "--check-budget": "60",
    "--run-budget": "180",
    "--seed": "0",
}
#: Rows whose fault works on a clock, with the suite limits that catch it: small and explicit, and each
#: fault's own delay well beyond the limit, so the verdict never depends on the machine's speed and the
#: row waits as little as the rule allows (tests/killmatrix checks these relations).
ROW_LIMITS: dict[str, dict[str, str]] = {
    # Headers held HEADERS_DELAY_S (1 s) against a 0.5 s header budget; the read timeout (6 s) stays far
    # above the delay, or late headers would read as no answer (skipped) instead of SSE-HEADERS-PROMPT.
    "headers-delayed": {"--header-budget": "0.5", "--read-timeout": "6"},
    # Silence of STALL_S (3 s) mid-stream; the reader gives up after the 1 s idle gap, not the 3 s.
    "stream-stall": {"--idle-gap": "1"},
    # Streams kept open LINGER_S (1.5 s) after their end; the suite's rule allows 1 s (a fixed value of
    # the rule, CLOSE_AFTER_TERMINAL_S), so each stream costs 1.5 s; the stream budget is far above it.
    "sse-linger-after-end": {"--stream-budget": "8"},
}


#: Requirement ids that a check reports without declaring them (it judges them only when its streams
#: happen to show one: `report_if_seen`), with those checks. A fault row runs the checks covering its
#: ids (`--check ID`, which selects by declaration) plus these, so the ids are judged by every check
#: that can judge them, as in a run of every check.
REPORTED_ALSO_BY: dict[str, tuple[str, ...]] = {
    "CHAT-ERROR-EVENT": ("chat-stream-grammar",),
    "GEN-ERROR-CHUNK": ("generate-stream-grammar",),
}


def checks_for(ids: Iterable[str]) -> tuple[str, ...]:
    """The `--check` values of a fault row: its ids, then the checks that report them undeclared."""
    wanted = list(ids)
    extra = [name for i in wanted for name in REPORTED_ALSO_BY.get(i, ()) if name not in wanted]
    return tuple(wanted + sorted(set(extra), key=extra.index))


def limits_for(fault: str) -> dict[str, str]:
    """The suite options of `fault`'s row: the common ones, then its own (ROW_LIMITS)."""
    return {**SUITE_LIMITS, **ROW_LIMITS.get(fault, {})}


#: Hostile targets: the same limits (a smaller run or check budget turns the checks it cuts short
#: into suite errors, which the hostile rows must not have).
#: The read timeout stays short there: a silent target costs one read timeout per request.
HOSTILE_LIMITS: dict[str, str] = {
    **SUITE_LIMITS,
    "--read-timeout": "3",
    "--check-budget": "20",
    "--run-budget": "120",
}

#: Reference flags a profile needs to be observable: backpressure needs few slots and a small
#: queue that refuses (the default 24 slots run a whole burst at once, so nothing is ever refused).
PROFILE_REFERENCE_ARGS: dict[str, tuple[str, ...]] = {
    "backpressure": ("--config", str(Path(__file__).with_name("backpressure_reference.json"))),
}


@dataclass(frozen=True)
class Requirement:
    id: str
    level: str
    profiles: tuple[str, ...]
    text: str


@cache
def catalogue() -> Mapping[str, Requirement]:
    """The requirement catalogue by id."""
    data: dict[str, Any] = contract_files().requirements()
    return {
        r["id"]: Requirement(r["id"], r["level"], tuple(r["profiles"]), r["text"])
        for r in data["requirements"]
    }


@cache
def all_profiles() -> tuple[str, ...]:
    data: dict[str, Any] = contract_files().requirements()
    return tuple(data["profiles"])


def profiles_for(ids: Iterable[str]) -> tuple[str, ...]:
    """The catalogue's profiles of `ids`, in catalogue order; KeyError names an unknown id."""
    wanted: set[str] = set()
    for req_id in ids:
        wanted.update(catalogue()[req_id].profiles)
    return tuple(p for p in all_profiles() if p in wanted)


def reference_args_for(profiles: Iterable[str]) -> tuple[str, ...]:
    """Extra reference flags the profiles need (their flags, in profile order)."""
    return tuple(flag for profile in profiles for flag in PROFILE_REFERENCE_ARGS.get(profile, ()))


def profile_groups(profiles: Iterable[str]) -> list[tuple[str, ...]]:
    """`profiles` split so each group needs the same reference flags (one reference per group)."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for profile in profiles:
        groups.setdefault(PROFILE_REFERENCE_ARGS.get(profile, ()), []).append(profile)
    return [tuple(g) for g in groups.values()]
