"""The load mode against the real reference: a short run passes, and stepping provokes refusals.

Small user counts and a few seconds each, as `make test` allows; every answer is judged, so a pass
here means the stream rules held on every stream read under load, and a skip names the load reached.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conformance.load.conftest import SMALL_REFERENCE, outcomes, run_load

pytestmark = pytest.mark.timeout(300)

STREAM_RULES = (
    "NAT-TERMINAL-ONCE",
    "CHAT-DONE-SENTINEL",
    "CHAT-USAGE-TOTAL",
    "GEN-DONE-SENTINEL",
    "BP-BURST-NO-LOSS",
)


def test_short_load_on_the_reference_passes_with_figures_and_plots(
    reference: Callable[..., Any], tmp_path: Path
) -> None:
    ref = reference()
    code, report, output = run_load(ref.url, tmp_path, "--users", "6", "--spawn-rate", "6", "--duration", "3")
    assert code == 0, output
    judged = outcomes(report)
    assert all(judged[r] == "passed" for r in STREAM_RULES), judged
    load = report["load"]
    assert set(load["streams"]) == {"chat", "chat-usage", "task", "generate"}
    assert load["judged"] > 0 and load["latency"]["ttft_ms"]["p50"] is not None
    assert load["recovery"]["recovered"] is True
    refusal = next(r for r in report["requirements"] if r["id"] == "ERR-RETRY-AFTER")
    assert refusal["outcome"] == "skipped" and "highest load reached" in refusal["summary"]
    html = (tmp_path / "report.html").read_text()
    assert "Conformance under load" in html and html.count("<svg") == 3
    assert (tmp_path / "junit.xml").exists()


def test_stepping_provokes_refusals_and_judges_them(reference: Callable[..., Any], tmp_path: Path) -> None:
    ref = reference(config=SMALL_REFERENCE)
    code, report, output = run_load(
        ref.url,
        tmp_path,
        *("--step", "--users", "4", "--spawn-rate", "50", "--step-seconds", "2", "--time-budget", "30"),
        *("--mix", "task=2,chat=1", "--max-tokens", "32"),
    )
    assert code == 0, output
    load = report["load"]
    assert load["refusals_began"] is not None, load["steps"]
    judged = outcomes(report)
    for rule in ("BP-QUEUE-BOUNDED", "ERR-RETRY-AFTER", "ERR-POLICY-LABEL", "OAI-RETRY-AFTER"):
        assert judged[rule] == "passed", (rule, judged)


def test_a_bad_mix_is_a_usage_error(tmp_path: Path) -> None:
    code, _, output = run_load("http://127.0.0.1:9", tmp_path, "--mix", "chat=1,embeddings=2")
    assert code == 2 and "embeddings" in output and "chat-usage" in output
