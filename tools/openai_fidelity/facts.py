"""The facts file (``facts.yaml`` beside this module): what the official description says.

Its structure is documented at the top of the file itself; in short::

    source:  {repository, path, commit, commit_date, version}     # version: the official info.version
    roots:   [{official: <name>, ours: <file>#<pointer>, surface: <what it describes>}]
    schemas: {<official schema name>: <shape>}

and a shape is a mapping of: ``type`` (a JSON type or a list; absent: any), ``nullable``, ``enum``,
``default``, the constraint keywords of :data:`~tools.openai_fidelity.shape.LIMITS`, ``items``
(shape), ``fields`` (name -> shape), ``required``, ``closed`` (unknown keys refused), ``values``
(shape of a map's values), ``deprecated``, ``one_of`` (alternative shapes), ``ref`` (another entry
of ``schemas``) and ``from`` (the official schema names the shape was assembled from; a note).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from tools.openai_fidelity.shape import JSON_TYPES, LIMITS, Shape, union

FACTS_FILE = Path(__file__).resolve().parent / "facts.yaml"

SHAPE_KEYS = frozenset(
    {"type", "nullable", "enum", "default", "items", "fields", "required", "closed", "values"}
    | {"deprecated", "one_of", "ref", "from"}
    | set(LIMITS)
)
REF_SIBLINGS = frozenset({"ref", "nullable", "default", "deprecated", "from"})
SOURCE_KEYS = ("repository", "path", "commit", "commit_date", "version")


class FactsError(Exception):
    """The facts file is malformed; the message names the entry and key."""


@dataclass(frozen=True)
class Root:
    """One official schema compared with one schema of ours."""

    official: str
    ours: str
    surface: str


@dataclass(frozen=True)
class Facts:
    """The parsed facts file."""

    source: Mapping[str, Any]
    roots: tuple[Root, ...]
    schemas: Mapping[str, Any]

    @property
    def version(self) -> str:
        return str(self.source["version"])


def check_shape(raw: Any, where: str, names: Mapping[str, Any]) -> None:
    """Raise FactsError unless ``raw`` is a well-formed shape mapping (recursively)."""
    if not isinstance(raw, dict):
        raise FactsError(f"{where}: a shape must be a mapping")
    unknown = set(raw) - SHAPE_KEYS
    if unknown:
        raise FactsError(f"{where}: unknown keys {sorted(unknown)}")
    if "ref" in raw:
        if set(raw) - REF_SIBLINGS:
            raise FactsError(f"{where}: ref allows only {sorted(REF_SIBLINGS - {'ref'})} beside it")
        if raw["ref"] not in names:
            raise FactsError(f"{where}: ref {raw['ref']!r} is not an entry of schemas")
    types = raw.get("type", [])
    for name in [types] if isinstance(types, str) else types:
        if name not in JSON_TYPES:
            raise FactsError(f"{where}: unknown type {name!r}")
    for key in ("items", "values"):
        if key in raw:
            check_shape(raw[key], f"{where}.{key}", names)
    for name, child in (raw.get("fields") or {}).items():
        check_shape(child, f"{where}.fields.{name}", names)
    for index, branch in enumerate(raw.get("one_of") or ()):
        check_shape(branch, f"{where}.one_of[{index}]", names)
    missing = set(raw.get("required") or ()) - set(raw.get("fields") or {})
    if missing and "fields" in raw:
        raise FactsError(f"{where}: required names unknown fields {sorted(missing)}")


def parse_facts(data: Any) -> Facts:
    """Check the structure of a loaded facts document and wrap it."""
    if not isinstance(data, dict):
        raise FactsError("facts: the document must be a mapping")
    source = data.get("source")
    if not isinstance(source, dict) or any(not source.get(k) for k in SOURCE_KEYS):
        raise FactsError(f"facts: source must name {', '.join(SOURCE_KEYS)}")
    schemas = data.get("schemas")
    if not isinstance(schemas, dict) or not schemas:
        raise FactsError("facts: schemas must be a non-empty mapping")
    for name, raw in schemas.items():
        check_shape(raw, f"schemas.{name}", schemas)
    roots: list[Root] = []
    for index, raw_root in enumerate(data.get("roots") or ()):
        if not isinstance(raw_root, dict) or raw_root.get("official") not in schemas:
            raise FactsError(f"roots[{index}]: official must name an entry of schemas")
        if "#" not in str(raw_root.get("ours", "")):
            raise FactsError(f"roots[{index}]: ours must be <file>#<pointer>")
        roots.append(Root(str(raw_root["official"]), str(raw_root["ours"]), str(raw_root.get("surface", ""))))
    if not roots:
        raise FactsError("facts: roots must list at least one schema pair")
    return Facts(source=source, roots=tuple(roots), schemas=schemas)


def load_facts(path: Path = FACTS_FILE) -> Facts:
    """Load and check the facts file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise FactsError(f"{path}: cannot load: {exc}") from exc
    return parse_facts(data)


def to_shape(raw: Mapping[str, Any], schemas: Mapping[str, Any], depth: int = 0) -> Shape:
    """The :class:`Shape` of a (checked) facts shape mapping, ``ref`` and ``one_of`` resolved."""
    if depth > 64:
        raise FactsError("facts: reference cycle")
    if "ref" in raw:
        shape = to_shape(schemas[raw["ref"]], schemas, depth + 1)
    elif "one_of" in raw:
        shape = union([to_shape(b, schemas, depth + 1) for b in raw["one_of"]])
    else:
        declared = raw.get("type")
        types = None if declared is None else frozenset([declared] if isinstance(declared, str) else declared)
        shape = Shape(
            types=types,
            nullable=types is None,
            enum=tuple(raw["enum"]) if "enum" in raw else None,
            limits={k: raw[k] for k in LIMITS if k in raw},
            items=to_shape(raw["items"], schemas, depth + 1) if "items" in raw else None,
            fields={str(k): to_shape(v, schemas, depth + 1) for k, v in (raw.get("fields") or {}).items()},
            required=frozenset(raw.get("required") or ()),
            closed=raw.get("closed") is True,
            values=to_shape(raw["values"], schemas, depth + 1) if "values" in raw else None,
        )
    if raw.get("nullable") is True:
        shape = replace(shape, nullable=True)
    if "default" in raw:
        shape = replace(shape, default=raw["default"])
    if raw.get("deprecated") is True:
        shape = replace(shape, deprecated=True)
    return shape


def entry_shape(facts: Facts, name: str) -> Shape:
    """The shape of ``schemas[name]``."""
    return to_shape(facts.schemas[name], facts.schemas)
