"""tools/openai_fidelity: comparing whole schemas and judging the differences against the decisions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.tools.fidelity_schemas import HERE, aspects, official, ours
from tools.openai_fidelity.compare import (
    Difference,
    compare,
)
from tools.openai_fidelity.decisions import judge, parse_entries


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
