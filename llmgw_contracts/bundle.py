"""Bundle one contract file and the files it refers to into a single self-contained OpenAPI document.

openapi-python-client 0.29 does not follow references into other files ("Remote references ... are
not supported yet") and drops every schema that uses one.  So before generating a client we copy
the components of each referenced file (``common.yaml``) into the document's own ``components``
under the same names, and rewrite ``common.yaml#/components/schemas/X`` to
``#/components/schemas/X``.  Only references to ``/components/...`` of same-folder files are
supported. The suite hands out bundled specs too (``LoadedContract.bundled_spec``), so this lives here,
beside the files, rather than in the dev-only tools.

Name clashes: when the document has a component of the same kind and name as one in the
referenced file, the document's own wins if nothing refers to the other file's one (each file
defines its own ``securitySchemes``, for instance, because a security requirement can only name a
scheme of its own document).  If the other file's component is referenced, the two cannot both be
represented and bundling fails, naming both, rather than renaming anything silently.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from llmgw_contracts.documents import Location, SpecSet, from_pointer, split_ref, to_pointer
from llmgw_contracts.files import ContractError


@dataclass
class _Bundler:
    root_file: str
    pending: list[str] = field(default_factory=list)
    referenced: set[Location] = field(default_factory=set)  # external components named by a $ref
    problems: list[str] = field(default_factory=list)

    def localise(self, node: Any, file: str, where: Location) -> None:
        """Rewrite, in place, every ``$ref`` under ``node`` (which sits in ``file``) to a local one."""
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                self._rewrite(node, ref, file, where.child("$ref"))
            for key, value in node.items():
                if key != "$ref":
                    self.localise(value, file, where.child(str(key)))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                self.localise(value, file, where.child(index))

    def _rewrite(self, node: dict[str, Any], ref: str, file: str, where: Location) -> None:
        try:
            target_file, pointer = split_ref(ref, file)
            parts = from_pointer(pointer)
        except ValueError as exc:
            self.problems.append(f"{where}: {exc}")
            return
        if target_file == self.root_file:
            node["$ref"] = "#" + pointer
            return
        if len(parts) < 3 or parts[0] != "components":
            self.problems.append(
                f"{where}: cannot bundle {ref!r}: only references to /components/<kind>/<name> "
                f"of another file are supported"
            )
            return
        node["$ref"] = "#" + pointer
        self.referenced.add(Location(target_file, to_pointer(parts[:3])))
        self.pending.append(target_file)


def bundle(specs: SpecSet, root_file: str) -> dict[str, Any]:
    """Return ``root_file`` with every external ``$ref`` made local (see module docstring)."""
    root = copy.deepcopy(specs.doc(root_file))
    if not isinstance(root, dict):
        raise ContractError([f"{root_file}#: not an OpenAPI document (not a mapping)"])
    state = _Bundler(root_file)
    state.localise(root, root_file, Location(root_file, ""))

    components = root.setdefault("components", {})
    origin: dict[tuple[str, str], Location] = {}
    for kind, entries in components.items():
        for name in entries if isinstance(entries, dict) else ():
            origin[(kind, name)] = Location(root_file, to_pointer(["components", kind, name]))

    clashes: list[tuple[Location, Location]] = []
    merged: set[str] = set()
    while state.pending:
        file = state.pending.pop(0)
        if file in merged:
            continue
        merged.add(file)
        for kind, entries in (specs.doc(file).get("components") or {}).items():
            if not isinstance(entries, dict):
                continue
            target = components.setdefault(kind, {})
            for name, value in entries.items():
                here = Location(file, to_pointer(["components", kind, name]))
                local = copy.deepcopy(value)
                state.localise(local, file, here)
                if name not in target:
                    target[name] = local
                    origin[(kind, name)] = here
                elif target[name] != local:
                    clashes.append((here, origin[(kind, name)]))
    for here, kept in clashes:
        if here in state.referenced:
            state.problems.append(
                f"{here}: cannot bundle into {root_file}: {kept} has the same name and different content"
            )
    if state.problems:
        raise ContractError(state.problems)
    return root


def write_bundle(specs: SpecSet, root_file: str, out_dir: Path) -> Path:
    """Write the bundle of ``root_file`` as JSON (no YAML key-typing surprises); return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / (Path(root_file).stem + ".json")
    out.write_text(
        json.dumps(bundle(specs, root_file), indent=2, ensure_ascii=False, default=str) + "\n",
        encoding="utf-8",
    )
    return out
