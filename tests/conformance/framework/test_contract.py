"""The contract loader: cross-file refs, extensions, validation errors, and the hash."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from llmgw_conformance.contract import DEFAULT_CONTRACTS_DIR, LoadedContract, load_contract


def test_catalogue_grammars_and_error_tables_are_loaded() -> None:
    contract = load_contract()
    assert "SSE-CONTENT-TYPE" in contract.requirements
    assert contract.requirements["SSE-CONTENT-TYPE"]["level"] == "MUST"
    assert set(contract.grammars) == {"native-task", "chat-chunks", "generate-chunks"}
    assert contract.error_policy["ADMISSION_REJECT"]["statuses"] == [429, 402]  # 402: INSUFFICIENT_CREDITS
    assert contract.error_reasons["UNKNOWN_MODEL"] == {
        "code": "INVALID_PARAMS",
        "status": 404,
        "retriable": False,
    }
    assert contract.hash.startswith("sha256:") and len(contract.hash) == 71


def test_operations_carry_method_path_scope_and_profiles() -> None:
    contract = load_contract()
    op = contract.operation("generate")
    assert (op["method"], op["path"], op["spec"]) == ("POST", "/v1/generate/{model}", "data.yaml")
    assert contract.required_scope("getCapabilities") == "control:read"
    assert contract.required_scope("getHealth") is None
    assert {o["operationId"] for o in contract.operations_for_profile("openai-chat")} >= {
        "createChatCompletion",
        "listModels",
    }
    with pytest.raises(KeyError):
        contract.operation("noSuchOperation")


def test_schema_errors_follow_refs_into_common_yaml() -> None:
    contract = load_contract()
    # Capabilities (control.yaml) -> EngineCapability -> common.yaml Engine enum.
    errors = contract.schema_errors(
        "Capabilities", {"api_version": "1", "engines": [{"engine": "x", "ctx_max": 0}]}
    )
    assert any(e.startswith("engines/0/engine:") for e in errors)
    assert any(e.startswith("engines/0/ctx_max:") for e in errors)
    good = {"api_version": "1.0", "engines": [{"engine": "vllm", "ctx_max": 8}]}
    assert contract.schema_errors("control.yaml:Capabilities", good) == []
    assert contract.schema_errors("ErrorEnvelope", {"code": "INTERNAL", "message": "m"}) == []
    with pytest.raises(KeyError):
        contract.schema_errors("NoSuchSchema", {})


def test_hash_changes_with_any_contract_file(tmp_path: Path) -> None:
    copy = tmp_path / "contracts"
    shutil.copytree(DEFAULT_CONTRACTS_DIR, copy)
    same = LoadedContract(copy)
    assert same.hash == load_contract().hash
    catalogue = copy / "requirements.yaml"
    catalogue.write_text(catalogue.read_text() + "\n# a comment\n")
    assert LoadedContract(copy).hash != same.hash


def test_bundled_spec_has_no_cross_file_refs() -> None:
    bundled = load_contract().bundled_spec("data.yaml")
    assert "common.yaml#" not in str(bundled)
    assert "ErrorEnvelope" in bundled["components"]["schemas"]
