"""Distributed load: one Locust master and two worker processes on 127.0.0.1 make one report.

The workers judge the streams and send their verdicts and figures to the master (Locust's
report_to_master and a last share on request); the master's report must hold both workers' work.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conformance.load.conftest import KEY, ROOT, free_port, load_command, outcomes, run_load

pytestmark = pytest.mark.timeout(300)


def test_master_and_two_workers_merge_into_one_report(reference: Callable[..., Any], tmp_path: Path) -> None:
    ref = reference()
    port = str(free_port())
    env = dict(os.environ, LLMGW_API_KEY=KEY)
    workers = [
        subprocess.Popen(
            load_command(ref.url, tmp_path / f"worker-{i}", "--worker", "--master-port", port),
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for i in range(2)
    ]
    try:
        code, report, output = run_load(
            ref.url,
            tmp_path / "master",
            *("--master", "--expect-workers", "2", "--master-port", port),
            *("--users", "6", "--spawn-rate", "6", "--duration", "4"),
        )
        worker_output = [w.communicate(timeout=60)[0] for w in workers]
    finally:
        for w in workers:
            if w.poll() is None:
                w.kill()
    assert code == 0, output
    assert all(w.returncode == 0 for w in workers), worker_output
    judged_by_worker = [int(out.split("worker done: ")[1].split()[0]) for out in worker_output]
    assert all(n > 0 for n in judged_by_worker), worker_output
    load = report["load"]
    assert load["workers"] == 2
    recovery = len(load["recovery"]["kinds"])
    assert load["judged"] == sum(judged_by_worker) + recovery, (load["judged"], judged_by_worker)
    assert outcomes(report)["NAT-TERMINAL-ONCE"] == "passed"
    assert not (tmp_path / "worker-0" / "report.json").exists()
