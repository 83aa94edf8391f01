"""The generated client and the SDK say which contract version they were made from."""

from __future__ import annotations

from pathlib import Path

import pytest

import llmgw_generated
import llmgw_sdk
from llmgw_contracts import ContractError, SpecSet
from tests.tools.contract_diff.small_contract import base_contract, write_contract
from tools.codegen import PACKAGE_INIT, contract_version
from tools.contract_diff.sources import load_folder
from tools.specs import CONTRACTS_DIR


def test_the_sdk_exposes_the_generated_clients_version() -> None:
    assert llmgw_sdk.CONTRACT_VERSION == llmgw_generated.CONTRACT_VERSION
    data = load_folder(CONTRACTS_DIR).doc("data.yaml")
    assert data["info"]["version"] == llmgw_generated.CONTRACT_VERSION  # make generate was run


def test_codegen_writes_the_version_of_the_contract_it_reads(tmp_path: Path) -> None:
    folder = write_contract(tmp_path / "c", base_contract("3.4.5"))
    version = contract_version(SpecSet(folder / "openapi"))
    assert version == "3.4.5"
    namespace: dict[str, object] = {}
    exec(PACKAGE_INIT.format(version=version), namespace)
    assert namespace["CONTRACT_VERSION"] == "3.4.5"


def test_codegen_refuses_a_contract_without_a_version(tmp_path: Path) -> None:
    contract = base_contract()
    del contract["openapi/data.yaml"]["info"]["version"]
    folder = write_contract(tmp_path / "c", contract)
    with pytest.raises(ContractError, match=r"data\.yaml#/info/version"):
        contract_version(SpecSet(folder / "openapi"))
