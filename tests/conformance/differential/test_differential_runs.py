"""Differential runs against real reference servers: identical where nothing changes the answer,
different (with the right first token) where a gateway changes one."""

from __future__ import annotations

from llmgw_conformance.differential import run_differential
from llmgw_conformance.differential.result import DifferentialResult
from llmgw_conformance.options import build_options
from llmgw_conformance.redaction import Redactor
from llmgw_reference.faults.differential import CHANGED_TOKEN_INDEX, changed_token

from .conftest import Servers

ALL_KINDS = {"chat-json", "chat-stream", "generate-json", "generate-stream", "native-stream"}


def _compare(target: str, other: str, key: str, rule: str = "any") -> DifferentialResult:
    options = build_options({"target": target, "api_key": key, "seed": 7})
    return run_differential(options, other, key, rule, Redactor.for_keys(key))


def test_reference_against_itself_is_identical(servers: Servers) -> None:
    result = _compare(servers.worker.url, servers.twin.url, servers.key)
    assert not result.unusable, result.unusable
    assert {c.request.kind for c in result.comparisons} == ALL_KINDS
    names = [c.request.name for c in result.comparisons]
    assert "chat stream with usage" in names and "chat stream" in names
    assert result.verdict == "identical" and result.exit_code == 0
    usage_stream = next(c for c in result.comparisons if c.request.name == "chat stream with usage")
    assert usage_stream.target.usage is not None and "usage" in (usage_stream.target.shape or [])
    assert all(c.identical["stream_shape"] for c in result.comparisons if c.request.stream)
    assert all(c.target.text for c in result.comparisons), "every answer carries text"


def test_gateway_in_front_of_its_worker_changes_nothing(servers: Servers) -> None:
    result = _compare(servers.gateway.url, servers.worker.url, servers.key)
    assert result.sides["target"]["says"]["role"] == "gateway"
    assert result.verdict == "identical", [(c.request.name, c.differing) for c in result.differing]
    assert len(result.comparisons) == len(ALL_KINDS) + 1


def test_token_changing_gateway_is_different_at_the_right_token(servers: Servers) -> None:
    result = _compare(servers.faulty_gateway.url, servers.worker.url, servers.key)
    assert result.verdict == "failed" and result.exit_code == 1
    by_name = {c.request.name: c for c in result.comparisons}
    changed = ["chat stream", "chat stream with usage", "generate stream"]
    for name in changed:
        comparison = by_name[name]
        assert comparison.differing == ["text"], (name, comparison.differing)
        first = comparison.first_difference
        assert first is not None and first.unit == "token" and first.index == CHANGED_TOKEN_INDEX
        worker_tokens = comparison.other.tokens or []
        assert first.other == worker_tokens[CHANGED_TOKEN_INDEX]
        assert first.target == changed_token(worker_tokens[CHANGED_TOKEN_INDEX]) != first.other
    for name in ("chat json", "generate json", "native task"):
        assert by_name[name].differing == [], (name, by_name[name].differing)


def test_the_shape_usage_rule_lets_a_text_difference_pass(servers: Servers) -> None:
    result = _compare(servers.faulty_gateway.url, servers.worker.url, servers.key, rule="shape-usage")
    assert result.differing and not result.failing
    assert result.verdict == "different" and result.exit_code == 0
