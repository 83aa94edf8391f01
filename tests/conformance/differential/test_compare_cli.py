"""The ``compare`` command and ``run --compare``: exit rules, report files, and targets that are down
or hostile (reported, in bounded time)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
import yaml
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from llmgw_conformance.cli import main
from llmgw_conformance.differential import FAIL_RULES
from llmgw_conformance.options import COMPARE_FAIL_RULES
from llmgw_conformance.report.document import REPORT_SCHEMA
from tests.conformance.framework.framework_servers import start_server

from .conftest import Servers

LIMITS = ["--idle-gap", "1", "--stream-budget", "4", "--read-timeout", "3", "--connect-timeout", "2"]


@pytest.fixture(autouse=True)
def _keys(monkeypatch: pytest.MonkeyPatch, servers: Servers) -> None:
    for name in ("LLMGW_TARGET", "LLMGW_COMPARE", "LLMGW_COMPARE_FAIL_ON", "LLMGW_HEADERS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LLMGW_API_KEY", servers.key)
    monkeypatch.setenv("LLMGW_COMPARE_API_KEY", servers.key)


def _schema(ref: str) -> dict[str, Any]:
    schema: dict[str, Any] = yaml.safe_load(REPORT_SCHEMA.read_text(encoding="utf-8"))
    return {"$defs": schema["$defs"], "$ref": f"#/$defs/{ref}"}


def _report(folder: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    return doc


def test_rules_are_the_documented_ones() -> None:
    assert set(FAIL_RULES) == set(COMPARE_FAIL_RULES)
    assert FAIL_RULES["shape-usage"] < FAIL_RULES["any"] and "text" not in FAIL_RULES["shape-usage"]


def test_exit_codes_follow_the_chosen_rule(servers: Servers, tmp_path: Path) -> None:
    faulty, worker = servers.faulty_gateway.url, servers.worker.url
    assert main(["compare", faulty, worker, "--report-dir", str(tmp_path / "any")]) == 1
    rule = ["--compare-fail-on", "shape-usage"]
    assert main(["compare", faulty, worker, *rule, "--report-dir", str(tmp_path / "su")]) == 0
    assert main(["compare", servers.gateway.url, worker, "--report-dir", str(tmp_path / "same")]) == 0
    failed = _report(tmp_path / "any")
    jsonschema.Draft202012Validator(_schema("differential_report")).validate(failed)
    assert failed["kind"] == "DifferentialReport" and failed["differential"]["verdict"] == "failed"
    assert _report(tmp_path / "su")["differential"]["verdict"] == "different"
    junit = (tmp_path / "any" / "junit.xml").read_text(encoding="utf-8")
    assert 'name="differential"' in junit and "first differing token #2" in junit
    html = (tmp_path / "any" / "report.html").read_text(encoding="utf-8")
    assert 'id="differential"' in html and "token #2" in html
    assert servers.key not in (tmp_path / "any" / "report.json").read_text(encoding="utf-8")


def test_a_bad_rule_is_a_usage_error(
    servers: Servers, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["compare", servers.worker.url, servers.twin.url, "--compare-fail-on", "text"]
    assert main([*args, "--report-dir", str(tmp_path)]) == 2
    assert "shape-usage" in capsys.readouterr().err
    assert main(["compare", servers.worker.url, "ftp://x", "--report-dir", str(tmp_path)]) == 2


def test_run_with_compare_adds_its_section(servers: Servers, tmp_path: Path) -> None:
    args = ["run", "--target", servers.faulty_gateway.url, "--compare", servers.worker.url]
    code = main([*args, "--check", "chat-delta-incremental", "--report-dir", str(tmp_path)])
    doc = _report(tmp_path)
    assert doc["kind"] == "ConformanceReport" and doc["differential"]["verdict"] == "failed"
    assert doc["exit_code"] == 0 and code == 1, "the run passed; the differential failed it"
    jsonschema.Draft202012Validator(_schema("differential")).validate(doc["differential"])
    assert doc["options"]["compare_api_key"] == "[redacted]"
    assert '<testsuite name="differential"' in (tmp_path / "junit.xml").read_text(encoding="utf-8")
    assert 'id="differential"' in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_a_comparison_target_that_is_down_is_reported(servers: Servers, tmp_path: Path) -> None:
    code = main(["compare", servers.worker.url, "http://127.0.0.1:9", *LIMITS, "--report-dir", str(tmp_path)])
    section = _report(tmp_path)["differential"]
    assert code == 3 and section["verdict"] == "unusable" and section["requests"] == []
    assert "comparison target" in section["unusable"] and "--compare" in section["unusable"]


def _hostile_app() -> Starlette:
    """Claims the chat surface; answers JSON with text that is not JSON, and streams one chunk, then
    nothing (the connection held open)."""

    async def capabilities(request: Request) -> Response:
        return JSONResponse({"api_version": "1.1", "profiles": ["openai-chat"], "features": []})

    async def models(request: Request) -> Response:
        return JSONResponse({"object": "list", "data": [{"id": "synth-small", "object": "model"}]})

    async def catalog(request: Request) -> Response:
        return JSONResponse({"data": [], "has_more": False, "next_cursor": None})

    async def chat(request: Request) -> Response:
        body = await request.json()
        if not body.get("stream"):
            return PlainTextResponse("<html>upstream error</html>", status_code=200)

        async def events() -> Any:
            chunk = {
                "object": "chat.completion.chunk",
                "choices": [{"index": 0, "delta": {"role": "assistant"}}],
            }
            yield f"data: {json.dumps(chunk)}\n\n".encode()
            await asyncio.sleep(3600)

        return StreamingResponse(events(), media_type="text/event-stream")

    return Starlette(
        routes=[
            Route("/v1/capabilities", capabilities),
            Route("/v1/models", models),
            Route("/v1/catalog/models", catalog),
            Route("/v1/chat/completions", chat, methods=["POST"]),
        ]
    )


@pytest.mark.timeout(120)
def test_a_hostile_comparison_target_is_reported_not_waited_on(servers: Servers, tmp_path: Path) -> None:
    server, thread, url = start_server(_hostile_app())
    try:
        code = main(["compare", servers.worker.url, url, *LIMITS, "--report-dir", str(tmp_path)])
    finally:
        server.should_exit = True
        thread.join(timeout=5)
    section = _report(tmp_path)["differential"]
    assert code == 1 and section["verdict"] == "failed"
    assert {s["surface"] for s in section["skipped"]} == {"generate", "native"}
    by_name = {r["name"]: r for r in section["requests"]}
    assert by_name["chat json"]["differing"] == ["answer"]
    assert by_name["chat json"]["other"]["problem"] == "the body is not a JSON object"
    stalled = by_name["chat stream"]
    assert stalled["other"]["termination"] in ("idle_timeout", "total_timeout")
    assert "text" in stalled["differing"] and "stream_shape" in stalled["differing"]
