"""Small schema pairs for the fidelity tests: ours written as a data.yaml component, the official
side as a facts shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tools.openai_fidelity.compare import (
    Difference,
)
from tools.openai_fidelity.contract import normalize
from tools.openai_fidelity.facts import to_shape
from tools.openai_fidelity.shape import Shape
from tools.specs import Location, SpecSet

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


def s(**kwargs: Any) -> Shape:
    kwargs.setdefault("nullable", False)
    if "types" in kwargs:
        kwargs["types"] = frozenset(kwargs["types"])
    return Shape(**kwargs)
