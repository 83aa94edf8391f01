"""Bundle one contract file and the files it refers to into a single self-contained OpenAPI document.

openapi-python-client 0.29 does not follow references into other files ("Remote references ... are
not supported yet") and drops every schema that uses one.  So before generating a client we copy
the components of each referenced file (``common.yaml``) into the document's own ``components``
under the same names, and rewrite ``common.yaml#/components/schemas/X`` to
``#/components/schemas/X``.  Only references to ``/components/...`` of same-folder files are
supported; two different components with the same name are an error rather than a silent rename.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from tools.specs import ContractError, Location, SpecSet, from_pointer, split_ref, to_pointer


def bundle(specs: SpecSet, root_file: str) -> dict[str, Any]:
    """Return ``root_file`` with every external ``$ref`` made local (see module docstring)."""
    root = copy.deepcopy(specs.doc(root_file))
    if not isinstance(root, dict):
        raise ContractError([f"{root_file}#: not an OpenAPI document (not a mapping)"])
    problems: list[str] = []
    pending: list[str] = []
    _localise(root, root_file, root_file, Location(root_file, ""), pending, problems)

    components = root.setdefault("components", {})
    origin: dict[tuple[str, str], Location] = {}
    for kind, entries in components.items():
        if isinstance(entries, dict):
            for name in entries:
                origin[(kind, name)] = Location(root_file, to_pointer(["components", kind, name]))

    merged: set[str] = set()
    while pending:
        file = pending.pop(0)
        if file in merged or file == root_file:
            continue
        merged.add(file)
        external = specs.doc(file)
        for kind, entries in (external.get("components") or {}).items():
            if not isinstance(entries, dict):
                continue
            target = components.setdefault(kind, {})
            for name, value in entries.items():
                here = Location(file, to_pointer(["components", kind, name]))
                local = copy.deepcopy(value)
                _localise(local, file, root_file, here, pending, problems)
                if name in target and target[name] != local:
                    problems.append(
                        f"{here}: cannot bundle into {root_file}: {origin[(kind, name)]} "
                        f"has the same name and different content"
                    )
                    continue
                target.setdefault(name, local)
                origin.setdefault((kind, name), here)
    if problems:
        raise ContractError(problems)
    return root


def _localise(
    node: Any, file: str, root_file: str, where: Location, pending: list[str], problems: list[str]
) -> None:
    """Rewrite, in place, every ``$ref`` under ``node`` (which sits in ``file``) to a local one."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            try:
                target_file, pointer = split_ref(ref, file)
            except ValueError as exc:
                problems.append(f"{where.child('$ref')}: {exc}")
            else:
                parts = from_pointer(pointer) if pointer.startswith("/") or pointer == "" else []
                if target_file != root_file and (len(parts) < 3 or parts[0] != "components"):
                    problems.append(
                        f"{where.child('$ref')}: cannot bundle {ref!r}: only references to "
                        f"/components/<kind>/<name> of another file are supported"
                    )
                else:
                    node["$ref"] = "#" + pointer
                    if target_file != root_file:
                        pending.append(target_file)
        for key, value in node.items():
            if key != "$ref":
                _localise(value, file, root_file, where.child(str(key)), pending, problems)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _localise(value, file, root_file, where.child(index), pending, problems)


def write_bundle(specs: SpecSet, root_file: str, out_dir: Path) -> Path:
    """Write the bundle of ``root_file`` as JSON (no YAML key-typing surprises); return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / (Path(root_file).stem + ".json")
    out.write_text(
        json.dumps(bundle(specs, root_file), indent=2, ensure_ascii=False, default=str) + "\n",
        encoding="utf-8",
    )
    return out
