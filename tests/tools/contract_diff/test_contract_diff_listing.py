"""The whole listing: empty for a contract against itself, stable and sorted for a realistic change
set, the same from the CLI in text and JSON, and from git refs as from folders."""

from __future__ import annotations

import copy
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.tools.contract_diff.small_contract import Contract, base_contract, write_contract
from tools.contract_diff.__main__ import main
from tools.contract_diff.engine import diff, render_text
from tools.contract_diff.rules import Change
from tools.contract_diff.sources import Snapshot, load_folder
from tools.specs import CONTRACTS_DIR


@pytest.mark.parametrize("folder", [CONTRACTS_DIR, CONTRACTS_DIR / "released"], ids=["working", "released"])
def test_a_contract_against_itself_has_no_changes(folder: Path) -> None:
    assert diff(load_folder(folder), load_folder(folder)) == []


def realistic_edit(contract: Contract) -> None:
    """Several edits at once, as one pull request might make them."""
    data, catalogue = contract["openapi/data.yaml"], contract["requirements.yaml"]
    schemas = data["components"]["schemas"]
    del schemas["Thing"]["properties"]["note"]  # response field removed
    schemas["ThingRequest"]["required"].append("size")  # request field became required
    schemas["ThingRequest"]["properties"]["color"]["enum"].append("green")  # request enum widened
    data["paths"]["/v1/things"]["post"]["responses"]["404"] = {"description": "No."}  # status added
    data["x-stream-grammars"]["native"]["events"]["ping"] = "SSEEnd"  # stream event added
    catalogue["requirements"][1]["level"] = "MUST"  # SHOULD raised to MUST
    catalogue["requirements"][0]["text"] = "One thing always holds."
    data["info"]["description"] = "Reworded."


EXPECTED = [
    "breaking response-property-removed data.yaml#/components/schemas/Thing/properties/note",
    "breaking request-property-became-required data.yaml#/components/schemas/ThingRequest/properties/size",
    "breaking stream-event-added data.yaml#/x-stream-grammars/native/events/ping",
    "breaking requirement-level-raised requirements.yaml#/requirements/1/level",
    "compatible request-enum-value-added data.yaml#/components/schemas/ThingRequest/properties/color/enum",
    "compatible response-status-added data.yaml#/paths/~1v1~1things/post/responses/404",
    "compatible requirement-text-changed requirements.yaml#/requirements/0/text",
    "informational other-change data.yaml#/info/description",
]


def listed(changes: list[Change]) -> list[str]:
    return [f"{c.level} {c.rule} {c.file}#{c.pointer}" for c in changes]


def listed_json(output: str) -> list[str]:
    return [f"{c['level']} {c['rule']} {c['file']}#{c['pointer']}" for c in json.loads(output)["changes"]]


def test_a_realistic_change_set_is_listed_sorted_and_stable(
    snapshot_of: Callable[[Contract], Snapshot],
) -> None:
    old = base_contract()
    new = copy.deepcopy(old)
    realistic_edit(new)
    first = diff(snapshot_of(old), snapshot_of(new))
    again = diff(snapshot_of(old), snapshot_of(new))
    assert listed(first) == EXPECTED
    assert render_text(first, "a", "b") == render_text(again, "a", "b")
    assert first == sorted(first, key=Change.sort_key)
    removed = next(c for c in first if c.rule == "response-property-removed")
    assert removed.operations == ("createThing", "getThing")  # one change, every operation it touches


def test_cli_prints_text_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = base_contract()
    realistic_edit(new)
    old_dir, new_dir = (
        write_contract(tmp_path / "old", base_contract()),
        write_contract(tmp_path / "new", new),
    )
    assert main([str(old_dir), str(new_dir)]) == 0
    text = capsys.readouterr().out
    assert "breaking      response-property-removed" in text
    assert text.rstrip().endswith("4 breaking, 3 compatible, 1 informational")
    assert main([str(old_dir), str(new_dir), "--json"]) == 0
    assert listed_json(capsys.readouterr().out) == EXPECTED


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        check=True,
        capture_output=True,
    )


def test_git_refs_are_read_without_a_checkout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    write_contract(repo / "contracts", base_contract())
    _git(repo, "add", "contracts")
    _git(repo, "commit", "-q", "-m", "release")
    new = base_contract()
    realistic_edit(new)
    write_contract(repo / "contracts", new)
    _git(repo, "commit", "-q", "-a", "-m", "change")
    assert main(["HEAD~1", "HEAD", "--repo", str(repo), "--json"]) == 0
    assert listed_json(capsys.readouterr().out) == EXPECTED
    from_folder = load_folder(repo / "contracts")
    assert main(["HEAD", str(repo / "contracts"), "--repo", str(repo)]) == 0
    assert "no changes" in capsys.readouterr().out
    assert from_folder.catalogue["contract_version"] == "1.0.0"


def test_an_unreadable_side_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = tmp_path / "empty"
    repo.mkdir()
    _git(repo, "init", "-q")
    assert main(["no-such-ref", "HEAD", "--repo", str(repo)]) == 2
    error = capsys.readouterr().err
    assert "no-such-ref:contracts/openapi/common.yaml" in error
    assert "neither a folder nor readable with git show" in error


def test_an_added_requirement_does_not_hide_an_edit_of_another(
    snapshot_of: Callable[[Contract], Snapshot],
) -> None:
    old = base_contract()
    new = copy.deepcopy(old)
    requirements = new["requirements.yaml"]["requirements"]
    requirements.insert(
        0, {"id": "R-ZERO", "level": "MAY", "profiles": ["core"], "text": "Zero.", "applies_to": {}}
    )
    requirements[1]["applies_to"] = {"operations": ["getThing"]}  # R-ONE, now at index 1
    assert listed(diff(snapshot_of(old), snapshot_of(new))) == [
        "compatible requirement-added requirements.yaml#/requirements/0",
        "informational other-change requirements.yaml#/requirements/1/applies_to/operations",
    ]
