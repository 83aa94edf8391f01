"""tools.matrix: the document rendered from report.json files, the hand checks, the CLI's usage
errors, the .pth refusal of the LiteLLM venv, and starting/stopping a real server process."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from tools.matrix.__main__ import collect, main
from tools.matrix.cache import Cache
from tools.matrix.document import one_line, render, tally
from tools.matrix.engines import rows
from tools.matrix.hand_checks import HAND_CHECKS, BadHandChecks, HandCheck, load_hand_checks
from tools.matrix.litellm_proxy import proxy_config, unexpected_pth
from tools.matrix.processes import StartFailed, free_port, start_server
from tools.matrix.suite_run import EngineInfo

CURL_500 = "curl -sS -X POST http://127.0.0.1:1/v1/chat/completions -d '{\"model\": '"


def _requirement(
    rid: str, outcome: str, findings: list[dict[str, Any]], level: str = "MUST"
) -> dict[str, Any]:
    return {
        "id": rid,
        "level": level,
        "text": "",
        "profiles": ["openai-chat"],
        "outcome": outcome,
        "findings": findings,
    }


def _finding(message: str, curl: str = "", caused_by: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "check": "some-check",
        "outcome": "failed",
        "message": message,
        "expected": "400",
        "received": "500 {}",
        "exchanges": [{"curl": curl}] if curl else [],
        "caused_by": caused_by,
    }


def _report(requirements: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "verdict": "fail",
        "exit_code": 1,
        "contract": {"version": "9.9"},
        "target": {
            "features": ["n"],
            "notes": [],
            "decisions": [
                {"kind": "feature", "name": "n", "how": "probed", "supported": True, "evidence": "n=2 -> 200"}
            ],
        },
        "profiles": [
            {
                "name": "openai-chat",
                "result": "failure",
                "supported": True,
                "decided": {
                    "how": "probed",
                    "supported": True,
                    "evidence": "POST /v1/chat/completions -> 200",
                },
            },
            {"name": "rerank", "result": "not_supported", "supported": False, "decided": {"how": "probed"}},
        ],
        "summary": {
            "counts": {"MUST": {"failed": 3, "caused": 1}, "SHOULD": {"failed": 0}},
            "must_defects": ["A", "B"],
        },
        "requirements": requirements,
    }


def _write_row(reports: Path, name: str, report: dict[str, Any]) -> None:
    folder = reports / name
    folder.mkdir(parents=True)
    (folder / "report.json").write_text(json.dumps(report))
    EngineInfo(
        name,
        "Title",
        "desc",
        "1.2.3 (header)",
        "pkg==1.2.3",
        "http://x",
        "m",
        "reused",
        "python -m ...",
        1,
        2.0,
    ).write(folder)


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    _write_row(
        folder,
        "llama-server",
        _report(
            [
                _requirement(
                    "OAI-ERROR-SHAPE",
                    "failed",
                    [_finding("a 500 answer is not the OpenAI error shape", CURL_500)],
                ),
                _requirement("OAI-RANGE-BOUNDARY", "failed", [_finding("temperature=0 was not accepted")]),
                _requirement(
                    "SSE-DATA-JSON",
                    "failed",
                    [_finding("no finish_reason", caused_by={"requirement": "CHAT-FINISH-VALUE"})],
                ),
                _requirement("CHAT-DONE-SENTINEL", "passed", []),
                _requirement("TASK-ONLY", "not_supported", []),
            ]
        ),
    )
    _write_row(
        folder,
        "transformers",
        _report([_requirement("OAI-ERROR-SHAPE", "failed", [_finding("2 of 9 broke it:\n- one\n- two")])]),
    )
    return folder


CHECKS = [
    HandCheck(
        ("llama-server",),
        "OAI-ERROR-SHAPE",
        "error shape",
        "deviation",
        "500 with integer code",
        "OpenAI Error.code is a string",
    ),
    HandCheck(
        ("llama-server",),
        "OAI-RANGE-BOUNDARY",
        "",
        "suite-bug",
        "200 with a completion",
        "accepted",
        "checks/x.py::y",
    ),
]


def test_document_shows_each_failure_with_evidence_and_its_hand_check(reports: Path) -> None:
    results = collect(rows(Cache(Path("/nonexistent"))), reports)
    assert [r.name for r in results] == ["llama-server", "transformers"]
    text = render(results, CHECKS, generated="now", suite_commit="abc", how_checked="We looked.")
    assert "a 500 answer is not the OpenAI error shape" in text
    assert CURL_500 in text
    assert "hand check: deviation. Raw answer: 500 with integer code" in text
    # the transformers failure has no hand check: it says so instead of borrowing llama-server's
    assert "2 of 9 broke it:\n  - one\n  - two" in text
    assert text.count("**not checked by hand yet**") == 1
    # a suite bug is marked in the grid and listed with the check at fault
    assert "| OAI-RANGE-BOUNDARY | MUST | FAIL† | — |" in text
    assert "`checks/x.py::y`" in text
    # a consequence points at its cause and is not a defect of its own
    assert "| SSE-DATA-JSON | MUST | ↳ CHAT-FINISH-VALUE | — |" in text
    assert "| OAI-ERROR-SHAPE | MUST | **FAIL** | **FAIL?** |" in text
    assert "TASK-ONLY" not in text  # judged nowhere: not a row of the grid
    assert (
        "| llama-server | 1.2.3 (header) | `m` | fail | openai-chat (probed) | 2 (+1 caused by those) | 0 |"
        in text
    )
    assert "## How this was checked\n\nWe looked." in text
    assert "| n | accepted | probed | n=2 -> 200 |" in text
    counts = tally(results, CHECKS)
    assert (counts.deviations, counts.suite_bugs, counts.unchecked, counts.consequences) == (1, 1, 1, 1)


def test_one_line_of_a_grouped_message() -> None:
    grouped = (
        "3 of 81 invalid requests broke it:\n- a: 500 [2 case(s)]\n- b: 200\nReproduce each case:\n# a\ncurl"
    )
    assert one_line(grouped) == "3 of 81 invalid requests broke it: a: 500 [2 case(s)] (+1 more problems)"
    assert one_line("plain message\nReproduce with: curl ...") == "plain message"


def test_hand_checks_file_is_valid_and_bad_entries_name_valid_values(tmp_path: Path) -> None:
    names = [r.name for r in rows(Cache(tmp_path))]
    load_hand_checks(HAND_CHECKS, names)  # the shipped file
    bad = tmp_path / "h.yaml"
    bad.write_text("- {rows: [vllm], requirement: X, verdict: deviation, raw: r, reference: f}\n")
    with pytest.raises(BadHandChecks, match="valid rows: llama-server"):
        load_hand_checks(bad, names)
    bad.write_text("- {rows: [llama-server], requirement: X, verdict: suite-bug, raw: r, reference: f}\n")
    with pytest.raises(BadHandChecks, match="suite_module"):
        load_hand_checks(bad, names)


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--only", "vllm"], "valid rows"),
        (["--reuse-running", "nginx=http://x"], "valid: llama-server, litellm"),
    ],
)
def test_cli_usage_errors_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], named: str
) -> None:
    code = main([*args, "--render-only", "--reports", str(tmp_path), "--out", str(tmp_path / "c.md")])
    assert code == 2
    assert named in capsys.readouterr().err
    assert not (tmp_path / "c.md").exists()


def test_litellm_venv_with_a_foreign_pth_file_is_refused(tmp_path: Path) -> None:
    site = tmp_path / "venv" / "lib" / "python3.11" / "site-packages"
    site.mkdir(parents=True)
    python = tmp_path / "venv" / "bin" / "python"
    (site / "distutils-precedence.pth").write_text("")
    assert unexpected_pth(python) == []
    (site / "litellm_init.pth").write_text("import os")
    assert unexpected_pth(python) == [site / "litellm_init.pth"]


def test_proxy_config_passes_through_only_with_a_backend() -> None:
    assert [m["model_name"] for m in proxy_config(None)["model_list"]] == ["mock-gpt"]
    config = proxy_config("http://127.0.0.1:9999")
    assert config["model_list"][1]["litellm_params"]["api_base"] == "http://127.0.0.1:9999/v1"


def test_start_waits_for_v1_models_and_stop_ends_the_process(tmp_path: Path) -> None:
    (tmp_path / "www" / "v1").mkdir(parents=True)
    (tmp_path / "www" / "v1" / "models").write_text('{"data": []}')
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "http.server",
        str(port),
        "--bind",
        "127.0.0.1",
        "--directory",
        str(tmp_path / "www"),
    ]
    server = start_server("static", argv, port, env={}, cwd=tmp_path, log=tmp_path / "s.log", timeout_s=20)
    try:
        assert server.base_url == f"http://127.0.0.1:{port}"
        assert server.process.poll() is None
    finally:
        server.stop()
    assert server.process.poll() is not None


def test_a_server_that_exits_is_reported_with_its_log(tmp_path: Path) -> None:
    argv = [sys.executable, "-c", "print('cannot bind'); raise SystemExit(3)"]
    with pytest.raises(StartFailed, match=r"(?s)exited 3.*cannot bind"):
        start_server("broken", argv, free_port(), env={}, cwd=tmp_path, log=tmp_path / "b.log", timeout_s=20)


def test_a_misfiled_deviation_counts_as_a_deviation_and_names_the_check(reports: Path) -> None:
    results = collect(rows(Cache(Path("/nonexistent"))), reports)
    misfiled = HandCheck(
        ("transformers",), "OAI-ERROR-SHAPE", "broke it", "misfiled", "raw", "ref", "checks/z.py"
    )
    text = render(results, [*CHECKS, misfiled], generated="now", suite_commit="abc", how_checked="")
    assert "| OAI-ERROR-SHAPE | MUST | **FAIL** | **FAIL**‡ |" in text
    assert "filed under the wrong requirement** (suite bug in `checks/z.py`)" in text
    assert "| transformers | OAI-ERROR-SHAPE |" in text  # listed with the suite's bugs
    assert tally(results, [*CHECKS, misfiled]).misfiled == 1
