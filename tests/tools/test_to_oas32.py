"""tools/to_oas32.py: the OpenAPI 3.2 copies of the contracts."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from tools.specs import ALL_SPECS
from tools.to_oas32 import convert, convert_all, main, only_expected_changes
from tools.validate import validate_files


def test_convert_changes_only_version_and_stream_schema(contracts_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "oas32"
    written = convert_all(contracts_dir / "openapi", out)
    assert sorted(p.name for p in written) == sorted(ALL_SPECS)
    for file in ALL_SPECS:
        original = yaml.safe_load((contracts_dir / "openapi" / file).read_text())
        converted = yaml.safe_load((out / file).read_text())
        assert converted["openapi"] == "3.2.0"
        assert only_expected_changes(original, converted)
    events = yaml.safe_load((out / "data.yaml").read_text())["paths"]["/v1/tasks/{task_id}/events"]["get"]
    media = events["responses"]["200"]["content"]["text/event-stream"]
    assert media == {"itemSchema": {"$ref": "#/components/schemas/SSEEvent"}}
    # JSON bodies keep `schema`.
    tasks = yaml.safe_load((out / "data.yaml").read_text())["paths"]["/v1/tasks"]["post"]
    assert "schema" in tasks["requestBody"]["content"]["application/json"]


def test_only_expected_changes_notices_anything_else() -> None:
    original = {
        "openapi": "3.1.0",
        "paths": {"/x": {"get": {"responses": {"200": {"content": {"text/event-stream": {"schema": {}}}}}}}},
    }
    converted = convert(original)
    assert only_expected_changes(original, converted)
    tampered = copy.deepcopy(converted)
    tampered["paths"]["/x"]["get"]["summary"] = "added"
    assert not only_expected_changes(original, tampered)


def test_copies_validate_as_oas32(
    contracts_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "oas32"
    assert main(["--contracts", str(contracts_dir / "openapi"), "--out", str(out)]) == 0
    assert "valid" in capsys.readouterr().out


def test_3_1_validator_rejects_item_schema(contracts_dir: Path, tmp_path: Path) -> None:
    """The copies are really validated as 3.2: the 3.1 validator would not accept them."""
    out = tmp_path / "oas32"
    convert_all(contracts_dir / "openapi", out)
    data = out / "data.yaml"
    data.write_text(data.read_text().replace("openapi: 3.2.0", "openapi: 3.1.0"))
    problems = validate_files(out, ["data.yaml"], version="3.1")
    assert any("itemSchema" in p for p in problems), problems


def test_invalid_item_schema_is_reported(contracts_dir: Path, tmp_path: Path) -> None:
    """openapi-spec-validator checks only `schema` deeply; we check `itemSchema` as a schema too."""
    data = contracts_dir / "openapi" / "data.yaml"
    data.write_text(
        data.read_text().replace(
            "text/event-stream:\n              schema:\n"
            "                $ref: '#/components/schemas/SSEEvent'\n",
            "text/event-stream:\n              schema:\n                type: 7\n",
        )
    )
    out = tmp_path / "oas32"
    convert_all(contracts_dir / "openapi", out)
    problems = validate_files(out, list(ALL_SPECS), version="3.2")
    pointer = (
        "data.yaml#/paths/~1v1~1tasks~1{task_id}~1events/get/responses/200"
        "/content/text~1event-stream/itemSchema"
    )
    assert any(p.startswith(pointer) for p in problems), problems


def test_real_contracts_convert_and_validate(repo_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "oas32"
    convert_all(repo_root / "contracts" / "openapi", out)
    assert validate_files(out, list(ALL_SPECS), version="3.2") == []
