"""`python -m tools.bench.load_peer`: one load run in its own process, judging or only reading.

Why a process of its own: the load mode imports Locust, which monkey-patches the standard library
with gevent; the bench harness must not be patched. The same Locust users run with ``--no-judge``
(every answer read to its end, nothing judged: what a load tool that only times does) so the bench
can compare the judging generator with its peer in the same run. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json

from llmgw_conformance.load.judging import Limits
from llmgw_conformance.load.mix import parse_mix
from llmgw_conformance.load.session import LoadPlan, run_load
from llmgw_conformance.load.users import LoadState
from llmgw_conformance.redaction import Redactor

from llmgw_conformance.load.driver import target_facts  # isort: skip

#: Requirements whose failure means a terminal event was lost or doubled.
TERMINAL_RULES = ("NAT-TERMINAL-ONCE", "CHAT-DONE-SENTINEL", "GEN-DONE-SENTINEL", "BP-BURST-NO-LOSS")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.bench.load_peer")
    parser.add_argument("--target", required=True)
    parser.add_argument("--api-key", default=None)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=100.0)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--mix", default="chat=1")
    parser.add_argument("--max-tokens", type=int, default=8)
    parser.add_argument("--max-requests", type=int, default=1_000_000)
    parser.add_argument("--no-judge", dest="judge", action="store_false")
    args = parser.parse_args()
    facts, _ = target_facts(args.target, args.api_key, None, args.max_tokens)
    state = LoadState(
        args.target,
        args.api_key,
        facts,
        parse_mix(args.mix),
        Limits(stream_s=120.0),
        Redactor(),
        judge=args.judge,
        max_requests=args.max_requests,
    )
    plan = LoadPlan(users=args.users, spawn_rate=args.spawn_rate, duration_s=args.duration, recovery=False)
    run = run_load(state, plan)
    counts = run.tally.doc["requirements"]
    print(
        json.dumps(
            {
                "judge": args.judge,
                "users": run.highest_users,
                "peak_open_streams": run.peak_open,
                "streams": run.tally.count("admitted"),
                "refused": run.tally.count("refused"),
                "transport": run.tally.count("transport"),
                "judged": run.tally.judged() if args.judge else 0,
                "lost_terminals": sum(counts.get(r, {}).get("broken", 0) for r in TERMINAL_RULES),
                "violations": sum(c["broken"] for c in counts.values()),
                "requests_per_s": run.locust_stats.get("rps", 0.0),
                "duration_s": run.duration_s,
                "timing_not_judged": run.tally.doc["timing_discounted"],
            }
        )
    )


if __name__ == "__main__":
    main()
