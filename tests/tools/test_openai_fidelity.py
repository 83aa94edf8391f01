"""The fidelity check of the contract's OpenAI surface (tools/openai_fidelity).

Unit tests of each comparison on small hand-made schema pairs, of the decisions, of the facts file
and of the extraction; then the tool on a small contract, and on the real one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tools.openai_fidelity.cli import check, main
from tools.openai_fidelity.compare import (
    Difference,
    compare,
    diff_closed,
    diff_default,
    diff_enum,
    diff_limit,
    diff_nullable,
    diff_required,
    diff_type,
)
from tools.openai_fidelity.contract import normalize, own_shape
from tools.openai_fidelity.decisions import judge, parse_entries
from tools.openai_fidelity.extract import dump, extract
from tools.openai_fidelity.facts import FactsError, load_facts, parse_facts, to_shape
from tools.openai_fidelity.shape import NO_DEFAULT, Shape, refine, union
from tools.specs import OPENAPI_DIR, Location, SpecSet

HERE = Location("data.yaml", "/components/schemas/X")

# ---------------------------------------------------------------------------------------------------
# Helpers: a schema of "ours" is written as a data.yaml component; "official" as a facts shape.


def write_contract(directory: Path, schemas: dict[str, Any], common: dict[str, Any] | None = None) -> Path:
    """A minimal contract folder: data.yaml with ``schemas``, common.yaml, control.yaml."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, components in (("data.yaml", schemas), ("common.yaml", common or {}), ("control.yaml", {})):
        document = {
            "openapi": "3.1.0",
            "info": {"title": name, "version": "1"},
            "paths": {},
            "components": {"schemas": components},
        }
        (directory / name).write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return directory


def ours(
    tmp_path: Path, schema: dict[str, Any], extra: dict[str, Any] | None = None
) -> tuple[SpecSet, Shape]:
    """Our schema ``X`` (plus ``extra`` components) read into a shape."""
    directory = write_contract(tmp_path / "openapi", {"X": schema, **(extra or {})})
    specs = SpecSet(directory)
    return specs, normalize(specs, HERE, specs.node(HERE))


def official(shape: dict[str, Any], entries: dict[str, Any] | None = None) -> Shape:
    return to_shape(shape, entries or {})


def aspects(differences: list[Difference]) -> set[tuple[str, str]]:
    return {(d.path, d.aspect) for d in differences}


FACTS_DOC: dict[str, Any] = {
    "source": {
        "repository": "r",
        "path": "openapi.yaml",
        "commit": "c",
        "commit_date": "d",
        "version": "9.9.9",
    },
    "roots": [{"official": "Req", "ours": "data.yaml#/components/schemas/X", "surface": "test"}],
    "schemas": {
        "Req": {
            "type": "object",
            "required": ["model"],
            "fields": {
                "model": {"type": "string"},
                "temperature": {"type": "number", "nullable": True, "minimum": 0, "maximum": 2},
            },
        }
    },
}

# ---------------------------------------------------------------------------------------------------
# Shapes: unions, refinement, reading our schemas and the facts.


def test_union_flattens_types_enums_fields_and_keeps_common_required() -> None:
    a = Shape(types=frozenset({"object"}), nullable=False, required=frozenset({"role", "content"}))
    a.fields = {"role": Shape(types=frozenset({"string"}), nullable=False, enum=("user",))}
    b = Shape(types=frozenset({"object"}), nullable=False, required=frozenset({"role"}))
    b.fields = {"role": Shape(types=frozenset({"string"}), nullable=False, enum=("tool",))}
    merged = union([a, b])
    assert merged.required == {"role"}
    assert merged.fields["role"].enum == ("user", "tool")
    assert union([Shape(types=frozenset(), nullable=True), a]).nullable


def test_union_keeps_the_loosest_limit_and_drops_one_not_everywhere() -> None:
    low = Shape(types=frozenset({"integer"}), nullable=False, limits={"minimum": 1, "maximum": 5})
    high = Shape(types=frozenset({"integer"}), nullable=False, limits={"minimum": 0})
    assert union([low, high]).limits == {"minimum": 0}
    text = Shape(types=frozenset({"string"}), nullable=False)
    assert union([low, text]).limits == {"minimum": 1, "maximum": 5}  # the string branch has no bounds


def test_union_with_an_unconstrained_branch_is_unconstrained() -> None:
    assert union([Shape(types=frozenset({"string"}), nullable=False), Shape()]).is_any


def test_refine_overrides_a_field_defined_again() -> None:
    base = Shape(types=frozenset({"object"}), nullable=False)
    base.fields = {"k": Shape(types=frozenset({"integer"}), nullable=False)}
    more = Shape(types=frozenset({"object"}), nullable=False, required=frozenset({"k"}))
    more.fields = {"k": Shape(types=frozenset({"integer"}), nullable=True)}
    merged = refine(base, more)
    assert merged.fields["k"].nullable and merged.required == {"k"}


def test_own_shape_reads_type_lists_const_and_limits() -> None:
    shape = own_shape({"type": ["integer", "null"], "minimum": 0, "default": 3}, HERE)
    assert shape.types == frozenset({"integer"}) and shape.nullable and shape.limits == {"minimum": 0}
    assert shape.default == 3
    const = own_shape({"const": "function"}, HERE)
    assert const.types == frozenset({"string"}) and const.enum == ("function",) and not const.nullable
    assert own_shape({"description": "x"}, HERE).is_any


def test_normalize_follows_refs_anyof_null_allof_and_openapi30_nullable(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "a": {"anyOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}]},
            "b": {
                "allOf": [{"type": "object", "properties": {"p": {"type": "string"}}}, {"required": ["p"]}]
            },
            "c": {"type": "string", "nullable": True},
            "d": {"$ref": "common.yaml#/components/schemas/Shared"},
        },
    }
    common = {"Shared": {"type": "integer", "minimum": 1}}
    directory = write_contract(tmp_path, {"X": schema, "T": {"type": "string", "enum": ["x", "y"]}}, common)
    specs = SpecSet(directory)
    shape = normalize(specs, HERE, specs.node(HERE))
    assert shape.closed
    a = shape.fields["a"]
    assert a.types == frozenset({"string"}) and a.nullable and a.enum == ("x", "y")
    assert Location("data.yaml", "/components/schemas/T") in a.nodes
    assert shape.fields["b"].required == {"p"}
    assert shape.fields["c"].nullable
    assert shape.fields["d"].limits == {"minimum": 1}
    assert shape.fields["d"].where("minimum") == Location("common.yaml", "/components/schemas/Shared")


def test_facts_shapes_resolve_ref_one_of_and_nullable_beside_ref() -> None:
    entries = {"U": {"type": "object", "fields": {"n": {"type": "integer"}}}}
    shape = official({"ref": "U", "nullable": True}, entries)
    assert shape.nullable and "n" in shape.fields
    alternatives = official({"one_of": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]})
    assert alternatives.types == frozenset({"string", "array"}) and alternatives.items is not None
    assert official({"type": "string"}).default is NO_DEFAULT


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"schemas": {"Req": {"type": "object", "colour": "red"}}}, "unknown keys"),
        ({"schemas": {"Req": {"ref": "Nowhere"}}}, "not an entry"),
        ({"schemas": {"Req": {"type": "text"}}}, "unknown type"),
        ({"source": {"repository": "r"}}, "source must name"),
        ({"roots": [{"official": "Other", "ours": "data.yaml#/x"}]}, "official must name"),
    ],
)
def test_malformed_facts_are_refused(change: dict[str, Any], message: str) -> None:
    with pytest.raises(FactsError, match=message):
        parse_facts({**FACTS_DOC, **change})


# ---------------------------------------------------------------------------------------------------
# Each aspect of the comparison.


def s(**kwargs: Any) -> Shape:
    kwargs.setdefault("nullable", False)
    if "types" in kwargs:
        kwargs["types"] = frozenset(kwargs["types"])
    return Shape(**kwargs)


def test_diff_type() -> None:
    assert diff_type(s(types={"integer"}), s(types={"number"})) == ("integer", "number")
    assert diff_type(s(types={"string"}), s(types={"string"})) is None
    assert diff_type(s(types={"object"}), Shape()) == ("object", "any")


def test_diff_nullable() -> None:
    assert diff_nullable(s(nullable=True), s()) == ("nullable", "not nullable")
    assert diff_nullable(s(), s()) is None


def test_diff_enum_names_what_ours_lacks_and_adds() -> None:
    texts = diff_enum(s(enum=("stop", "function_call")), s(enum=("stop", "error")))
    assert texts is not None
    assert 'lacks ["function_call"]' in texts[1] and 'adds ["error"]' in texts[1]
    assert diff_enum(s(enum=("a", "b")), s(enum=("b", "a"))) is None
    assert diff_enum(s(), s(enum=("a",))) == ("any value", '["a"]')


def test_diff_limit() -> None:
    assert diff_limit("maximum")(s(limits={"maximum": 2}), s(limits={"maximum": 1})) == ("2", "1")
    assert diff_limit("minimum")(s(limits={"minimum": 0}), s()) == ("0", "none")
    assert diff_limit("minimum")(s(limits={"minimum": 0}), s(limits={"minimum": 0.0})) is None
    int64 = s(limits={"maximum": 9223372036854775807})
    assert diff_limit("maximum")(s(limits={"maximum": 9223372036854776000}), int64) is None


def test_diff_default_only_when_ours_declares_another() -> None:
    assert diff_default(s(default=1), s()) is None
    assert diff_default(s(default=1), s(default=0)) == ("1", "0")
    assert diff_default(s(default=None), s(default=None)) is None
    assert diff_default(s(default=False), s(default=0)) == ("false", "0")


def test_diff_closed_and_required() -> None:
    assert diff_closed(s(), s(closed=True)) == ("open", "closed")
    assert diff_required(True, False) == ("required", "optional")
    assert diff_required(True, True) is None


def test_compare_finds_each_kind_of_difference(tmp_path: Path) -> None:
    theirs = official(
        {
            "type": "object",
            "required": ["model", "logprobs"],
            "fields": {
                "model": {"type": "string"},
                "temperature": {"type": "number", "nullable": True, "minimum": 0, "maximum": 2},
                "n": {"type": "integer"},
                "finish": {"type": "string", "enum": ["stop", "function_call"]},
                "logprobs": {"type": "boolean"},
                "stop": {"type": "array", "maxItems": 4, "items": {"type": "string"}},
                "store": {"type": "boolean"},
            },
        }
    )
    _, mine = ours(
        tmp_path,
        {
            "type": "object",
            "required": ["model"],
            "additionalProperties": False,
            "properties": {
                "model": {"type": "string"},
                "temperature": {"type": "number", "minimum": 0, "maximum": 1},
                "n": {"type": "number"},
                "finish": {"type": "string", "enum": ["stop"]},
                "logprobs": {"type": "boolean"},
                "stop": {"type": "array", "maxItems": 4, "items": {"type": "integer"}},
                "top_k": {"type": "integer"},
            },
        },
    )
    found = compare(theirs, mine, "Req")
    assert aspects(found) == {
        ("Req", "closed"),
        ("Req.temperature", "nullable"),
        ("Req.temperature", "maximum"),
        ("Req.n", "type"),
        ("Req.finish", "enum"),
        ("Req.logprobs", "required"),
        ("Req.stop[]", "type"),
        ("Req.store", "missing"),
        ("Req.top_k", "extra"),
    }
    by_path = {(d.path, d.aspect): d for d in found}
    assert (
        str(by_path["Req.temperature", "nullable"].location)
        == "data.yaml#/components/schemas/X/properties/temperature"
    )
    assert str(by_path["Req.store", "missing"].location) == "data.yaml#/components/schemas/X"


def test_compare_walks_map_values_and_stops_below_an_unconstrained_side(tmp_path: Path) -> None:
    theirs = official(
        {
            "type": "object",
            "fields": {
                "bias": {"type": "object", "values": {"type": "integer"}},
                "schema": {"type": "object", "fields": {"name": {"type": "string"}}},
            },
        }
    )
    _, mine = ours(
        tmp_path,
        {
            "type": "object",
            "properties": {
                "bias": {"type": "object", "additionalProperties": {"type": "number"}},
                "schema": {"description": "anything"},
            },
        },
    )
    assert aspects(compare(theirs, mine, "R")) == {("R.bias{}", "type"), ("R.schema", "type")}


def test_a_union_of_message_variants_compares_with_one_object(tmp_path: Path) -> None:
    entries = {
        "User": {
            "type": "object",
            "required": ["role"],
            "fields": {"role": {"type": "string", "enum": ["user"]}},
        },
        "Function": {
            "type": "object",
            "required": ["role", "name"],
            "fields": {"role": {"type": "string", "enum": ["function"]}, "name": {"type": "string"}},
        },
    }
    theirs = official({"one_of": [{"ref": "User"}, {"ref": "Function"}]}, entries)
    _, mine = ours(
        tmp_path,
        {
            "type": "object",
            "required": ["role"],
            "properties": {"role": {"type": "string", "enum": ["user"]}, "name": {"type": "string"}},
        },
    )
    assert aspects(compare(theirs, mine, "Msg")) == {("Msg.role", "enum")}


# ---------------------------------------------------------------------------------------------------
# Decisions: x-openai-fidelity.


def test_parse_entries_reads_the_three_forms_and_reports_malformed_ones() -> None:
    entries, problems = parse_entries(HERE, "kept on purpose")
    assert [e.keys for e in entries] == [()] and not problems
    entries, problems = parse_entries(HERE, {"nullable": "why", "closed": "why"})
    assert [e.keys for e in entries] == [("nullable",), ("closed",)]
    entries, problems = parse_entries(
        HERE, {"closed": "why", "properties": {"a": "why", "b": {"missing": "why"}}}
    )
    assert [e.keys for e in entries] == [("closed",), ("properties", "a"), ("properties", "b", "missing")]
    _, problems = parse_entries(HERE, {"colour": "why"})
    assert problems and "unknown aspect" in problems[0]
    _, problems = parse_entries(HERE, "  ")
    assert problems and "empty reason" in problems[0]
    _, problems = parse_entries(HERE, {"properties": {"a": {"enum": 3}}})
    assert problems and "non-empty string" in problems[0]


REQUEST = {
    "type": "object",
    "fields": {
        "temperature": {"type": "number", "nullable": True},
        "store": {"type": "boolean"},
        "opts": {"type": "object", "fields": {"flag": {"type": "boolean"}}},
    },
}


def _judge(tmp_path: Path, schema: dict[str, Any]) -> tuple[list[tuple[Difference, str | None]], list[str]]:
    specs, mine = ours(tmp_path, schema)
    from tools.openai_fidelity.decisions import collect

    verdict = judge(compare(official(REQUEST), mine, "Req"), collect(specs, ["data.yaml"]))
    return verdict.judged, [str(e) for e in verdict.stale] + verdict.invalid


def test_a_decided_difference_is_accepted_in_each_place(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "x-openai-fidelity": {"properties": {"store": "no storage in a gateway"}},
        "properties": {
            "temperature": {"type": "number", "x-openai-fidelity": {"nullable": "null is refused here"}},
            "opts": {"type": "object", "properties": {"flag": {"type": "boolean"}}},
        },
    }
    judged, problems = _judge(tmp_path, schema)
    assert not problems
    assert {(d.path, d.aspect): reason for d, reason in judged} == {
        ("Req.temperature", "nullable"): "null is refused here",
        ("Req.store", "missing"): "no storage in a gateway",
    }


def test_an_undecided_difference_stays_undecided(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "properties": {
            "temperature": {"type": "number", "x-openai-fidelity": {"maximum": "wrong aspect"}},
            "store": {"type": "boolean"},
            "opts": {"type": "object", "properties": {"flag": {"type": "boolean"}}},
        },
    }
    judged, problems = _judge(tmp_path, schema)
    assert [(d.path, d.aspect, reason) for d, reason in judged] == [("Req.temperature", "nullable", None)]
    assert problems == [
        "data.yaml#/components/schemas/X/properties/temperature  x-openai-fidelity.maximum"
    ]  # the wrong aspect decides nothing: stale


def test_a_decision_where_there_is_no_difference_is_stale(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "x-openai-fidelity": {"properties": {"store": "was missing once"}},
        "properties": {
            "temperature": {"type": ["number", "null"]},
            "store": {"type": "boolean"},
            "opts": {
                "type": "object",
                "properties": {"flag": {"type": "boolean", "x-openai-fidelity": "old"}},
            },
        },
    }
    judged, problems = _judge(tmp_path, schema)
    assert judged == []
    assert sorted(problems) == [
        "data.yaml#/components/schemas/X  x-openai-fidelity.properties.store",
        "data.yaml#/components/schemas/X/properties/opts/properties/flag  x-openai-fidelity",
    ]


def test_a_decision_on_a_value_does_not_cover_the_fields_of_an_object_inside_it(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "properties": {
            "temperature": {"type": ["number", "null"]},
            "store": {"type": "boolean"},
            "opts": {"type": "object", "x-openai-fidelity": "covers opts itself", "properties": {}},
        },
    }
    judged, problems = _judge(tmp_path, schema)
    assert [(d.path, d.aspect, reason) for d, reason in judged] == [("Req.opts.flag", "missing", None)]
    assert problems == ["data.yaml#/components/schemas/X/properties/opts  x-openai-fidelity"]


def test_the_same_difference_reached_twice_is_listed_once(tmp_path: Path) -> None:
    shared = {"type": "object", "properties": {"n": {"type": "integer"}}}
    schema = {
        "type": "object",
        "properties": {"a": {"$ref": "#/components/schemas/S"}, "b": {"$ref": "#/components/schemas/S"}},
    }
    _, mine = ours(tmp_path, schema, {"S": shared})
    theirs = official(
        {"type": "object", "fields": {"a": {"ref": "S"}, "b": {"ref": "S"}}}, {"S": {"type": "object"}}
    )
    verdict = judge(compare(theirs, mine, "R"), {})
    assert [(d.path, d.aspect) for d, _ in verdict.judged] == [("R.a.n", "extra")]


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
