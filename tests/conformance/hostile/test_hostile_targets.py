"""Hostile targets: the suite finishes in bounded time, never crashes, and names the broken rule.

Every case runs the real runner (discovery, isolation, budgets) with small limits against a raw
socket server that misbehaves one way, and asserts the run's duration, the absence of suite errors
(no traceback) and the failed requirement with its rule and time.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from llmgw_conformance.options import SuiteOptions
from llmgw_conformance.outcomes import Outcome
from llmgw_conformance.runner import run_suite
from tools.killmatrix.hostile import HostilePaths

from .hostile_checks import body_check, registry_of, stream_check

KEY = "sk-hostile-0123456789"
SMALL = dict(
    connect_timeout_s=2,
    read_timeout_s=3,
    idle_gap_s=1,
    stream_budget_s=3,
    header_budget_s=2,
    max_bytes=1024 * 1024,
    max_events=2000,
    check_budget_s=10,
    run_budget_s=30,
)
BOUND_S = 15


def small_options(url: str) -> SuiteOptions:
    # Declared, not probed: these tests judge the stream machinery on each hostile path, not discovery.
    return SuiteOptions(
        target=url,
        api_key=KEY,
        profiles=("openai-chat",),
        declared_profiles=("openai-chat",),
        **SMALL,  # type: ignore[arg-type]
    )


@pytest.fixture(autouse=True)
def answering_chat(hostile: HostilePaths) -> Iterator[None]:
    """Discovery probes the chat path: let it answer completely, so that only each test's own path is
    hostile (a hostile chat path is test_hostile_real_checks' subject)."""
    before, hostile.chat_mode = hostile.chat_mode, "invalid-utf8"
    yield
    hostile.chat_mode = before


@pytest.mark.parametrize(
    ("path", "requirement", "words"),
    [
        ("/silent", "SSE-HEADERS-PROMPT", ["no status line", "3.0s"]),
        ("/slow-headers", "SSE-HEADERS-PROMPT", ["no status line", "s)"]),
        ("/endless", "SSE-STREAM-ENDS", ["stream budget 3", "events"]),
        ("/garbage", "SSE-FRAMING-VALID", ["after"]),
        ("/reset", "SSE-STREAM-ENDS", ["connection broke"]),
        ("/invalid-utf8", "SSE-FRAMING-VALID", ["invalid_utf8"]),
        ("/endless-headers", "SSE-HEADERS-PROMPT", ["no status line", "protocol_error"]),
        ("/not-http", "SSE-HEADERS-PROMPT", ["no status line"]),
    ],
)
def test_hostile_stream(hostile: HostilePaths, path: str, requirement: str, words: list[str]) -> None:
    spec = stream_check(path)
    t0 = time.monotonic()
    result = run_suite(small_options(hostile.base_url), registry=registry_of(spec))
    took = time.monotonic() - t0
    assert took < BOUND_S, f"{path} took {took:.1f}s"
    assert result.suite_errors == [], result.suite_errors
    verdict = result.requirements[requirement]
    assert verdict.outcome == Outcome.FAILED, (path, verdict.summary())
    message = verdict.decisive()[0].message
    assert all(w in message for w in words), message
    assert verdict.decisive()[0].exchanges[0].curl.startswith("curl -sS -N -X POST")
    assert result.exit_code == 1


def test_huge_body_is_cut_at_the_cap(hostile: HostilePaths) -> None:
    t0 = time.monotonic()
    result = run_suite(small_options(hostile.base_url), registry=registry_of(body_check("/huge")))
    assert time.monotonic() - t0 < BOUND_S
    assert result.suite_errors == []
    verdict = result.requirements["RESP-SCHEMA"]
    assert verdict.outcome == Outcome.FAILED
    assert "exceeded max_bytes (1048576)" in verdict.summary()
    exchange = verdict.decisive()[0].exchanges[0]
    assert exchange.response_body is not None and len(exchange.response_body) < 8 * 1024


def test_a_trickling_body_is_cut_at_the_read_timeout(hostile: HostilePaths) -> None:
    t0 = time.monotonic()
    result = run_suite(small_options(hostile.base_url), registry=registry_of(body_check("/trickle")))
    took = time.monotonic() - t0
    assert took < 10, took  # read timeout 3 s, plus at most one more read
    verdict = result.requirements["RESP-SCHEMA"]
    assert verdict.outcome == Outcome.FAILED and "body not complete within 3" in verdict.summary()


def test_a_body_that_does_not_decode_is_named(hostile: HostilePaths) -> None:
    result = run_suite(small_options(hostile.base_url), registry=registry_of(body_check("/bad-gzip")))
    assert result.suite_errors == []
    verdict = result.requirements["RESP-SCHEMA"]
    assert verdict.outcome == Outcome.FAILED and "decoding_error" in verdict.summary()


def test_a_dead_target_is_reported_not_crashed() -> None:
    t0 = time.monotonic()
    result = run_suite(small_options("http://127.0.0.1:9"), registry=registry_of(stream_check("/x")))
    assert time.monotonic() - t0 < BOUND_S
    assert result.suite_errors == []
    # Preflight judges it unusable: no check runs, nothing reads as a pass, exit 3.
    assert result.stopped == "target_unusable" and "connection refused" in result.stop_message
    assert result.requirements["SSE-HEADERS-PROMPT"].outcome == Outcome.SKIPPED
    assert result.exit_code == 3 and result.verdict == "unusable"
