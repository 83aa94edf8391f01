"""The contract's version: one semantic version, written in four places that must agree.

``info.version`` of each OpenAPI document and ``contract_version`` of the catalogue carry the same
``MAJOR.MINOR.PATCH`` string (each document is read on its own by generators and vendors, so each
says which release it belongs to); :func:`disagreements` names any that differ.  The changelog
(``contracts/CHANGELOG.md``) has one ``## MAJOR.MINOR.PATCH`` heading per release.
"""

from __future__ import annotations

import re
from typing import Final

from llmgw_contracts import SPEC_FILES
from tools.contract_diff.sources import Snapshot

SEMVER: Final = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
CHANGELOG_HEADING: Final = re.compile(r"^##\s+\[?v?(\d+\.\d+\.\d+)\]?(?:\s|$)", re.M)

Version = tuple[int, int, int]


def declared(snapshot: Snapshot) -> dict[str, str]:
    """The version each file declares: ``{"openapi/control.yaml#/info/version": "1.1.0", ...}``."""
    found: dict[str, str] = {}
    for name in SPEC_FILES:
        info = snapshot.doc(name).get("info")
        found[f"openapi/{name}#/info/version"] = (
            str(info.get("version", "")) if isinstance(info, dict) else ""
        )
    found["requirements.yaml#/contract_version"] = str(snapshot.catalogue.get("contract_version", ""))
    return found


def disagreements(snapshot: Snapshot) -> list[str]:
    """One line per problem: a version that is not ``MAJOR.MINOR.PATCH``, or files that disagree."""
    versions = declared(snapshot)
    problems = [
        f"{where}: {value!r} is not a semantic version MAJOR.MINOR.PATCH"
        for where, value in versions.items()
        if not SEMVER.match(value)
    ]
    if len(set(versions.values())) > 1:
        listed = ", ".join(f"{where} {value!r}" for where, value in versions.items())
        problems.append(f"the contract files disagree on the version ({listed}); make them one")
    return problems


def version_of(snapshot: Snapshot) -> Version | None:
    """The contract's version when every file agrees on a valid one, else None."""
    if disagreements(snapshot):
        return None
    return parse(next(iter(declared(snapshot).values())))


def parse(text: str) -> Version | None:
    match = SEMVER.match(text)
    return (int(match[1]), int(match[2]), int(match[3])) if match else None


def show(version: Version) -> str:
    return ".".join(map(str, version))


def changelog_versions(text: str) -> set[str]:
    """The releases the changelog has an entry for (its ``## 1.2.0`` headings)."""
    return set(CHANGELOG_HEADING.findall(text))
