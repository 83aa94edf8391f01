"""The live context over real HTTP: bounded requests, recorded and redacted evidence, findings."""

from __future__ import annotations

import shlex
import subprocess
import time

import pytest

from llmgw_conformance.live import make_context
from llmgw_conformance.options import SuiteOptions
from llmgw_conformance.outcomes import Outcome

from .framework_servers import ServeApp, gateway_app

KEY = "sk-test-live-0123456789"
FAST = SuiteOptions(connect_timeout_s=1, read_timeout_s=2, idle_gap_s=1, stream_budget_s=3)


def test_discovery_reads_capabilities_and_models(serve_app: ServeApp) -> None:
    url = serve_app(gateway_app())
    ctx, _ = make_context(url, KEY, "demo", FAST)
    assert ctx.target.capabilities is not None
    assert ctx.target.profiles == {"control", "tasks", "openai-chat"}
    assert "cancel" in ctx.target.features and ctx.target.models == ("tiny", "emb")
    assert ctx.target.model == "tiny" and ctx.target.engine == "vllm"
    assert ctx.target.model_for("embedding") == "emb" and ctx.target.model_for("completion") == "tiny"
    assert ctx.target.model_for("rerank") == "tiny"  # nothing serves it: the checks see the refusal
    ctx.close()


def test_request_is_recorded_redacted_with_a_curl_line_that_replays(serve_app: ServeApp) -> None:
    url = serve_app(gateway_app(echo_key=True))
    ctx, _ = make_context(url, KEY, "demo", FAST)
    response = ctx.request("POST", "/echo", json={"max_tokens": 16, "note": f"key {KEY}"})
    assert response.status == 200 and KEY in response.text  # the check itself sees the echo
    ex = response.exchange
    assert ex.request_headers["authorization"] == "Bearer $API_KEY"
    assert KEY not in str(ex)
    assert '"max_tokens":16' in (ex.request_body or "")  # nothing else is redacted
    assert ex.curl.startswith(f"curl -sS -X POST {url}/echo")
    assert '-H "Authorization: Bearer $API_KEY"' in ex.curl
    # The curl line really replays the request when $API_KEY is set.
    completed = subprocess.run(
        ["bash", "-c", ex.curl],
        env={"API_KEY": KEY, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    assert f"Bearer {KEY}" in completed.stdout
    assert ctx.exchanges == [ex]
    ctx.close()


def test_stream_is_read_through_the_strict_reader(serve_app: ServeApp) -> None:
    url = serve_app(gateway_app())
    ctx, _ = make_context(url, KEY, "demo", FAST)
    result = ctx.stream("POST", "/v1/chat/completions", json={"model": "tiny", "stream": True})
    assert result.status == 200 and result.termination == "eof"
    assert [e.data for e in result.transcript.events][-1] == "[DONE]"
    assert result.body is None and result.headers_after_s < 2
    assert result.exchange.transcript is not None and result.exchange.transcript["events"]
    assert " -N " in result.exchange.curl
    ctx.close()


def test_no_server_is_a_value_not_an_exception() -> None:
    ctx, _ = make_context("http://127.0.0.1:9", KEY, "demo", FAST)
    assert ctx.target.capabilities is None and ctx.target.notes
    response = ctx.request("GET", "/v1/models")
    assert response.status == 0 and response.error is not None and "connection_error" in response.error
    stream = ctx.stream("POST", "/v1/chat/completions", json={})
    assert stream.status == 0 and stream.termination == "connection_error"
    assert (stream.exchange.response_body or "").startswith("[no answer:")
    ctx.close()


def test_findings_land_in_the_list_redacted_and_unknown_ids_are_refused(serve_app: ServeApp) -> None:
    url = serve_app(gateway_app())
    ctx, findings = make_context(url, KEY, "demo", FAST)
    ctx.passed("SSE-CONTENT-TYPE")
    ctx.failed("NAT-FIRST-STARTED", f"saw {KEY}", expected="started", received="token")
    ctx.skipped("NAT-METRICS", "not observed")
    ctx.not_supported("DL-FIRES", "no deadlines")
    assert [f.outcome for f in findings] == [
        Outcome.PASSED,
        Outcome.FAILED,
        Outcome.SKIPPED,
        Outcome.NOT_SUPPORTED,
    ]
    assert findings[1].message == "saw [redacted]" and findings[1].check == "demo"
    with pytest.raises(KeyError):
        ctx.passed("NO-SUCH-REQUIREMENT")
    ctx.close()


def test_rng_is_seeded_per_check(serve_app: ServeApp) -> None:
    url = serve_app(gateway_app())
    a, _ = make_context(url, KEY, "one", FAST.replace(seed=5))
    b, _ = make_context(url, KEY, "one", FAST.replace(seed=5))
    c, _ = make_context(url, KEY, "two", FAST.replace(seed=5))
    draws = [[x.rng.random() for _ in range(3)] for x in (a, b, c)]
    assert draws[0] == draws[1] != draws[2]
    for x in (a, b, c):
        x.close()


def test_budget_bounds_requests(serve_app: ServeApp) -> None:
    url = serve_app(gateway_app())
    ctx, _ = make_context(url, KEY, "demo", FAST.replace(check_budget_s=0.2))
    time.sleep(0.3)
    from llmgw_conformance.live import CheckBudgetExceeded

    with pytest.raises(CheckBudgetExceeded):
        ctx.request("GET", "/v1/models")
    ctx.close()


def test_curl_quotes_hostile_bodies() -> None:
    from llmgw_conformance.redaction import curl_command

    line = curl_command(
        "POST", "http://h/x", {"content-type": "application/json"}, '{"a":"it\'s $(rm -rf /)"}'
    )
    assert shlex.split(line)[-1] == '{"a":"it\'s $(rm -rf /)"}'


def test_openai_only_server_profiles_are_inferred_and_probed(serve_app: ServeApp) -> None:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    async def models(request: Request) -> Response:
        return JSONResponse({"object": "list", "data": [{"id": "m", "object": "model"}]})

    async def not_implemented(request: Request) -> Response:
        return JSONResponse({"error": {"message": "start with --embeddings"}}, status_code=501)

    async def bad_request(request: Request) -> Response:
        return JSONResponse({"error": {"message": "query is required"}}, status_code=400)

    app = Starlette(
        routes=[
            Route("/v1/models", models),
            Route("/v1/embeddings", not_implemented, methods=["POST"]),
            Route("/v1/rerank", bad_request, methods=["POST"]),
        ]
    )
    ctx, _ = make_context(serve_app(app), None, "demo", FAST)
    assert ctx.target.capabilities is None and ctx.target.profiles_source == "probed"
    # Only a 2xx to a valid minimal request is evidence: no chat route (404), embeddings 501 and a
    # 400 to a valid rerank request give no profile (issue 10: nothing is assumed, not even chat).
    assert ctx.target.profiles == frozenset()
    rerank = ctx.target.decision("profile", "rerank")
    assert rerank is not None and not rerank.supported and rerank.evidence.endswith("-> 400")
    assert "native" not in ctx.target.features and ctx.target.model == "m"
    assert any("OpenAI-only" in note for note in ctx.target.notes)
    ctx.close()
