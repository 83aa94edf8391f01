"""make lint-contracts (tools/lint_contracts.py): each rule on a copy of the fixture contracts."""

# The expected messages stay one per line, as the tool prints them.
# ruff: noqa: E501

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tools.lint_contracts import (
    RULES,
    Contract,
    Rule,
    lint,
    main,
    rule_applies_to_operations_exist,
    rule_catalogue_references,
    rule_descriptions,
    rule_error_responses,
    rule_operation_ids,
    rule_requirement_format,
    rule_requirement_ids,
    rule_x_requirements_exist,
    run_rules,
)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def _violations(contracts_dir: Path, rule: Rule) -> list[str]:
    contract = Contract.load(contracts_dir)
    return [str(v) for v in run_rules(contract, [rule])]


def test_fixture_contracts_are_clean(contracts_dir: Path, tmp_path: Path) -> None:
    assert lint(contracts_dir, tmp_path / "oas32") == []
    assert (tmp_path / "oas32" / "data.yaml").is_file()


def test_real_contracts_are_clean(repo_root: Path, tmp_path: Path) -> None:
    """The contracts of this checkout pass (the same check `make lint-contracts` runs)."""
    assert lint(repo_root / "contracts", tmp_path / "oas32") == []


def test_cli_reports_file_and_pointer(
    contracts_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(contracts_dir / "openapi" / "control.yaml", "      operationId: listModels\n", "")
    assert main(["--contracts", str(contracts_dir), "--oas32-out", str(tmp_path / "oas32")]) == 1
    out = capsys.readouterr().out
    assert (
        f"{contracts_dir}/openapi/control.yaml#/paths/~1v1~1models/get: GET /v1/models has no operationId"
        in out
    )


def test_cli_ok(contracts_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--contracts", str(contracts_dir), "--oas32-out", str(tmp_path / "oas32")]) == 0
    assert "OK" in capsys.readouterr().out


def test_module_entry_point_exits_with_the_verdict(contracts_dir: Path, tmp_path: Path) -> None:
    """``python -m tools.lint_contracts`` (what ``make lint-contracts`` runs) reaches ``main``: 1 and the
    finding on stdout for a broken contract, the count on stderr."""
    _edit(contracts_dir / "openapi" / "control.yaml", "      operationId: listModels\n", "")
    args = ["--contracts", str(contracts_dir), "--oas32-out", str(tmp_path / "oas32")]
    done = subprocess.run(
        [sys.executable, "-m", "tools.lint_contracts", *args],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "GET /v1/models has no operationId" in done.stdout
    assert "lint-contracts: 1 problem(s)" in done.stderr


def test_missing_requirements_file(contracts_dir: Path, tmp_path: Path) -> None:
    (contracts_dir / "requirements.yaml").unlink()
    problems = lint(contracts_dir, tmp_path / "oas32")
    assert len(problems) == 1 and "requirements.yaml" in problems[0] and "cannot read" in problems[0]


def test_validator_problems_stop_before_the_rules(contracts_dir: Path, tmp_path: Path) -> None:
    _edit(
        contracts_dir / "openapi" / "common.yaml", "      required: [code, message]\n", "      required: 7\n"
    )
    problems = lint(contracts_dir, tmp_path / "oas32")
    assert problems == [
        "openapi/common.yaml#/components/schemas/ErrorEnvelope/required: 7 is not of type 'array'"
    ]


def test_operation_ids(contracts_dir: Path) -> None:
    control = contracts_dir / "openapi" / "control.yaml"
    _edit(control, "      operationId: listModels\n", "")
    _edit(contracts_dir / "openapi" / "data.yaml", "operationId: createTask", "operationId: getCapabilities")
    assert _violations(contracts_dir, rule_operation_ids) == [
        "control.yaml#/paths/~1v1~1capabilities/get/operationId: operationId 'getCapabilities' is used more than once",
        "control.yaml#/paths/~1v1~1models/get: GET /v1/models has no operationId",
        "data.yaml#/paths/~1v1~1tasks/post/operationId: operationId 'getCapabilities' is used more than once",
    ]


def test_error_responses_need_a_4xx(contracts_dir: Path) -> None:
    _edit(contracts_dir / "openapi" / "data.yaml", "        '429':\n", "        '503':\n")
    assert _violations(contracts_dir, rule_error_responses) == [
        "data.yaml#/paths/~1v1~1tasks/post/responses: POST /v1/tasks documents no 4xx response"
    ]


def test_error_responses_use_the_native_envelope(contracts_dir: Path) -> None:
    _edit(
        contracts_dir / "openapi" / "data.yaml",
        "$ref: 'common.yaml#/components/schemas/ErrorEnvelope'",
        "$ref: 'common.yaml#/components/schemas/OpenAIErrorResponse'",
    )
    assert _violations(contracts_dir, rule_error_responses) == [
        "data.yaml#/paths/~1v1~1tasks/post/responses/429/content/application~1json/schema: "
        "POST /v1/tasks 429: error body must be ErrorEnvelope, is #/components/schemas/OpenAIErrorResponse"
    ]


def test_error_responses_use_the_openai_schema_on_openai_tagged_operations(contracts_dir: Path) -> None:
    control = contracts_dir / "openapi" / "control.yaml"
    _edit(
        control,
        "$ref: 'common.yaml#/components/schemas/OpenAIErrorResponse'",
        "$ref: 'common.yaml#/components/schemas/ErrorEnvelope'",
    )
    # The OpenAI set is data: tag another operation `openai` and it must use the OpenAI schema too.
    _edit(control, "      tags: [discovery]\n", "      tags: [openai]\n")
    assert _violations(contracts_dir, rule_error_responses) == [
        "control.yaml#/paths/~1v1~1capabilities/get/responses/400/content/application~1json/schema: "
        "GET /v1/capabilities 400: error body must be OpenAIErrorResponse, is #/components/schemas/ErrorEnvelope",
        "control.yaml#/paths/~1v1~1models/get/responses/401/content/application~1json/schema: "
        "GET /v1/models 401: error body must be OpenAIErrorResponse, is #/components/schemas/ErrorEnvelope",
    ]


def test_error_responses_need_content_and_a_ref(contracts_dir: Path) -> None:
    data = contracts_dir / "openapi" / "data.yaml"
    _edit(
        data,
        "          description: Unknown task.\n          content:\n            application/json:\n"
        "              schema:\n                $ref: 'common.yaml#/components/schemas/ErrorEnvelope'\n",
        "          description: Unknown task.\n",
    )
    _edit(
        data,
        "          description: Rejected.\n          content:\n            application/json:\n"
        "              schema:\n                $ref: 'common.yaml#/components/schemas/ErrorEnvelope'\n",
        "          description: Rejected.\n          content:\n            application/json:\n"
        "              schema:\n                type: object\n",
    )
    assert _violations(contracts_dir, rule_error_responses) == [
        "data.yaml#/paths/~1v1~1tasks/post/responses/429/content/application~1json/schema: "
        "POST /v1/tasks 429: error body must be ErrorEnvelope, is not a $ref to a component schema",
        "data.yaml#/paths/~1v1~1tasks~1{task_id}~1events/get/responses/404: "
        "GET /v1/tasks/{task_id}/events 404: error response has no content (want ErrorEnvelope)",
    ]


def test_error_responses_follow_response_refs(contracts_dir: Path) -> None:
    """A response given as a $ref to components/responses is checked where it is written."""
    data = contracts_dir / "openapi" / "data.yaml"
    _edit(
        data,
        "        '404':\n          description: Unknown task.\n          content:\n            application/json:\n"
        "              schema:\n                $ref: 'common.yaml#/components/schemas/ErrorEnvelope'\n",
        "        '404':\n          $ref: '#/components/responses/NotFound'\n",
    )
    _edit(
        data,
        "components:\n",
        "components:\n  responses:\n    NotFound:\n      description: Unknown task.\n      content:\n"
        "        application/json:\n          schema:\n            $ref: 'common.yaml#/components/schemas/OpenAIError'\n",
    )
    assert _violations(contracts_dir, rule_error_responses) == [
        "data.yaml#/components/responses/NotFound/content/application~1json/schema: "
        "GET /v1/tasks/{task_id}/events 404: error body must be ErrorEnvelope, is #/components/schemas/OpenAIError"
    ]


def test_descriptions(contracts_dir: Path) -> None:
    common = contracts_dir / "openapi" / "common.yaml"
    _edit(common, "      description: Error detail in the OpenAI format.\n", "")
    _edit(common, "          description: Error type.\n", "")
    data = contracts_dir / "openapi" / "data.yaml"
    # A nested inline object: its properties need descriptions too.
    _edit(
        data,
        "        max_tokens:\n",
        "        limits:\n          type: object\n          description: Limits.\n          properties:\n"
        "            soft:\n              type: integer\n        max_tokens:\n",
    )
    # A property that is only a $ref to a described schema is described.
    assert "        engine:\n          $ref: 'common.yaml#/components/schemas/Engine'\n" in data.read_text()
    assert _violations(contracts_dir, rule_descriptions) == [
        "common.yaml#/components/schemas/OpenAIError: schema OpenAIError has no description",
        "common.yaml#/components/schemas/OpenAIError/properties/type: property type has no description",
        # A $ref-only property is as described as its target, which now has no description.
        "common.yaml#/components/schemas/OpenAIErrorResponse/properties/error: property error has no description",
        "data.yaml#/components/schemas/TaskRequest/properties/limits/properties/soft: "
        "property soft has no description",
    ]


def test_descriptions_of_inline_body_schemas(contracts_dir: Path) -> None:
    _edit(
        contracts_dir / "openapi" / "data.yaml",
        "              $ref: '#/components/schemas/TaskRequest'\n",
        "              type: object\n              properties:\n                x:\n                  type: string\n",
    )
    assert _violations(contracts_dir, rule_descriptions) == [
        "data.yaml#/paths/~1v1~1tasks/post/requestBody/content/application~1json/schema/properties/x: "
        "property x has no description"
    ]


def _write_requirements(contracts_dir: Path, data: object) -> None:
    (contracts_dir / "requirements.yaml").write_text(yaml.safe_dump(data, sort_keys=False))


def _requirement(req_id: object, **extra: object) -> dict[str, object]:
    entry: dict[str, object] = {
        "id": req_id,
        "level": "MUST",
        "profile": "core",
        "text": "T.",
        "applies_to": {},
    }
    entry.update(extra)
    return entry


def test_requirement_ids(contracts_dir: Path) -> None:
    _write_requirements(
        contracts_dir,
        {
            "requirements": [
                _requirement("CAP-1"),
                _requirement("DATA-ADMIT-1"),
                _requirement("CAP-1"),
                _requirement("lower-case"),
                _requirement("NODASH"),
                _requirement(7),
            ]
        },
    )
    assert _violations(contracts_dir, rule_requirement_ids) == [
        "../requirements.yaml#/requirements/0/id: id 'CAP-1' is used more than once",
        "../requirements.yaml#/requirements/2/id: id 'CAP-1' is used more than once",
        "../requirements.yaml#/requirements/3/id: id 'lower-case' does not match ^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$",
        "../requirements.yaml#/requirements/4/id: id 'NODASH' does not match ^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$",
        "../requirements.yaml#/requirements/5/id: id 7 does not match ^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$",
    ]


def test_requirement_format(contracts_dir: Path) -> None:
    bad_level = _requirement("A-1", level="OUGHT")
    no_text = _requirement("A-2")
    del no_text["text"]
    both_profiles = _requirement("A-3", profiles=["core"])
    unknown = _requirement("A-4", colour="red", applies_to={"operations": "createTask", "when": 1})
    undeclared = _requirement("A-5", profile="nope")
    needs = _requirement("A-6", needs="pools")
    _write_requirements(
        contracts_dir,
        {
            "profiles": {"core": {"description": "x"}},
            "requirements": [bad_level, no_text, both_profiles, unknown, undeclared, needs],
        },
    )
    assert _violations(contracts_dir, rule_requirement_format) == [
        "../requirements.yaml#/requirements/0/level: level must be one of MUST, SHOULD, MAY",
        "../requirements.yaml#/requirements/1: requirement has no 'text'",
        "../requirements.yaml#/requirements/2: requirement must have exactly one of 'profile' and 'profiles'",
        "../requirements.yaml#/requirements/3/applies_to/operations: must be a list of operationIds",
        "../requirements.yaml#/requirements/3/applies_to/when: unknown key 'when'",
        "../requirements.yaml#/requirements/3/colour: unknown key 'colour'",
        "../requirements.yaml#/requirements/4/profile: profile 'nope' is not declared under the top-level `profiles:`",
        "../requirements.yaml#/requirements/5/needs: needs must be a list of feature names",
    ]


def test_requirement_format_top_level(contracts_dir: Path) -> None:
    _write_requirements(contracts_dir, {"reqs": []})
    assert _violations(contracts_dir, rule_requirement_format) == [
        "../requirements.yaml#: top-level key `requirements:` must be a list"
    ]


def test_x_requirements_exist(contracts_dir: Path) -> None:
    _edit(
        contracts_dir / "openapi" / "control.yaml",
        "x-requirements: [CAP-1]",
        "x-requirements: [CAP-1, NOPE-9]",
    )
    _edit(
        contracts_dir / "openapi" / "data.yaml",
        "x-requirements: [DATA-ADMIT-1]",
        "x-requirements: DATA-ADMIT-2",
    )
    assert _violations(contracts_dir, rule_x_requirements_exist) == [
        "control.yaml#/paths/~1v1~1capabilities/get/x-requirements/1: requirement 'NOPE-9' is not in requirements.yaml",
        "data.yaml#/paths/~1v1~1tasks/post/x-requirements: requirement 'DATA-ADMIT-2' is not in requirements.yaml",
    ]


def test_applies_to_operations_exist(contracts_dir: Path) -> None:
    _write_requirements(
        contracts_dir,
        {"requirements": [_requirement("A-1", applies_to={"operations": ["createTask", "nothing", "*v1"]})]},
    )
    assert _violations(contracts_dir, rule_applies_to_operations_exist) == [
        "../requirements.yaml#/requirements/0/applies_to/operations/1: no operation has operationId 'nothing'"
    ]


def test_catalogue_references(contracts_dir: Path) -> None:
    _write_requirements(
        contracts_dir,
        {
            "profiles": {"core": {}},
            "requirements": [_requirement("A-1")],
            "deviations": [{"match": "x", "requirements": ["A-1", "B-2"]}, {"match": "y"}],
        },
    )
    _edit(
        contracts_dir / "openapi" / "data.yaml",
        "      tags: [tasks]\n",
        "      tags: [tasks]\n      x-profiles: [core, gpu]\n",
    )
    assert _violations(contracts_dir, rule_catalogue_references) == [
        "../requirements.yaml#/deviations/0/requirements/1: requirement 'B-2' is not in the catalogue",
        "../requirements.yaml#/deviations/1/requirements: must be a list of requirement ids",
        "data.yaml#/paths/~1v1~1tasks/post/x-profiles/1: profile 'gpu' is not declared in requirements.yaml",
    ]


def test_every_rule_has_a_docstring() -> None:
    for rule in RULES:
        assert rule.__doc__, rule.__name__
