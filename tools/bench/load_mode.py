"""Issue 13's numbers: the load mode's judged streams, its cost against a peer, and the backpressure
profile's time to judge every BP rule.

* Concurrent judged streams: as many Locust users as streams, each sending one stream, against a
  reference with a slot per stream and an 8 s time to first token (so they are all open at once); the
  figures are the most streams open at once, how many were judged to their end, and the terminal
  events lost (goal: 2,000 open, every one judged, 0 lost).
* Judging cost: the same users, the same target, the same duration, judging and only reading
  (:mod:`tools.bench.load_peer` ``--no-judge``), interleaved rounds; the ratio of requests/s
  (goal: at least 0.5).
* Backpressure: ``llm-gateway-conformance run --profile backpressure`` against the embedded reference
  with its default settings; wall time, and how many BP rules ended skipped (goal: 0 within 60 s).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.bench.servers import API_KEY, REPO_ROOT, reference_server

#: Every rule of the backpressure profile issue 13 asks to be judged (not skipped).
BP_RULES = (
    "BP-QUEUE-BOUNDED",
    "BP-DROP-LRU-EVENT",
    "BP-BURST-NO-LOSS",
    "ERR-POLICY-LABEL",
    "ERR-RETRY-AFTER",
    "OAI-RETRY-AFTER",
)


@dataclass(frozen=True)
class LoadSizes:
    streams_users: int
    streams_duration_s: float
    peer_users: int
    peer_duration_s: float
    peer_rounds: int


FULL_LOAD = LoadSizes(2000, 120.0, 50, 10.0, 2)
QUICK_LOAD = LoadSizes(40, 30.0, 8, 3.0, 1)


def _peer(target: str, users: int, duration_s: float, *extra: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "tools.bench.load_peer", "--target", target, "--api-key", API_KEY]
    command += [
        "--users",
        str(users),
        "--spawn-rate",
        str(max(50, users // 4)),
        "--duration",
        str(duration_s),
    ]
    done = subprocess.run(
        [*command, *extra],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=duration_s + 240,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def judged_streams(sizes: LoadSizes) -> dict[str, Any]:
    """Users each holding one judged chat stream open (4 s to the first token, then 8 tokens)."""
    n = sizes.streams_users
    config = {
        "machine_profiles": {"l4": 1},
        "slots_per_worker": n + 16,
        "queue_capacity": n + 16,
        "ttft_ms": 8000.0,
        "tokens_per_s": 8.0,
    }
    with reference_server(config) as ref:
        mix = ("--mix", "chat=3,chat-usage=1", "--max-tokens", "4", "--max-requests", str(n))
        return _peer(ref.url, n, sizes.streams_duration_s, *mix)


def judging_cost(sizes: LoadSizes) -> dict[str, Any]:
    """Requests/s of judging users vs the same users only reading, in interleaved rounds (best of)."""
    config = {"machine_profiles": {"l4": 1}, "slots_per_worker": 64, "queue_capacity": 4096}
    rounds: list[dict[str, Any]] = []
    with reference_server(config) as ref:
        for _ in range(sizes.peer_rounds):
            for judge in (True, False):
                extra = ("--mix", "chat=2,task=1,generate=1") + (() if judge else ("--no-judge",))
                rounds.append(_peer(ref.url, sizes.peer_users, sizes.peer_duration_s, *extra))
    judged = max(r["requests_per_s"] for r in rounds if r["judge"])
    plain = max(r["requests_per_s"] for r in rounds if not r["judge"])
    return {
        "judged_rps": judged,
        "plain_rps": plain,
        "ratio": judged / plain if plain else 0.0,
        "rounds": rounds,
    }


def backpressure_profile(quick: bool) -> dict[str, Any]:
    """Wall time of the backpressure profile on the embedded default reference, and its BP verdicts."""
    with tempfile.TemporaryDirectory(prefix="bench-bp-") as tmp:
        command = [sys.executable, "-m", "llmgw_conformance", "run", "--profile", "backpressure"]
        command += ["--report-dir", tmp]
        t0 = time.monotonic()
        subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600, check=False)
        wall = time.monotonic() - t0
        report = json.loads((Path(tmp) / "report.json").read_text())
    verdicts = {r["id"]: r["outcome"] for r in report["requirements"] if r["id"] in BP_RULES}
    checks = {c["name"]: c["duration_s"] for c in report["checks"]}
    return {
        "wall_s": round(wall, 1),
        "checks_s": round(sum(checks.values()), 1),
        "verdicts": verdicts,
        "skipped": sorted(r for r, o in verdicts.items() if o == "skipped"),
        "check_durations": checks,
    }
