"""Smoke tests of the benchmark harness: every benchmark runs at tiny sizes against real servers.

These prove the harness measures what it says (streams accounted, readers agreeing, runs timed,
a broken run reported) and print the ratios; they never assert performance, which is measured by
`make bench`, not tested.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tools.bench import (
    concurrent_streams,
    gateway_overhead,
    suite_run,
    validation_stages,
    validation_throughput,
)
from tools.bench.__main__ import main
from tools.bench.chat_load import StreamResult, _judge_line
from tools.bench.reader_micro import make_stream, per_event_chunks
from tools.bench.summary import Figure, render, write_json


def _feed(lines: list[str]) -> StreamResult:
    result = StreamResult(status=200)
    for line in lines:
        _judge_line(line, result, 0.0)
    return result


CHUNK = 'data: {"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}'


def test_stream_accounting_needs_exactly_one_terminal_and_nothing_after() -> None:
    whole = _feed([CHUNK, "", ": heartbeat", CHUNK, "", "data: [DONE]", ""])
    assert whole.intact and whole.tokens == 2 and whole.ttft_s is not None
    assert not _feed([CHUNK, ""]).intact  # cut before the terminal event
    doubled = _feed([CHUNK, "data: [DONE]", "data: [DONE]"])
    assert not doubled.intact and doubled.events_after_terminal == 1
    errored = _feed([CHUNK, 'data: {"error":{"message":"boom"}}'])
    assert errored.intact and errored.terminals == 1
    assert not StreamResult(status=503, terminals=1).intact


def test_concurrent_streams_tiny_levels_lose_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    result = concurrent_streams.run(levels=(10, 30), hold_ms=300.0, tokens_per_s=50.0, budget_s=30.0)
    assert [lv.n for lv in result.levels] == [10, 30]
    assert all(lv.lost == 0 for lv in result.levels), result.levels
    assert result.max_n_zero_lost == 30
    assert result.peak_open_at_max > 1  # the streams overlapped
    assert "30 streams: lost 0" in capsys.readouterr().out


def test_gateway_and_worker_paths_both_deliver_the_same_tokens(capsys: pytest.CaptureFixture[str]) -> None:
    t = gateway_overhead.measure_throughput("paced", 200.0, concurrency=4, requests=8, rounds=1)
    assert t.lost == 0 and t.tokens_per_round > 8
    assert t.worker_tokens_per_s > 0 and t.gateway_tokens_per_s > 0
    assert t.ratio == pytest.approx(t.gateway_tokens_per_s / t.worker_tokens_per_s, rel=0.01)
    assert set(t.cpu_ms_per_1k_tokens) == {"direct: worker", "via gateway: worker", "via gateway: gateway"}
    ttft = gateway_overhead.measure_ttft(samples=3)
    assert ttft.worker_median_s >= 0.02 and ttft.gateway_median_s >= 0.02  # the engine's 20 ms TTFT
    assert ttft.added_median_s == pytest.approx(ttft.gateway_median_s - ttft.worker_median_s, abs=1e-4)
    out = capsys.readouterr().out
    assert "ratio" in out and "TTFT median" in out


def test_validation_readers_see_the_same_recorded_chunks(capsys: pytest.CaptureFixture[str]) -> None:
    r = validation_throughput.run(n_chunks=200, rounds=1)
    assert r.chat_chunks >= 200 and r.events > r.chat_chunks  # [DONE] per stream
    assert min(r.suite_chunks_per_s, r.httpx_sse_chunks_per_s, r.openai_chunks_per_s) > 0
    assert r.ratio_vs_openai == pytest.approx(r.suite_chunks_per_s / r.openai_chunks_per_s, rel=0.01)
    assert "ratios" in capsys.readouterr().out


def test_suite_run_timed_and_a_broken_run_is_an_error() -> None:
    runs = suite_run.run(examples=(2,), rounds=1, base_args=("--check", "capabilities"))
    assert [r.label for r in runs] == ["default", "--examples 2"]
    assert all(r.best_wall_s > 0 and r.exit_codes[0] in (0, 1) for r in runs)
    with pytest.raises(RuntimeError, match="exited 2"):
        suite_run.run(examples=(), base_args=("--profile", "no-such-profile"))


def test_summary_goals_table_and_json(tmp_path: Path) -> None:
    floor = Figure("b", "ratio", 0.45, "x", 0.5)
    ceiling = Figure("b", "wall", 60.0, "s", 120.0, higher_is_better=False)
    plain = Figure("b", "rate", 1234.5, "tok/s")
    assert floor.met is False and ceiling.met is True and plain.met is None
    assert ceiling.goal_ratio == pytest.approx(2.0) and floor.goal_ratio == pytest.approx(0.9)
    table = render([floor, ceiling, plain])
    assert ">= 0.5" in table and "< 120" in table and "NO" in table and "1,234" in table
    path = tmp_path / "bench.json"
    write_json(path, [floor], {"b": {"x": 1}}, "cmd")
    document = json.loads(path.read_text())
    assert document["summary"][0]["met"] is False and document["details"] == {"b": {"x": 1}}


def test_cli_rejects_unknown_benchmark_and_writes_json(tmp_path: Path) -> None:
    assert main(["--only", "nope"]) == 2
    out = tmp_path / "bench.json"
    assert main(["--quick", "--only", "suite", "--out", str(out)]) == 0
    rows = json.loads(out.read_text())["summary"]
    assert rows[0]["figure"] == "default run wall time" and rows[0]["goal"] == 120.0


def test_micro_benchmarks_of_reader_and_judge_run_through_the_cli(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    assert main(["--quick", "--only", "micro", "--out", str(out)]) == 0
    rows = json.loads(out.read_text())["summary"]
    assert [r["benchmark"] for r in rows] == ["2a micro"] * 3
    assert all(r["value"] > 0 for r in rows)


def test_validation_stages_cost_each_stage_of_the_judge_on_recorded_streams() -> None:
    # A valid chat stream cut one chunk per event, twice: what the stage breakdown records from a server.
    first = b'"delta":{"content":"token0 "}'
    stream = make_stream(20).replace(first, first.replace(b"{", b'{"role":"assistant",'))
    last = b'"delta":{"content":"token19 "},"logprobs":null,"finish_reason":null'
    stream = stream.replace(last, last.replace(b"null}", b'"stop"}'))
    result = validation_stages.stages([per_event_chunks(stream)] * 2, rounds=1)
    names = list(result)
    assert names[0].startswith("reader") and names[-1].endswith("(peer)")
    assert len(result) == 7 and all(us > 0 for us in result.values()), result
