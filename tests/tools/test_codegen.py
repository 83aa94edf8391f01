"""make generate / make check-generated (tools/codegen.py), on copies of the fixture contracts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools.codegen import cmd_check, cmd_generate, compare_trees, list_files
from tools.specs import REPO_ROOT


def _snapshot(root: Path) -> dict[str, bytes]:
    return {name: (root / name).read_bytes() for name in sorted(list_files(root))}


def test_layout(generated_repo: Path) -> None:
    files = list_files(generated_repo / "llmgw_generated")
    for expected in (
        "__init__.py",
        "py.typed",
        "control_client/__init__.py",
        "control_client/client.py",
        "control_client/api/discovery/get_capabilities.py",
        "control_client/models/capabilities.py",
        "data_client/__init__.py",
        "data_client/api/tasks/create_task.py",
        "data_client/models/task_request.py",
        "models/__init__.py",
        "models/common.py",
        "models/control.py",
        "models/data.py",
    ):
        assert expected in files
    # Shared schemas land once among the pydantic models, and in each client (bundled copies).
    models = {
        name: (generated_repo / "llmgw_generated" / "models" / name).read_text()
        for name in ("common.py", "data.py")
    }
    assert "class ErrorEnvelope(BaseModel)" in models["common.py"]
    assert "class ErrorEnvelope" not in models["data.py"]
    assert "from . import common" in models["data.py"]
    assert "control_client/models/error_envelope.py" in files
    assert "data_client/models/error_envelope.py" in files
    # No tool caches and no trace of the temporary folders in the output.
    assert not any(".ruff_cache" in name or "__pycache__" in name for name in files)
    for name in files:
        text = (generated_repo / "llmgw_generated" / name).read_text()
        assert "/tmp" not in text and "codegen-" not in text, name


def test_generated_code_imports_and_works(generated_repo: Path) -> None:
    """Import the generated tree in a fresh interpreter (not this one: `llmgw_generated` is taken here)."""
    script = (
        "from llmgw_generated.models import common, data\n"
        "from llmgw_generated.data_client.models import TaskRequest, Engine\n"
        "from llmgw_generated.data_client import Client\n"
        "import llmgw_generated\n"
        f"assert llmgw_generated.__file__.startswith({str(generated_repo)!r}), llmgw_generated.__file__\n"
        "req = data.TaskRequest.model_validate({'task_id': '6f1c1c4e-0000-4000-8000-000000000000',"
        " 'engine': 'vllm', 'max_tokens': 3})\n"
        "assert req.engine is common.Engine.vllm\n"
        "assert TaskRequest.from_dict(req.model_dump(mode='json', exclude_none=True)).engine is Engine.VLLM\n"
        "print('ok')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(generated_repo)}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=generated_repo, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_generation_is_byte_identical(generated_repo: Path, repo_copy: Path) -> None:
    assert cmd_generate(repo_copy) == 0
    assert compare_trees(generated_repo / "llmgw_generated", repo_copy / "llmgw_generated") == []
    assert _snapshot(generated_repo / "llmgw_generated") == _snapshot(repo_copy / "llmgw_generated")


def test_check_passes_on_clean_tree(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cmd_check(repo_copy) == 0
    assert "matches" in capsys.readouterr().out


def test_check_ignores_caches(repo_copy: Path) -> None:
    cache = repo_copy / "llmgw_generated" / "models" / "__pycache__"
    cache.mkdir()
    (cache / "common.cpython-311.pyc").write_bytes(b"\0")
    assert cmd_check(repo_copy) == 0


def test_check_fails_on_hand_edited_file(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edited = repo_copy / "llmgw_generated" / "models" / "common.py"
    edited.write_text(edited.read_text().replace("vllm", "vllm2"))
    assert cmd_check(repo_copy) == 1
    out = capsys.readouterr().out
    assert "stale: models/common.py" in out
    assert "vllm2" in out  # the short diff shows what changed


def test_check_names_missing_and_extra_files(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo_copy / "llmgw_generated" / "data_client" / "models" / "priority.py").unlink()
    (repo_copy / "llmgw_generated" / "control_client" / "handwritten.py").write_text("x = 1\n")
    assert cmd_check(repo_copy) == 1
    out = capsys.readouterr().out
    assert "missing: data_client/models/priority.py" in out
    assert "extra: control_client/handwritten.py" in out


def test_check_fails_when_generated_is_absent(
    contracts_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = contracts_dir.parent
    assert cmd_check(root) == 1
    assert "missing: models/common.py" in capsys.readouterr().out


def test_check_fails_when_a_contract_changed(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    common = repo_copy / "contracts" / "openapi" / "common.yaml"
    common.write_text(
        common.read_text().replace("enum: [llamacpp, vllm, tgi, triton]", "enum: [llamacpp, vllm]")
    )
    assert cmd_check(repo_copy) == 1
    out = capsys.readouterr().out
    assert "stale: models/common.py" in out
    assert "stale: control_client/models/engine.py" in out


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "common.yaml",
            "      required: [code, message]\n",
            "      required: 7\n",
            "contracts/openapi/common.yaml#/components/schemas/ErrorEnvelope/required: "
            "7 is not of type 'array'",
        ),
        (
            "data.yaml",
            "$ref: '#/components/schemas/Priority'",
            "$ref: '#/components/schemas/Nope'",
            "contracts/openapi/data.yaml#/components/schemas/TaskRequest/properties/priority/$ref: "
            "'#/components/schemas/Nope' does not resolve",
        ),
        (
            "control.yaml",
            "paths:\n",
            "paths: [\n",
            "contracts/openapi/control.yaml:",
        ),
    ],
    ids=["schema-error", "dangling-ref", "yaml-syntax"],
)
def test_invalid_contract_leaves_generated_untouched(
    repo_copy: Path, file: str, old: str, new: str, expected: str
) -> None:
    before = _snapshot(repo_copy / "llmgw_generated")
    spec = repo_copy / "contracts" / "openapi" / file
    assert old in spec.read_text()
    spec.write_text(spec.read_text().replace(old, new, 1))

    # Through the command line, as `make generate` runs it.
    result = subprocess.run(
        [sys.executable, "-m", "tools.codegen", "generate", "--root", str(repo_copy)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert expected in result.stderr
    assert "left untouched" in result.stderr
    assert _snapshot(repo_copy / "llmgw_generated") == before
    assert sorted(p.name for p in repo_copy.iterdir()) == ["contracts", "llmgw_generated"]


def test_generator_warning_fails_and_leaves_generated_untouched(
    repo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """openapi-python-client runs with --fail-on-warning: a construct it cannot handle is an error."""
    before = _snapshot(repo_copy / "llmgw_generated")
    common = repo_copy / "contracts" / "openapi" / "common.yaml"
    # Valid OpenAPI, but both names become the Python class FooBar: openapi-python-client drops one
    # with a warning.
    extra = (
        "    FooBar:\n      type: object\n      description: One.\n"
        "    Foo_Bar:\n      type: object\n      description: Two.\n"
    )
    common.write_text(common.read_text().replace("  schemas:\n", "  schemas:\n" + extra, 1))
    assert cmd_generate(repo_copy) == 1
    err = capsys.readouterr().err
    assert "openapi-python-client" in err
    assert "left untouched" in err
    assert _snapshot(repo_copy / "llmgw_generated") == before


def test_generate_creates_generated_when_absent(contracts_dir: Path, generated_repo: Path) -> None:
    root = contracts_dir.parent
    assert not (root / "llmgw_generated").exists()
    assert cmd_generate(root) == 0
    assert compare_trees(generated_repo / "llmgw_generated", root / "llmgw_generated") == []
    leftovers = [p.name for p in root.iterdir() if p.name.startswith(".generated")]
    assert leftovers == []


def test_fixture_contracts_are_what_the_tests_assume() -> None:
    """The fixture set mirrors the real one: three files, cross-file refs into common.yaml."""
    fixture = Path(__file__).resolve().parent.parent / "fixtures" / "contracts" / "openapi"
    assert sorted(p.name for p in fixture.iterdir()) == ["common.yaml", "control.yaml", "data.yaml"]
    assert "common.yaml#/components/schemas/" in (fixture / "control.yaml").read_text()
    assert shutil.which("ruff", path=str(Path(sys.executable).parent)) is not None
