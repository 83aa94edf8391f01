"""tools/openai_fidelity: shapes (unions, refinement, reading our schemas and the facts) and each
aspect of the comparison, on small hand-made schema pairs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.tools.fidelity_schemas import FACTS_DOC, HERE, official, s, write_contract
from tools.openai_fidelity.compare import (
    diff_closed,
    diff_default,
    diff_enum,
    diff_limit,
    diff_nullable,
    diff_required,
    diff_type,
)
from tools.openai_fidelity.contract import normalize, own_shape
from tools.openai_fidelity.facts import FactsError, parse_facts
from tools.openai_fidelity.shape import NO_DEFAULT, Shape, refine, union
from tools.specs import Location, SpecSet

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
