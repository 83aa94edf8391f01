"""``llm-gateway-conformance load``: the load mode's command line.

Why its own subcommand: a load run has its own knobs (users, spawn rate, duration, mix, step
budgets, master/worker) and must never start by accident; its reports are a normal run's. Locust is
imported only when the command runs (it monkey-patches the standard library with gevent).
Without ``--target`` the embedded reference is started, as for ``run``. Exit codes are ``run``'s.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from llmgw_conformance.load.mix import DEFAULT_MIX, parse_mix
from llmgw_conformance.options import BadValue
from llmgw_conformance.registry import UsageError

#: (flag, dest, type, default, help)
_FLAGS: list[tuple[str, str, Any, Any, str]] = [
    ("--target", "target", str, None, "base URL without /v1 (default: start the embedded reference)"),
    ("--api-key", "api_key", str, None, "API key (prefer env LLMGW_API_KEY)"),
    ("--model", "model", str, None, "model to use (default: the first the target lists)"),
    ("--users", "users", int, 10, "simulated users (with --step: the first step's users)"),
    ("--spawn-rate", "spawn_rate", float, 10.0, "users started per second"),
    ("--duration", "duration", float, 10.0, "seconds of load (without --step)"),
    ("--mix", "mix", str, DEFAULT_MIX, "KIND=WEIGHT,... of chat, chat-usage, task, generate"),
    ("--max-tokens", "max_tokens", int, 16, "max_tokens of every request"),
    ("--max-requests", "max_requests", int, 200_000, "most requests of the whole run (per process)"),
    ("--user-budget", "user_budget", int, 512, "with --step: most users"),
    ("--time-budget", "time_budget", float, 60.0, "with --step: most seconds of load"),
    ("--step-seconds", "step_s", float, 5.0, "with --step: seconds per step"),
    ("--idle-gap", "idle_gap", float, 10.0, "longest silence inside a stream, seconds"),
    ("--stream-budget", "stream_budget", float, 60.0, "longest a whole stream may take, seconds"),
    ("--report-dir", "report_dir", str, "reports/conformance-load", "where the reports go"),
    ("--master-host", "master_host", str, "127.0.0.1", "master address (worker) or bind address (master)"),
    ("--master-port", "master_port", int, 5557, "master port"),
    ("--expect-workers", "expect_workers", int, 1, "with --master: workers to wait for"),
    ("--seed", "seed", int, 0, "seed of the users' choices"),
]


def add_load_parser(sub: Any) -> None:
    """Register the ``load`` subcommand on the CLI's subparsers."""
    load = sub.add_parser("load", help="judge every streamed answer under load (Locust)")
    for flag, dest, kind, default, text in _FLAGS:
        load.add_argument(flag, dest=dest, type=kind, default=default, help=f"{text} (default {default})")
    load.add_argument("--step", action="store_true", help="raise the load step by step until refusals")
    load.add_argument("--no-recovery", dest="recovery", action="store_false", help="skip the recovery check")
    mode = load.add_mutually_exclusive_group()
    mode.add_argument(
        "--master", dest="mode", action="store_const", const="master", help="run as Locust master"
    )
    mode.add_argument(
        "--worker", dest="mode", action="store_const", const="worker", help="run as Locust worker"
    )


def _validate(args: argparse.Namespace) -> dict[str, int]:
    mix = parse_mix(args.mix)
    for name in ("users", "user_budget", "max_requests", "max_tokens", "expect_workers"):
        if getattr(args, name) < 1:
            raise _bad(name, getattr(args, name))
    for name in ("spawn_rate", "duration", "time_budget", "step_s", "idle_gap", "stream_budget"):
        if getattr(args, name) <= 0:
            raise _bad(name, getattr(args, name))
    if args.mode == "worker" and args.target is None:
        raise _bad("target", None, "a worker needs --target (the master's target)")
    return mix


def _bad(name: str, value: Any, valid: str = "a positive number") -> UsageError:
    return BadValue(f"--{name.replace('_', '-')}", str(value), [valid])


def cmd_load(args: argparse.Namespace) -> int:
    """Run the load (starting the embedded reference without --target), write the reports."""
    mix = _validate(args)
    args.api_key = args.api_key or os.environ.get("LLMGW_API_KEY")
    from llmgw_conformance.load.driver import drive

    return drive(args, mix, Path(args.report_dir), plain=not sys.stdout.isatty())
