"""Config files, CLI flags and the error tables (pure logic: no server needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llmgw_generated.models.common import ErrorKind, ErrorReason
from llmgw_reference.__main__ import build_parser, config_from_args, main
from llmgw_reference.config import Config, config_from_mapping, load_config_file
from llmgw_reference.errors import ApiError


def test_flags_override_the_file(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("port: 9000\nqueue_capacity: 3\nmodels: [{id: m1, workloads: [embedding]}]\n")
    args = build_parser().parse_args(
        ["--config", str(path), "--port", "9100", "--api-key", "k1", "--api-key", "k2=control:read",
         "--fault", "auth-ignored", "--admission-policy", "reject"]
    )  # fmt: skip
    config = config_from_args(args)
    assert config.port == 9100 and config.queue_capacity == 3 and config.admission_policy == "reject"
    assert [m.id for m in config.models] == ["m1"] and config.models[0].workloads == ("embedding",)
    assert config.scopes_of("k1") == ("inference", "control:read", "control:write")
    assert config.scopes_of("k2") == ("control:read",)
    assert config.scopes_of("sk-local-dev") is not None
    assert config.faults == ("auth-ignored",)


def test_json_config_and_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"tokens_per_s": 50, "worker_urls": ["http://w"]}))
    config = load_config_file(path)
    assert config.tokens_per_s == 50 and config.worker_urls == ("http://w",)
    with pytest.raises(ValueError, match="unknown config keys"):
        config_from_mapping({"no_such_key": 1})
    assert Config().host == "127.0.0.1" and Config().port == 8080


def test_unknown_fault_is_a_clear_startup_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--fault", "no-such-fault", "--port", "1"]) == 2
    assert "unknown fault" in capsys.readouterr().err


def test_retriable_and_retry_after_come_from_the_contract_tables() -> None:
    budget = ApiError(ErrorKind.ADMISSION_REJECT, "spent", status=429, reason=ErrorReason.BUDGET_EXHAUSTED)
    assert (
        budget.retriable is False and budget.retry_after_ms is None and "Retry-After" not in budget.headers()
    )
    assert budget.policy_label  # backpressure codes always carry one
    full = ApiError(
        ErrorKind.ADMISSION_REJECT, "full", status=429, retry_after_ms=1001, policy_label="reject"
    )
    assert full.retriable is True and full.headers()["Retry-After"] == "2"
    quick = ApiError(
        ErrorKind.POOL_UNREADY, "loading", status=503, reason=ErrorReason.MODEL_LOADING, retry_after_ms=5
    )
    assert quick.headers()["Retry-After"] == "1"
    body = quick.openai_body().error
    assert body.type == "server_error" and body.code == "model_loading" and body.retriable is True
    unauth = ApiError(ErrorKind.INVALID_PARAMS, "no key", status=401, reason=ErrorReason.UNAUTHENTICATED)
    assert unauth.headers() == {"WWW-Authenticate": "Bearer"}
    assert unauth.openai_body().error.type == "authentication_error"
