"""The verdicts and figures of a load run, kept as plain JSON that adds up across workers.

Why plain JSON and additive: Locust workers send their share to the master as msgpack messages;
counts, per-second buckets and capped samples all merge by addition (:meth:`Tally.merge`), so the
master's report is the same whether one process or ten did the work. Memory is bounded: latency
samples, violations kept with their transcript, and refusals kept as evidence are capped.
"""

from __future__ import annotations

import copy
from typing import Any, Final

from llmgw_conformance.load.judging import StreamOutcome

#: Latency values kept per figure (the first ones; enough for stable p99 on a long run).
MAX_SAMPLES: Final = 50_000
#: Violations kept with their evidence per requirement (each carries its stream transcript).
MAX_EVIDENCE: Final = 5
FIGURES: Final = ("ttft_ms", "gap_ms", "total_ms", "tokens_per_s")


def _empty() -> dict[str, Any]:
    return {
        "streams": {},  # kind -> status -> count
        "requirements": {},  # id -> {"held": n, "broken": n}
        "evidence": {},  # id -> [violation records with evidence]
        "samples": {name: [] for name in FIGURES},
        "timeline": {},  # str(epoch second) -> bucket
        "refusal_codes": {},  # code -> count
        "transport": [],  # first few transport failures (no answer at all)
        "timing_discounted": 0,  # timing violations set aside (see judging.TIMING_RULES)
    }


class Tally:
    """Counts, figures and evidence of the streams judged so far; ``take()`` hands out what is new."""

    def __init__(self, doc: dict[str, Any] | None = None) -> None:
        self.doc = doc if doc is not None else _empty()

    # -- recording ----------------------------------------------------------------------------
    def record(self, outcome: StreamOutcome, users: int) -> None:
        doc = self.doc
        by_kind = doc["streams"].setdefault(outcome.kind, {})
        by_kind[outcome.status] = by_kind.get(outcome.status, 0) + 1
        bucket = self._bucket(int(outcome.started))
        bucket["requests"] += 1
        bucket["users"] = max(bucket["users"], users)
        if outcome.status == "refused":
            bucket["refused"] += 1
        if outcome.refusal_code is not None:
            doc["refusal_codes"][outcome.refusal_code] = doc["refusal_codes"].get(outcome.refusal_code, 0) + 1
        doc["timing_discounted"] += outcome.timing_discounted
        if outcome.status == "transport" and len(doc["transport"]) < MAX_EVIDENCE:
            doc["transport"].append(outcome.detail)
        for req, broken in outcome.judged.items():
            counts = doc["requirements"].setdefault(req, {"held": 0, "broken": 0})
            counts["broken" if broken else "held"] += 1
        if outcome.violations:
            bucket["violations"] += 1
            self._keep_evidence(outcome)
        self._figures(outcome, bucket)

    def _bucket(self, second: int) -> dict[str, Any]:
        empty = {"requests": 0, "completed": 0, "refused": 0, "violations": 0, "users": 0}
        return dict.setdefault(
            self.doc["timeline"], str(second), dict(empty, ttft_sum=0.0, ttft_n=0, tokens=0)
        )

    def _keep_evidence(self, outcome: StreamOutcome) -> None:
        for violation in outcome.violations:
            kept = self.doc["evidence"].setdefault(violation["requirement"], [])
            if len(kept) < MAX_EVIDENCE:
                kept.append(dict(violation, kind=outcome.kind, evidence=outcome.evidence))

    def _figures(self, outcome: StreamOutcome, bucket: dict[str, Any]) -> None:
        if outcome.status != "admitted":
            return
        bucket["completed"] += 1
        bucket["tokens"] += outcome.tokens
        samples = self.doc["samples"]
        if outcome.ttft_ms is not None:
            bucket["ttft_sum"] += outcome.ttft_ms
            bucket["ttft_n"] += 1
            _add(samples["ttft_ms"], [outcome.ttft_ms])
        _add(samples["gap_ms"], outcome.gaps_ms)
        if outcome.total_ms is not None:
            _add(samples["total_ms"], [outcome.total_ms])
            if outcome.tokens and outcome.total_ms > 0:
                _add(samples["tokens_per_s"], [round(outcome.tokens / (outcome.total_ms / 1000), 3)])

    # -- merging ------------------------------------------------------------------------------
    def take(self) -> dict[str, Any]:
        """What was recorded since the last take (and forget it): a worker's report to its master."""
        out, self.doc = self.doc, _empty()
        return out

    def merge(self, other: dict[str, Any]) -> None:
        """Add another tally's document (a worker's report) to this one."""
        doc = self.doc
        for kind, statuses in other.get("streams", {}).items():
            mine = doc["streams"].setdefault(kind, {})
            for status, n in statuses.items():
                mine[status] = mine.get(status, 0) + n
        for req, counts in other.get("requirements", {}).items():
            mine = doc["requirements"].setdefault(req, {"held": 0, "broken": 0})
            mine["held"] += counts.get("held", 0)
            mine["broken"] += counts.get("broken", 0)
        for req, kept in other.get("evidence", {}).items():
            mine_kept = doc["evidence"].setdefault(req, [])
            mine_kept.extend(kept[: max(0, MAX_EVIDENCE - len(mine_kept))])
        for name, values in other.get("samples", {}).items():
            _add(doc["samples"].setdefault(name, []), values)
        for second, bucket in other.get("timeline", {}).items():
            mine = doc["timeline"].setdefault(second, {k: 0 for k in bucket})
            for key, value in bucket.items():
                mine[key] = max(mine.get(key, 0), value) if key == "users" else mine.get(key, 0) + value
        for code, n in other.get("refusal_codes", {}).items():
            doc["refusal_codes"][code] = doc["refusal_codes"].get(code, 0) + n
        doc["timing_discounted"] += other.get("timing_discounted", 0)
        doc["transport"].extend(other.get("transport", [])[: max(0, MAX_EVIDENCE - len(doc["transport"]))])

    def copy(self) -> Tally:
        return Tally(copy.deepcopy(self.doc))

    # -- reading ------------------------------------------------------------------------------
    def count(self, status: str) -> int:
        return sum(s.get(status, 0) for s in self.doc["streams"].values())

    def judged(self) -> int:
        return self.count("admitted") + self.count("refused")

    def violations(self) -> int:
        return sum(c["broken"] for c in self.doc["requirements"].values())


def _add(into: list[float], values: list[float]) -> None:
    room = MAX_SAMPLES - len(into)
    if room > 0:
        into.extend(values[:room])


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (0-100) by nearest rank; None without values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]
