"""The load mode catches faults of the reference that only show under load, by requirement id.

``terminal-lost-under-concurrency`` passes every check that reads one stream at a time;
``retry-after-lost-under-load`` keeps Retry-After on a lone refusal. Each violation must carry its
stream or answer as evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conformance.load.conftest import SMALL_REFERENCE, outcomes, run_load

pytestmark = pytest.mark.timeout(300)


def test_a_terminal_event_lost_under_concurrency_fails(reference: Callable[..., Any], tmp_path: Path) -> None:
    ref = reference(faults=("terminal-lost-under-concurrency",))
    code, report, output = run_load(
        ref.url,
        tmp_path,
        *("--mix", "task=1", "--users", "8", "--spawn-rate", "8", "--duration", "60", "--max-requests", "80"),
    )
    assert code == 1, output
    judged = outcomes(report)
    assert judged["NAT-TERMINAL-ONCE"] == "failed" and judged["BP-BURST-NO-LOSS"] == "failed", judged
    failed = next(r for r in report["requirements"] if r["id"] == "BP-BURST-NO-LOSS")
    finding = failed["findings"][0]
    assert finding["details"]["broken"] >= 1, finding["details"]
    transcript = finding["exchanges"][0]["transcript"]
    assert "started" in transcript["rendered"] and "event='end'" not in transcript["rendered"]


def test_retry_after_lost_under_load_fails(reference: Callable[..., Any], tmp_path: Path) -> None:
    ref = reference(faults=("retry-after-lost-under-load",), config=SMALL_REFERENCE)
    code, report, output = run_load(
        ref.url,
        tmp_path,
        *("--step", "--users", "8", "--spawn-rate", "50", "--step-seconds", "2", "--time-budget", "30"),
        *("--mix", "task=2,chat=1", "--max-tokens", "32"),
    )
    assert code == 1, output
    judged = outcomes(report)
    assert judged["ERR-RETRY-AFTER"] == "failed", judged
    failed = next(r for r in report["requirements"] if r["id"] == "ERR-RETRY-AFTER")
    exchange = failed["findings"][0]["exchanges"][0]
    assert exchange["status"] == 429 and "retry-after" not in exchange["response_headers"]
