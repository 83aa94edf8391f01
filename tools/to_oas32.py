"""Convert the OpenAPI 3.1 contracts to OpenAPI 3.2 copies in ``build/oas32/`` and validate them.

Usage: ``python -m tools.to_oas32 [--contracts DIR] [--out DIR]``

The conversion changes exactly two things and keeps everything else (key order included):

* the ``openapi`` version line becomes ``3.2.0``;
* under every ``text/event-stream`` media type, ``schema`` is renamed ``itemSchema``: in 3.2 a
  stream's schema describes each event, not the stream as a whole.

Cross-file references are kept as they are; all three files are converted, so
``common.yaml#/...`` still resolves next to the copies.

Validation: openapi-spec-validator 0.9 ships the OAS 3.2 schema and an ``OpenAPIV32SpecValidator``,
so the copies are validated as 3.2 documents, not with the 3.1 validator.  Its keyword validators
only descend into a media type's ``schema``; ours (:mod:`tools.validate`) also check each
``itemSchema`` as a schema of the OAS 3.2 dialect, which is JSON Schema 2020-12 with the OAS
vocabulary.  Before writing, :func:`only_expected_changes` proves that undoing the two changes
gives back the 3.1 document, so a bug here cannot hide a difference between the two versions.
"""

from __future__ import annotations

import argparse
import copy
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from tools.specs import ALL_SPECS, OPENAPI_DIR, REPO_ROOT, ContractError, SpecSet
from tools.validate import validate_files

OAS32_VERSION = "3.2.0"
STREAM_MEDIA_TYPE = "text/event-stream"
DEFAULT_OUT = REPO_ROOT / "build" / "oas32"


def _media_type_maps(document: Any) -> list[dict[str, Any]]:
    """Every ``content`` mapping of the document (request bodies, responses, parameters, headers)."""
    found: list[dict[str, Any]] = []

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "content" and isinstance(value, dict):
                    found.append(value)
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(document)
    return found


def _rename_stream_schemas(document: Any, old: str, new: str) -> int:
    count = 0
    for content in _media_type_maps(document):
        media = content.get(STREAM_MEDIA_TYPE)
        if isinstance(media, dict) and old in media:
            # Rebuild the mapping to keep the key where it was.
            renamed = {(new if key == old else key): value for key, value in media.items()}
            media.clear()
            media.update(renamed)
            count += 1
    return count


def convert(document: dict[str, Any]) -> dict[str, Any]:
    """The 3.2 copy of one 3.1 document."""
    converted = copy.deepcopy(document)
    converted["openapi"] = OAS32_VERSION
    _rename_stream_schemas(converted, "schema", "itemSchema")
    return converted


def only_expected_changes(original: dict[str, Any], converted: dict[str, Any]) -> bool:
    """True when undoing the version line and the ``itemSchema`` renames gives back ``original``."""
    undone = copy.deepcopy(converted)
    undone["openapi"] = original.get("openapi")
    _rename_stream_schemas(undone, "itemSchema", "schema")
    return bool(undone == original)


def convert_all(contracts: Path, out: Path) -> list[Path]:
    specs = SpecSet(contracts)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for file in ALL_SPECS:
        original = specs.doc(file)
        if not isinstance(original, dict):
            raise ContractError([f"{file}#: not an OpenAPI document (not a mapping)"])
        converted = convert(original)
        if not only_expected_changes(original, converted):
            raise ContractError([f"{file}#: the 3.2 copy differs in more than the version and itemSchema"])
        target = out / file
        target.write_text(
            yaml.safe_dump(converted, sort_keys=False, allow_unicode=True, width=110), encoding="utf-8"
        )
        written.append(target)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.to_oas32", description=__doc__.split("\n")[0])
    parser.add_argument("--contracts", type=Path, default=OPENAPI_DIR, help="folder of the 3.1 contracts")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the 3.2 copies")
    args = parser.parse_args(argv)
    try:
        convert_all(args.contracts, args.out)
        problems = validate_files(args.out, list(ALL_SPECS), version="3.2")
    except ContractError as exc:
        problems = exc.problems
    for problem in problems:
        print(f"{args.out}/{problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"to_oas32: {len(ALL_SPECS)} OpenAPI 3.2 copies in {args.out} are valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
