"""Benchmark 3 (the project's own loop) and the `make test` clock, at tiny sizes.

They prove the figures are what they say: the kill matrix row is really run and counted, a green
`make test` is recorded with its wall time and a run without a start stamp records nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tools import make_test_clock
from tools.bench import project_loop


def test_one_kill_matrix_row_is_run_and_counted() -> None:
    result = project_loop.kill_matrix(quick=True)
    assert result["rows"] == 1 and result["rows_ok"] == 1, result
    assert result["exit_code"] == 0
    assert result["wall_s"] > 0 and result["slowest_rows"][0]["name"] == project_loop.QUICK_FAULT


def test_make_test_clock_records_a_stamped_run_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert make_test_clock.main(["stop"]) == 0
    assert not (tmp_path / make_test_clock.RESULT_FILE).exists()  # no stamp: nothing recorded
    assert make_test_clock.main(["start"]) == 0
    assert make_test_clock.main(["stop"]) == 0
    recorded = json.loads((tmp_path / make_test_clock.RESULT_FILE).read_text())
    assert recorded["wall_s"] >= 0 and recorded["finished"] >= recorded["started"]
    assert not (tmp_path / make_test_clock.START_FILE).exists()
    assert make_test_clock.main(["lap"]) == 2
    loaded = project_loop.last_make_test(tmp_path / make_test_clock.RESULT_FILE)
    assert loaded is not None and loaded["wall_s"] == recorded["wall_s"]
    assert project_loop.last_make_test(tmp_path / "absent.json") is None
