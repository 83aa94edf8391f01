"""Rows in processes forked from one warm interpreter: a fresh reference and a fresh suite per row.

Why: a row used to start two new interpreters (`python -m llmgw_reference`, `python -m
llmgw_conformance run`), and most of a row's CPU went to importing both, parsing the contract's YAML
and writing three report files nobody reads (about 5 of a typical row's 7 CPU seconds). A
multiprocessing *forkserver* imports all of that once (this module is its preload) and forks a child
per reference and per suite run. Each child is still a process of its own, with the fresh state of a
new process (the reference's runtime, the suite's threads and connections), so a row proves exactly
what it proved as two new interpreters, and a fault that stalls or breaks its server still cannot
take the harness down. The suite still judges the reference over real HTTP on 127.0.0.1.

The suite child runs what ``llmgw_conformance run`` runs (the CLI's own parser and option rules, then
``run_suite``) and returns the report document's requirement outcomes and suite errors, the fields
the matrix used to read back from report.json; it writes no report files.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import importlib
import multiprocessing
import os
import signal
import traceback
from collections.abc import Sequence
from functools import cache
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from multiprocessing.process import BaseProcess
from typing import Any

#: The environment variables the suite reads its keys from; a row sets exactly its own.
KEY_VARIABLES = ("LLMGW_API_KEY", "LLMGW_RESTRICTED_API_KEY")
_PR_SET_PDEATHSIG = 1


#: Modules a row's processes import only once they run (the reference's routes and accounts in
#: `create_app`, uvicorn's protocols in `uvicorn.run`, httpx's transport, schemathesis' OpenAPI loader
#: in the schema-driven check): about 0.25 s of CPU per row when every child imported them anew.
LAZY_IMPORTS = (
    "llmgw_reference.accounts",
    "llmgw_reference.control",
    "llmgw_reference.surfaces",
    "llmgw_reference.faults.json_answers",
    "uvicorn.lifespan.on",
    "uvicorn.protocols.http.auto",
    "uvicorn.protocols.websockets.auto",
    "httpcore",
    "schemathesis.specs.openapi.schemas",
)


def warm() -> None:
    """Imports the suite and the reference and fills their caches (contract, checks, faults, the TLS
    context, the CLI parser), and the modules of LAZY_IMPORTS; nothing that opens a file or socket."""
    from llmgw_conformance.contract import load_contract
    from llmgw_conformance.http_session import tls_context
    from llmgw_conformance.registry import registered_checks
    from llmgw_conformance.report.document import build_document  # noqa: F401  (imported to warm)
    from llmgw_conformance.runner import run_suite  # noqa: F401  (imported to warm)
    from llmgw_contracts import contract_files
    from llmgw_reference.__main__ import build_parser as reference_parser  # noqa: F401
    from llmgw_reference.app import create_app  # noqa: F401  (imported to warm)
    from llmgw_reference.faults import registered

    load_contract(None)
    registered_checks()
    registered()
    contract_files().requirements()
    suite_parser()
    tls_context()
    for name in LAZY_IMPORTS:
        importlib.import_module(name)


@cache
def suite_parser() -> argparse.ArgumentParser:
    """The `llmgw_conformance` CLI's parser, built once (about 50 ms each time)."""
    from llmgw_conformance.cli import build_parser

    return build_parser()


@cache
def context() -> ForkServerContext:
    """The forkserver context; its server imports and warms everything (`preload`) before the first fork."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["tools.killmatrix.preload"])
    return ctx


def _child_setup() -> None:
    """Every child: output nowhere (as the subprocesses' was: DEVNULL, or captured), and SIGTERM when
    the forkserver ends (it ends with the harness), so a killed run leaves no server behind."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)
    with contextlib.suppress(OSError, AttributeError):  # Linux only: prctl(PR_SET_PDEATHSIG, SIGTERM)
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def serve_reference(argv: Sequence[str]) -> None:
    """Child: `python -m llmgw_reference ARGV` without a new interpreter (uvicorn until SIGTERM)."""
    from llmgw_reference.__main__ import main

    _child_setup()
    raise SystemExit(main(list(argv)))


def start_reference(argv: Sequence[str]) -> BaseProcess:
    """A forked reference server running `argv` (its command-line flags)."""
    process = context().Process(target=serve_reference, args=(list(argv),), name="killmatrix-reference")
    process.start()
    return process


def judge(target: str, flags: Sequence[str], keys: dict[str, str]) -> dict[str, Any]:
    """Child: the suite's verdicts on `target` with the CLI flags `flags` and the key variables `keys`."""
    from llmgw_conformance.options import build_options
    from llmgw_conformance.report.document import build_document
    from llmgw_conformance.runner import run_suite

    args = suite_parser().parse_args(["run", "--target", target, *flags])
    explicit = {k: v for k, v in vars(args).items() if k not in ("command", "config")}
    options = build_options(explicit, {k: v for k, v in keys.items() if k in KEY_VARIABLES})
    result = run_suite(options, embedded=False)
    doc = build_document(result)
    return {
        "outcomes": {r["id"]: r["outcome"] for r in doc["requirements"]},
        "errors": [str(e) for e in doc["suite_errors"]],
        "exit_code": result.exit_code,
    }


def _judge_child(conn: Connection, target: str, flags: list[str], keys: dict[str, str]) -> None:
    _child_setup()
    try:
        answer = judge(target, flags, keys)
    except BaseException:  # the suite's own crash: the row reports it as a suite error
        answer = {"outcomes": {}, "errors": [traceback.format_exc()[-1500:]], "exit_code": 4}
    try:
        times = os.times()  # a forked child's counters start at zero: this is the run's own CPU
        conn.send({**answer, "cpu_s": times.user + times.system})
    finally:
        conn.close()


def run_judge(
    target: str, flags: Sequence[str], keys: dict[str, str], timeout_s: float
) -> dict[str, Any] | None:
    """`judge` in a forked child; None when it did not answer within `timeout_s` (it is killed)."""
    ctx = context()
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_judge_child, args=(send, target, list(flags), keys), name="killmatrix-suite")
    child.start()
    send.close()
    try:
        # Read before joining: a large answer would otherwise block the child on a full pipe.
        answer: dict[str, Any] | None = receive.recv() if receive.poll(timeout_s) else None
    except EOFError:  # the child died without answering
        answer = {"outcomes": {}, "errors": [f"suite process exited {child.exitcode}"], "exit_code": -1}
    finally:
        receive.close()
        stop(child)
    return answer


def cpu_seconds(process: BaseProcess) -> float:
    """User + system CPU seconds a live child has used (Linux /proc; 0.0 where it cannot be read).

    Why: the machine is shared, so a row's wall time says as much about the neighbours as about the
    row; its CPU is what the row itself costs."""
    try:
        with open(f"/proc/{process.pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stop(process: BaseProcess, grace_s: float = 5.0) -> None:
    """SIGTERM, then SIGKILL after `grace_s`; always reaped."""
    if process.is_alive():
        process.terminate()
        process.join(grace_s)
    if process.is_alive():
        process.kill()
    process.join()
