"""One side of a diff: a contracts folder, or a git ref read with ``git show`` (no checkout, no tags).

A folder holds ``openapi/{common,control,data}.yaml`` and ``requirements.yaml``.  A git ref is
anything ``git show REF:path`` understands (a commit, ``HEAD~1``, a branch), so CI's fresh clone
without tags can compare commits; its files are written to a temporary folder and parsed by the
shared loader (:mod:`llmgw_contracts`), never by a second YAML parser.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from llmgw_contracts import REQUIREMENTS_FILE, SPEC_FILES, ContractError, SpecSet, read_yaml

#: Where the contract lives inside a repository (the git-ref side reads it from there).
CONTRACTS_IN_REPO = "contracts"
CONTRACT_FILES = (*(f"openapi/{name}" for name in SPEC_FILES), REQUIREMENTS_FILE)


@dataclass(frozen=True)
class Snapshot:
    """A parsed contract: the three OpenAPI documents (with ``$ref`` following) and the catalogue."""

    label: str
    specs: SpecSet
    catalogue: dict[str, Any]

    def doc(self, file: str) -> dict[str, Any]:
        document = self.specs.doc(file)
        return document if isinstance(document, dict) else {}


def load_folder(folder: Path, label: str | None = None) -> Snapshot:
    """The contract in ``folder``; a missing or unparsable file is a :class:`ContractError`."""
    specs = SpecSet(folder / "openapi")
    for name in SPEC_FILES:
        specs.doc(name)  # parsed now: a temporary folder may go away after loading
    catalogue = read_yaml(folder / REQUIREMENTS_FILE, REQUIREMENTS_FILE)
    if not isinstance(catalogue, dict):
        raise ContractError([f"{REQUIREMENTS_FILE}: expected a mapping at the top"])
    return Snapshot(label or str(folder), specs, catalogue)


def load_ref(ref: str, repo: Path, contracts: str = CONTRACTS_IN_REPO) -> Snapshot:
    """The contract as committed at ``ref`` in the git repository ``repo``."""
    with tempfile.TemporaryDirectory(prefix="contract-diff-") as tmp:
        root = Path(tmp)
        for relative in CONTRACT_FILES:
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(_git_show(repo, f"{ref}:{contracts}/{relative}"))
        return load_folder(root, label=ref)


def load_side(side: str, repo: Path) -> Snapshot:
    """``side`` as a folder when one exists at that path (relative to the working directory), else
    as a git ref of ``repo``."""
    folder = Path(side)
    if folder.is_dir():
        return load_folder(folder, label=side)
    return load_ref(side, repo)


def _git_show(repo: Path, spec: str) -> bytes:
    try:
        result = subprocess.run(
            ["git", "-C", str(repo), "show", spec], capture_output=True, check=False, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ContractError([f"{spec}: cannot run git: {exc}"]) from exc
    if result.returncode != 0:
        why = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ContractError(
            [f"{spec}: neither a folder nor readable with git show ({why[-1] if why else 'no output'})"]
        )
    return result.stdout
