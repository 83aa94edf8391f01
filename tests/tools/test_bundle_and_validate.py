"""tools/bundle.py (single-file specs for openapi-python-client) and tools/validate.py (locations)."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmgw_contracts.bundle import bundle
from tools.specs import ContractError, SpecSet, walk
from tools.validate import validate_files


def _refs(document: object) -> list[str]:
    return [node["$ref"] for _, node in walk(document) if isinstance(node, dict) and "$ref" in node]


def test_bundle_makes_every_ref_local(contracts_dir: Path) -> None:
    specs = SpecSet(contracts_dir / "openapi")
    for file in ("control.yaml", "data.yaml"):
        bundled = bundle(specs, file)
        assert all(ref.startswith("#/") for ref in _refs(bundled)), file
        schemas = bundled["components"]["schemas"]
        # Everything from common.yaml is copied under the same names, next to the file's own.
        for name in ("Engine", "ErrorKind", "ErrorEnvelope", "OpenAIError", "OpenAIErrorResponse"):
            assert name in schemas
        assert schemas["ErrorEnvelope"]["properties"]["code"] == {"$ref": "#/components/schemas/ErrorKind"}
    # The source documents are not modified.
    assert "common.yaml#/components/schemas/Engine" in _refs(specs.doc("data.yaml"))


def test_bundle_keeps_own_component_over_unreferenced_namesake(contracts_dir: Path) -> None:
    common = contracts_dir / "openapi" / "common.yaml"
    control = contracts_dir / "openapi" / "control.yaml"
    common.write_text(
        common.read_text() + "  securitySchemes:\n    key:\n      type: http\n      scheme: bearer\n"
    )
    control.write_text(
        control.read_text()
        + "  securitySchemes:\n    key:\n      type: apiKey\n      in: header\n      name: X-Key\n"
    )
    bundled = bundle(SpecSet(contracts_dir / "openapi"), "control.yaml")
    assert bundled["components"]["securitySchemes"]["key"]["type"] == "apiKey"


def test_bundle_rejects_a_referenced_namesake(contracts_dir: Path) -> None:
    control = contracts_dir / "openapi" / "control.yaml"
    control.write_text(
        control.read_text() + "    Engine:\n      type: string\n      description: Other.\n      enum: [x]\n"
    )
    with pytest.raises(ContractError) as info:
        bundle(SpecSet(contracts_dir / "openapi"), "control.yaml")
    assert info.value.problems == [
        "common.yaml#/components/schemas/Engine: cannot bundle into control.yaml: "
        "control.yaml#/components/schemas/Engine has the same name and different content"
    ]


def test_bundle_rejects_refs_outside_components(contracts_dir: Path) -> None:
    data = contracts_dir / "openapi" / "data.yaml"
    data.write_text(
        data.read_text().replace("$ref: '#/components/schemas/Priority'", "$ref: 'common.yaml#/paths'", 1)
    )
    with pytest.raises(ContractError) as info:
        bundle(SpecSet(contracts_dir / "openapi"), "data.yaml")
    (problem,) = info.value.problems
    assert problem.startswith(
        "data.yaml#/components/schemas/TaskRequest/properties/priority/$ref: cannot bundle"
    )


def test_validator_errors_point_where_the_text_is(contracts_dir: Path) -> None:
    """An error in common.yaml reached through refs from all three files is reported once, in common.yaml."""
    common = contracts_dir / "openapi" / "common.yaml"
    common.write_text(common.read_text().replace("      required: [code, message]\n", "      required: 7\n"))
    problems = validate_files(contracts_dir / "openapi", ["common.yaml", "control.yaml", "data.yaml"])
    assert problems == ["common.yaml#/components/schemas/ErrorEnvelope/required: 7 is not of type 'array'"]


def test_validator_errors_inside_one_file(contracts_dir: Path) -> None:
    data = contracts_dir / "openapi" / "data.yaml"
    data.write_text(
        data.read_text().replace("        - $ref: '#/components/schemas/SSEToken'\n", "        - 42\n")
    )
    problems = validate_files(contracts_dir / "openapi", ["data.yaml"])
    assert "data.yaml#/components/schemas/SSEEvent/oneOf/0: 42 is not of type 'object', 'boolean'" in problems


def test_validator_rejects_wrong_version(contracts_dir: Path) -> None:
    problems = validate_files(contracts_dir / "openapi", ["data.yaml"], version="3.2")
    assert problems == ["data.yaml#/openapi: expected an OpenAPI 3.2.x document, found '3.1.0'"]


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ContractError) as info:
        validate_files(tmp_path, ["control.yaml"])
    assert info.value.problems[0].startswith("control.yaml: missing")
