"""``make lint-contracts``: validate the contracts and apply the project's own rules to them.

Usage: ``python -m tools.lint_contracts [--contracts DIR] [--oas32-out DIR]``

``--contracts`` is the contracts folder (default ``contracts/``), holding ``openapi/{common,control,
data}.yaml`` and ``requirements.yaml``.  Steps, every problem printed as ``file#/json/pointer: what``:

1. openapi-spec-validator on the three OpenAPI 3.1 files, cross-file references resolved;
2. the OpenAPI 3.2 copies (:mod:`tools.to_oas32`) written to ``--oas32-out`` and validated as 3.2;
3. the rules below, each a small function that yields its violations.

Exit status 0 when there is nothing to report, 1 otherwise.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools.specs import (
    ALL_SPECS,
    CONTRACTS_DIR,
    REPO_ROOT,
    ContractError,
    Location,
    SpecSet,
    load_yaml_file,
    split_ref,
    walk,
)
from tools.to_oas32 import convert_all
from tools.validate import validate_files

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Operations with this tag speak the OpenAI wire format, errors included.
OPENAI_TAG = "openai"
NATIVE_ERROR_SCHEMA = "ErrorEnvelope"
OPENAI_ERROR_SCHEMA = "OpenAIErrorResponse"
REQUIREMENT_ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
REQUIREMENT_LEVELS = ("MUST", "SHOULD", "MAY")
# Every requirement has these; "profile" stands for "profile" or "profiles" (see the format rule).
REQUIREMENT_KEYS = ("id", "level", "text", "applies_to")
OPTIONAL_REQUIREMENT_KEYS = ("profile", "profiles", "needs", "source")
APPLIES_TO_KEYS = ("operations", "stream", "event")
REQUIREMENTS_FILE = "requirements.yaml"
# Keywords whose value is one subschema, or a list or map of them (JSON Schema 2020-12).
SUBSCHEMA = (
    "items",
    "contains",
    "not",
    "if",
    "then",
    "else",
    "propertyNames",
    "additionalProperties",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
)
SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
SUBSCHEMA_MAPS = ("properties", "patternProperties", "dependentSchemas", "$defs")


@dataclass(frozen=True, order=True)
class Violation:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class Operation:
    location: Location  # of the operation object
    path: str
    method: str
    spec: dict[str, Any]

    @property
    def name(self) -> str:
        return f"{self.method.upper()} {self.path}"


@dataclass
class Contract:
    """The parsed contract: the OpenAPI files (as a SpecSet) and the requirements catalogue."""

    specs: SpecSet
    requirements: Any
    requirements_label: str = REQUIREMENTS_FILE
    _operations: list[Operation] = field(default_factory=list)

    @classmethod
    def load(cls, contracts_dir: Path) -> Contract:
        specs = SpecSet(contracts_dir / "openapi")
        for file in ALL_SPECS:
            specs.doc(file)
        label = f"../{REQUIREMENTS_FILE}"  # relative to the openapi folder, like the spec files
        requirements = load_yaml_file(contracts_dir / REQUIREMENTS_FILE, label)
        return cls(specs, requirements, label)

    def operations(self) -> list[Operation]:
        if not self._operations:
            for file in ALL_SPECS:
                paths = self.specs.doc(file).get("paths") or {}
                for path, item in paths.items():
                    where = Location(file, "").child("paths", str(path))
                    if isinstance(item, dict) and isinstance(item.get("$ref"), str):
                        where, item = self.specs.resolve_ref(item["$ref"], file)
                    if not isinstance(item, dict):
                        continue
                    for method in HTTP_METHODS:
                        if isinstance(item.get(method), dict):
                            self._operations.append(
                                Operation(where.child(method), str(path), method, item[method])
                            )
        return self._operations

    def requirement_entries(self) -> list[tuple[Location, Any]]:
        entries = self.requirements.get("requirements") if isinstance(self.requirements, dict) else None
        if not isinstance(entries, list):
            return []
        return [(Location(self.requirements_label, f"/requirements/{i}"), e) for i, e in enumerate(entries)]

    def deref(self, node: Any, file: str) -> tuple[Location | None, Any]:
        """Follow ``node`` if it is a ``$ref`` (None, node otherwise); (None, None) if it dangles."""
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            try:
                return self.specs.resolve_ref(node["$ref"], file)
            except (KeyError, ValueError, IndexError, ContractError):
                return None, None
        return None, node


Rule = Callable[[Contract], Iterator[Violation]]


def rule_operation_ids(contract: Contract) -> Iterator[Violation]:
    """Every operation has an operationId, unique across the contract files."""
    seen: Counter[str] = Counter(
        str(op.spec["operationId"]) for op in contract.operations() if op.spec.get("operationId")
    )
    for op in contract.operations():
        op_id = op.spec.get("operationId")
        if not isinstance(op_id, str) or not op_id:
            yield Violation(str(op.location), f"{op.name} has no operationId")
        elif seen[op_id] > 1:
            yield Violation(
                str(op.location.child("operationId")), f"operationId {op_id!r} is used more than once"
            )


def rule_error_responses(contract: Contract) -> Iterator[Violation]:
    """Every operation documents a 4xx response, and every error response's body is the error schema.

    The error schema is ``OpenAIErrorResponse`` for operations tagged ``openai`` (the
    OpenAI-compatible endpoints), ``ErrorEnvelope`` for the others.  A non-2xx response must
    have content, and each of its media types a ``$ref`` to that schema; 1xx and 3xx responses
    may have no body at all.
    """
    for op in contract.operations():
        tags = op.spec.get("tags") or []
        expected = OPENAI_ERROR_SCHEMA if OPENAI_TAG in tags else NATIVE_ERROR_SCHEMA
        responses = op.spec.get("responses")
        if not isinstance(responses, dict):
            continue  # openapi-spec-validator reports a missing responses object
        where = op.location.child("responses")
        codes = [str(code).upper() for code in responses]
        if not any(len(code) == 3 and code.startswith("4") for code in codes):
            yield Violation(str(where), f"{op.name} documents no 4xx response")
        for code, response in responses.items():
            code = str(code).upper()
            if code.startswith("2"):
                continue
            here = where.child(code)
            target, response = contract.deref(response, op.location.file)
            if target is not None:
                here = target
            if not isinstance(response, dict):
                continue
            content = response.get("content")
            if not content:
                if not code.startswith(("1", "3")):
                    yield Violation(
                        str(here), f"{op.name} {code}: error response has no content (want {expected})"
                    )
                continue
            for media_type, media in content.items():
                schema = media.get("schema") if isinstance(media, dict) else None
                media_here = here.child("content", str(media_type), "schema")
                found = _schema_name(contract, schema, here.file)
                if found != expected:
                    what = f"#/components/schemas/{found}" if found else "not a $ref to a component schema"
                    yield Violation(
                        str(media_here), f"{op.name} {code}: error body must be {expected}, is {what}"
                    )


def _schema_name(contract: Contract, schema: Any, file: str) -> str | None:
    """The component name a ``$ref`` schema points to, after following any chain of references."""
    if not (isinstance(schema, dict) and isinstance(schema.get("$ref"), str)):
        return None
    try:
        _, pointer = split_ref(schema["$ref"], file)
        target, _ = contract.specs.resolve_ref(schema["$ref"], file)
    except (KeyError, ValueError, IndexError, ContractError):
        return None
    for candidate in (target.pointer, pointer):
        parts = candidate.split("/")
        if len(parts) == 4 and parts[1] == "components" and parts[2] == "schemas":
            return parts[3]
    return None


def _schema_roots(contract: Contract) -> Iterator[tuple[Location, Any]]:
    """The named component schemas and the inline schemas of parameters, bodies, and responses."""
    for file in ALL_SPECS:
        doc = contract.specs.doc(file)
        for parts, node in walk(doc):
            named = len(parts) == 3 and parts[:2] == ("components", "schemas")
            inline = (
                bool(parts)
                and parts[-1] in ("schema", "itemSchema")
                and parts[:2] != ("components", "schemas")
            )
            if named or (inline and isinstance(node, dict)):
                yield Location(file, "").child(*parts), node


def _subschemas(where: Location, schema: Any) -> Iterator[tuple[Location, Any]]:
    if not isinstance(schema, dict):
        return
    for key in SUBSCHEMA:
        if isinstance(schema.get(key), dict):
            yield where.child(key), schema[key]
    for key in SUBSCHEMA_LISTS:
        if isinstance(schema.get(key), list):
            for index, sub in enumerate(schema[key]):
                yield where.child(key, index), sub
    for key in SUBSCHEMA_MAPS:
        if isinstance(schema.get(key), dict):
            for name, sub in schema[key].items():
                yield where.child(key, str(name)), sub


def _described(contract: Contract, node: Any, file: str) -> bool:
    if isinstance(node, dict) and isinstance(node.get("description"), str) and node["description"].strip():
        return True
    target, resolved = contract.deref(node, file)
    return target is not None and _described(contract, resolved, target.file)


def rule_descriptions(contract: Contract) -> Iterator[Violation]:
    """Every named schema and every property (anywhere, nested ones included) has a description.

    A property that is only a ``$ref`` is described when the schema it points to is: the
    description then lives in one place.
    """
    seen: set[Location] = set()
    pending = list(_schema_roots(contract))
    while pending:
        where, schema = pending.pop()
        if where in seen:
            continue
        seen.add(where)
        parts = where.pointer.split("/")
        if (
            len(parts) == 4
            and parts[1:3] == ["components", "schemas"]
            and not _described(contract, schema, where.file)
        ):
            yield Violation(str(where), f"schema {parts[3]} has no description")
        if isinstance(schema, dict) and isinstance(schema.get("properties"), dict):
            for name, prop in schema["properties"].items():
                if not _described(contract, prop, where.file):
                    yield Violation(
                        str(where.child("properties", str(name))), f"property {name} has no description"
                    )
        pending.extend(_subschemas(where, schema))


def rule_requirement_format(contract: Contract) -> Iterator[Violation]:
    """The catalogue is ``requirements:``, a list of {id, level, profile(s), text, applies_to}.

    Each entry names its conformance profile as ``profile`` (one) or ``profiles`` (a list); when
    the catalogue declares its profiles in a top-level ``profiles`` mapping, each one named must be
    declared there.  ``needs`` (the optional features a requirement needs) is an optional list.
    ``applies_to`` is a mapping with optional ``operations`` (a list), ``stream`` and ``event``.
    """
    label = contract.requirements_label
    catalogue = contract.requirements
    if not isinstance(catalogue, dict) or not isinstance(catalogue.get("requirements"), list):
        yield Violation(f"{label}#", "top-level key `requirements:` must be a list")
        return
    declared = catalogue.get("profiles")
    for where, entry in contract.requirement_entries():
        if not isinstance(entry, dict):
            yield Violation(str(where), "a requirement must be a mapping")
            continue
        for key in REQUIREMENT_KEYS:
            if key not in entry:
                yield Violation(str(where), f"requirement has no {key!r}")
        for key in sorted(set(entry) - set(REQUIREMENT_KEYS) - set(OPTIONAL_REQUIREMENT_KEYS), key=str):
            yield Violation(str(where.child(str(key))), f"unknown key {key!r}")
        if "level" in entry and entry["level"] not in REQUIREMENT_LEVELS:
            yield Violation(
                str(where.child("level")), f"level must be one of {', '.join(REQUIREMENT_LEVELS)}"
            )
        if "text" in entry and not _non_empty_string(entry["text"]):
            yield Violation(str(where.child("text")), "text must be a non-empty string")
        yield from _check_profiles(where, entry, declared)
        if "needs" in entry and not _string_list(entry["needs"]):
            yield Violation(str(where.child("needs")), "needs must be a list of feature names")
        yield from _check_applies_to(where, entry)


def _non_empty_string(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _string_list(value: Any) -> bool:
    return isinstance(value, list) and all(_non_empty_string(v) for v in value)


def _check_profiles(where: Location, entry: dict[str, Any], declared: Any) -> Iterator[Violation]:
    has_one, has_many = "profile" in entry, "profiles" in entry
    if has_one == has_many:
        yield Violation(str(where), "requirement must have exactly one of 'profile' and 'profiles'")
        return
    if has_one and not _non_empty_string(entry["profile"]):
        yield Violation(str(where.child("profile")), "profile must be a non-empty string")
        return
    if has_many and not (_string_list(entry["profiles"]) and entry["profiles"]):
        yield Violation(str(where.child("profiles")), "profiles must be a non-empty list of profile names")
        return
    names = [entry["profile"]] if has_one else entry["profiles"]
    if isinstance(declared, dict):
        key = "profile" if has_one else "profiles"
        for index, name in enumerate(names):
            if name not in declared:
                at = where.child(key) if has_one else where.child(key, index)
                yield Violation(str(at), f"profile {name!r} is not declared under the top-level `profiles:`")


def _check_applies_to(where: Location, entry: dict[str, Any]) -> Iterator[Violation]:
    applies = entry.get("applies_to")
    if "applies_to" in entry and not isinstance(applies, dict):
        yield Violation(str(where.child("applies_to")), "applies_to must be a mapping")
    elif isinstance(applies, dict):
        for key in sorted(set(applies) - set(APPLIES_TO_KEYS), key=str):
            yield Violation(str(where.child("applies_to", str(key))), f"unknown key {key!r}")
        if "operations" in applies and not _string_list(applies["operations"]):
            yield Violation(str(where.child("applies_to", "operations")), "must be a list of operationIds")


def rule_requirement_ids(contract: Contract) -> Iterator[Violation]:
    """Every requirement id is unique and matches ``^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$``."""
    ids = [entry.get("id") for _, entry in contract.requirement_entries() if isinstance(entry, dict)]
    counts = Counter(i for i in ids if isinstance(i, str))
    for where, entry in contract.requirement_entries():
        if not isinstance(entry, dict) or "id" not in entry:
            continue
        req_id = entry["id"]
        if not isinstance(req_id, str) or not REQUIREMENT_ID.match(req_id):
            yield Violation(str(where.child("id")), f"id {req_id!r} does not match {REQUIREMENT_ID.pattern}")
        elif counts[req_id] > 1:
            yield Violation(str(where.child("id")), f"id {req_id!r} is used more than once")


def rule_x_requirements_exist(contract: Contract) -> Iterator[Violation]:
    """Every id in an ``x-requirements`` list, anywhere in the specs, is in the catalogue."""
    known = {e.get("id") for _, e in contract.requirement_entries() if isinstance(e, dict)}
    for file in ALL_SPECS:
        for parts, node in walk(contract.specs.doc(file)):
            if not parts or parts[-1] != "x-requirements":
                continue
            where = Location(file, "").child(*parts)
            ids = [node] if isinstance(node, str) else node
            if not isinstance(ids, list):
                yield Violation(str(where), "x-requirements must be a list of requirement ids")
                continue
            for index, req_id in enumerate(ids):
                if req_id not in known:
                    at = where if isinstance(node, str) else where.child(index)
                    yield Violation(str(at), f"requirement {req_id!r} is not in {REQUIREMENTS_FILE}")


def rule_applies_to_operations_exist(contract: Contract) -> Iterator[Violation]:
    """Every operationId in a requirement's ``applies_to.operations`` exists in the specs.

    Entries that start with ``*`` (``*``, ``*v1``, ``*native``) are selectors of a group of
    operations, not operationIds, and are left to the suite that interprets them.
    """
    known = {op.spec.get("operationId") for op in contract.operations()}
    for where, entry in contract.requirement_entries():
        applies = entry.get("applies_to") if isinstance(entry, dict) else None
        ops = applies.get("operations") if isinstance(applies, dict) else None
        if not isinstance(ops, list):
            continue
        for index, op_id in enumerate(ops):
            if isinstance(op_id, str) and not op_id.startswith("*") and op_id not in known:
                yield Violation(
                    str(where.child("applies_to", "operations", index)),
                    f"no operation has operationId {op_id!r}",
                )


def rule_catalogue_references(contract: Contract) -> Iterator[Violation]:
    """Names used elsewhere exist: requirement ids listed under the catalogue's ``deviations``, and
    (when the catalogue declares ``profiles``) the profiles named by ``x-profiles`` in the specs."""
    catalogue = contract.requirements if isinstance(contract.requirements, dict) else {}
    known = {e.get("id") for _, e in contract.requirement_entries() if isinstance(e, dict)}
    deviations = catalogue.get("deviations")
    for index, deviation in enumerate(deviations if isinstance(deviations, list) else []):
        where = Location(contract.requirements_label, f"/deviations/{index}/requirements")
        ids = deviation.get("requirements") if isinstance(deviation, dict) else None
        if not isinstance(ids, list):
            yield Violation(str(where), "must be a list of requirement ids")
            continue
        for position, req_id in enumerate(ids):
            if req_id not in known:
                yield Violation(str(where.child(position)), f"requirement {req_id!r} is not in the catalogue")
    profiles = catalogue.get("profiles")
    if not isinstance(profiles, dict):
        return
    for file in ALL_SPECS:
        for parts, node in walk(contract.specs.doc(file)):
            if not parts or parts[-1] != "x-profiles":
                continue
            where = Location(file, "").child(*parts)
            if not _string_list(node):
                yield Violation(str(where), "x-profiles must be a list of profile names")
                continue
            for index, name in enumerate(node):
                if name not in profiles:
                    yield Violation(
                        str(where.child(index)), f"profile {name!r} is not declared in {REQUIREMENTS_FILE}"
                    )


RULES: tuple[Rule, ...] = (
    rule_operation_ids,
    rule_error_responses,
    rule_descriptions,
    rule_requirement_format,
    rule_requirement_ids,
    rule_x_requirements_exist,
    rule_applies_to_operations_exist,
    rule_catalogue_references,
)


def run_rules(contract: Contract, rules: Sequence[Rule] = RULES) -> list[Violation]:
    return sorted({violation for rule in rules for violation in rule(contract)})


def lint(contracts_dir: Path, oas32_out: Path) -> list[str]:
    """Every problem, as ``path#pointer: message`` with paths shown relative to the contracts folder."""
    openapi_dir = contracts_dir / "openapi"
    try:
        problems = [f"openapi/{p}" for p in validate_files(openapi_dir, list(ALL_SPECS), version="3.1")]
    except ContractError as exc:
        return [f"openapi/{p}" for p in exc.problems]
    if problems:
        return problems  # the rules assume documents of the right shape
    try:
        convert_all(openapi_dir, oas32_out)
        oas32 = validate_files(oas32_out, list(ALL_SPECS), version="3.2")
        problems += [f"{oas32_out}/{p} (OpenAPI 3.2 copy)" for p in oas32]
        contract = Contract.load(contracts_dir)
    except ContractError as exc:
        return problems + [f"openapi/{p}" for p in exc.problems]
    problems += [f"openapi/{v}" for v in run_rules(contract)]
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.lint_contracts", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--contracts", type=Path, default=CONTRACTS_DIR, help="contracts folder")
    parser.add_argument(
        "--oas32-out", type=Path, default=REPO_ROOT / "build" / "oas32", help="3.2 copies go here"
    )
    args = parser.parse_args(argv)
    contracts_dir: Path = args.contracts
    shown = _display(contracts_dir)
    problems = lint(contracts_dir, args.oas32_out)
    for problem in problems:
        # Paths inside the contracts folder are normalised ("openapi/../requirements.yaml").
        text = problem if problem.startswith("/") else f"{shown}/{problem}"
        print(text.replace("openapi/../", ""))
    if problems:
        print(f"lint-contracts: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(
        f"lint-contracts: {shown}: OK ({len(ALL_SPECS)} OpenAPI files, their 3.2 copies, {len(RULES)} rules)"
    )
    return 0


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
