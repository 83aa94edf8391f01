"""tools/openai_fidelity: extraction from an official description, the facts file, and the tool on a
small contract and on the real one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.tools.fidelity_schemas import FACTS_DOC, write_contract
from tools.openai_fidelity.cli import check, main
from tools.openai_fidelity.extract import dump, extract
from tools.openai_fidelity.facts import load_facts, parse_facts
from tools.specs import OPENAPI_DIR

# ---------------------------------------------------------------------------------------------------
# Extraction from an official description, and the facts file itself.

OFFICIAL = {
    "info": {"version": "9.9.9"},
    "components": {
        "schemas": {
            "Req": {
                "allOf": [
                    {"$ref": "#/components/schemas/Base"},
                    {
                        "type": "object",
                        "required": ["model"],
                        "properties": {
                            "model": {"anyOf": [{"type": "string"}, {"type": "string", "enum": ["gpt-x"]}]},
                            "top": {"type": "integer", "nullable": True, "description": "prose is dropped"},
                            "tier": {"$ref": "#/components/schemas/Tier"},
                        },
                    },
                ]
            },
            "Base": {
                "type": "object",
                "properties": {"top": {"type": "integer"}, "temperature": {"type": "number"}},
            },
            "Tier": {
                "anyOf": [{"type": "string", "enum": ["auto", "flex"], "default": "auto"}, {"type": "null"}]
            },
        }
    },
}


def test_extract_flattens_allof_nullables_and_enums_and_round_trips(tmp_path: Path) -> None:
    seed = parse_facts({**FACTS_DOC, "schemas": {"Req": {}}})
    document, ignored = extract(OFFICIAL, seed, "abc", "2026-01-01")
    assert ignored == []
    request = document["schemas"]["Req"]
    assert request["from"] == ["Base"]
    assert request["fields"]["top"] == {"type": "integer", "nullable": True}  # the later definition wins
    assert request["fields"]["model"] == {"type": "string"}  # the enum of names is subsumed by string
    assert request["fields"]["tier"] == {"ref": "Tier"}
    assert document["schemas"]["Tier"] == {
        "type": "string",
        "nullable": True,
        "enum": ["auto", "flex"],
        "default": "auto",
    }
    assert document["source"]["version"] == "9.9.9"
    text = dump(document)
    assert "prose" not in text
    path = tmp_path / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_facts(path).schemas == document["schemas"]


def test_the_facts_file_loads_and_names_its_official_version() -> None:
    facts = load_facts()
    assert facts.version == "2.3.0"
    assert facts.source["repository"] == "openai/openai-openapi"
    assert len(str(facts.source["commit"])) == 40
    request = facts.schemas["CreateChatCompletionRequest"]["fields"]
    sent_by_clients = {
        "temperature", "top_p", "n", "max_tokens", "max_completion_tokens", "presence_penalty",
        "frequency_penalty", "logprobs", "top_logprobs", "seed", "stop", "stream", "stream_options",
        "user", "metadata", "store", "service_tier", "reasoning_effort", "verbosity", "functions",
        "function_call", "parallel_tool_calls", "modalities", "prediction", "audio", "web_search_options",
        "safety_identifier", "prompt_cache_key", "tools", "tool_choice", "response_format", "logit_bias",
    }  # fmt: skip
    assert sent_by_clients <= set(request)
    stream_options = facts.schemas["ChatCompletionStreamOptions"]["fields"]
    assert set(stream_options) == {"include_usage", "include_obfuscation"}
    roles = {
        facts.schemas[branch["ref"]]["fields"]["role"]["enum"][0]
        for branch in facts.schemas["ChatCompletionRequestMessage"]["one_of"]
    }
    assert roles == {"system", "developer", "user", "assistant", "tool", "function"}


# ---------------------------------------------------------------------------------------------------
# The tool.


def test_the_tool_exits_1_on_undecided_and_0_once_decided(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts_path = tmp_path / "facts.yaml"
    facts_path.write_text(yaml.safe_dump(FACTS_DOC), encoding="utf-8")
    schema: dict[str, Any] = {
        "type": "object",
        "required": ["model"],
        "properties": {
            "model": {"type": "string"},
            "temperature": {"type": "number", "minimum": 0, "maximum": 2},
        },
    }
    directory = write_contract(tmp_path / "openapi", {"X": schema})
    args = ["--facts", str(facts_path), "--openapi-dir", str(directory)]
    assert main(args) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        "UNDECIDED  Req.temperature  data.yaml#/components/schemas/X/properties/temperature  "
        "nullable: official nullable; ours not nullable"
    )
    assert "9.9.9" in out[-1] and "1 undecided" in out[-1]
    schema["properties"]["temperature"]["x-openai-fidelity"] = {"nullable": "a reason"}
    write_contract(directory, {"X": schema})
    assert main(args) == 0
    assert "UNDECIDED" not in capsys.readouterr().out
    assert main([*args, "--list"]) == 0
    assert "decided    Req.temperature" in capsys.readouterr().out


def test_a_missing_mapped_schema_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts_path = tmp_path / "facts.yaml"
    facts_path.write_text(yaml.safe_dump(FACTS_DOC), encoding="utf-8")
    directory = write_contract(tmp_path / "openapi", {"Y": {"type": "object"}})
    assert main(["--facts", str(facts_path), "--openapi-dir", str(directory)]) == 2
    assert "data.yaml#/components/schemas/X" in capsys.readouterr().err


def test_the_contract_matches_the_official_description() -> None:
    """Every difference of the real contract's OpenAI surface is fixed or decided, none stale."""
    verdict = check(load_facts(), OPENAPI_DIR)
    problems = [d.line() for d in verdict.undecided] + [str(e) for e in verdict.stale] + verdict.invalid
    assert problems == [], "\n".join(problems)
