"""Generate ``llmgw_generated/`` from the contracts, or check that it is up to date.

Usage::

    python -m tools.codegen generate [--root DIR]   # make generate
    python -m tools.codegen check [--root DIR]      # make check-generated

``--root`` is the repository root (default: this checkout); the contracts are read from
``ROOT/contracts/openapi`` and the output is ``ROOT/generated``.

Layout of ``llmgw_generated/``:

* ``__init__.py``, ``py.typed``: the package marker (``py.typed`` covers every subpackage);
* ``control_client/``, ``data_client/``: openapi-python-client clients (sync and async functions,
  attrs models, httpx) for ``control.yaml`` and ``data.yaml``.  openapi-python-client cannot follow
  references into ``common.yaml``, so each client is generated from a bundle (see
  :mod:`tools.bundle`); the shared schemas therefore appear in both clients;
* ``models/``: pydantic v2 models from datamodel-code-generator with the contracts folder as input,
  one module per contract file (``common.py``, ``control.py``, ``data.py``), the shared schemas
  once, in ``common.py``.

Everything is generated into a temporary folder first.  ``generate`` swaps it into place only when
every step succeeded: an invalid contract, or a generator warning, leaves ``llmgw_generated/`` as it was
and prints the problems (for an invalid contract: the file and JSON pointer of each).
The output is byte-for-byte reproducible: no timestamps, pinned generator and formatter versions,
formatter settings from ``tools/codegen_ruff.toml`` instead of whatever config is around.
"""

from __future__ import annotations

import argparse
import difflib
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from llmgw_contracts.bundle import write_bundle
from tools.specs import ALL_SPECS, CLIENT_SPECS, REPO_ROOT, ContractError, SpecSet
from tools.validate import validate_files

TOOLS_DIR = Path(__file__).resolve().parent
CLIENT_CONFIGS = {
    "control.yaml": ("control_client", TOOLS_DIR / "openapi_client_control.yaml"),
    "data.yaml": ("data_client", TOOLS_DIR / "openapi_client_data.yaml"),
}
RUFF_CONFIG = TOOLS_DIR / "codegen_ruff.toml"

# datamodel-code-generator options: ours, from the project notes.  The formatters are named so the
# default (black + isort, announced to change) cannot change the output under us.
DATAMODEL_CODEGEN_ARGS = (
    "--input-file-type=openapi",
    "--output-model-type=pydantic_v2.BaseModel",
    "--target-python-version=3.11",
    "--use-annotated",
    "--field-constraints",
    "--use-union-operator",
    "--use-standard-collections",
    "--disable-timestamp",
    "--formatters",
    "ruff-check",
    "ruff-format",
)

# The package records the contract version it was generated from (info.version, the same in every
# contract file: `make contract-gate` checks that), so a client and the SDK can say what they speak.
PACKAGE_INIT = '''"""Code generated from contracts/openapi by `make generate` (tools/codegen.py). Do not edit.

control_client/ and data_client/: openapi-python-client clients; models/: pydantic v2 models.
"""

#: The contract version (info.version of contracts/openapi) this package was generated from.
CONTRACT_VERSION = "{version}"
'''

# Files that appear when generated code is imported or checked; never part of the comparison.
IGNORED_PARTS = {"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}


class GenerationError(Exception):
    """A generator failed or warned; the message holds its output."""


def _tool_env() -> dict[str, str]:
    env = dict(os.environ)
    bin_dir = str(Path(sys.executable).parent)
    # The openapi-python-client post hooks call `ruff` by name: it must be the pinned one.
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    env["RUFF_NO_CACHE"] = "true"
    env["PYTHONHASHSEED"] = "0"
    return env


def _run(step: str, command: Sequence[str], cwd: Path) -> None:
    result = subprocess.run(
        list(command), cwd=cwd, env=_tool_env(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip()
        raise GenerationError(f"{step} failed (exit {result.returncode}):\n{output}")


def generate_tree(openapi_dir: Path, dest: Path) -> None:
    """Generate the whole ``llmgw_generated/`` package into ``dest`` (which must not exist yet)."""
    problems = validate_files(openapi_dir, list(ALL_SPECS), version="3.1")
    if problems:
        raise ContractError(problems)
    specs = SpecSet(openapi_dir)

    with tempfile.TemporaryDirectory(prefix="codegen-") as tmp:
        work = Path(tmp)
        shutil.copyfile(RUFF_CONFIG, work / "ruff.toml")
        out = work / "llmgw_generated"
        out.mkdir()
        (out / "__init__.py").write_text(
            PACKAGE_INIT.format(version=contract_version(specs)), encoding="utf-8"
        )
        (out / "py.typed").write_text("", encoding="utf-8")

        for spec in CLIENT_SPECS:
            package, config = CLIENT_CONFIGS[spec]
            bundled = write_bundle(specs, spec, work / "bundled")
            _run(
                f"openapi-python-client ({spec})",
                [
                    sys.executable,
                    "-m",
                    "openapi_python_client",
                    "generate",
                    f"--path={bundled}",
                    "--meta=none",
                    f"--config={config}",
                    f"--output-path={out / package}",
                    # Any warning (a schema or response it could not handle and left out) fails.
                    "--fail-on-warning",
                ],
                cwd=work,
            )

        # Copy only the contract files: datamodel-codegen reads every file of its input folder.
        # The folder is named like the real one because its name appears in models/__init__.py.
        model_input = work / "input" / "openapi"
        model_input.mkdir(parents=True)
        for spec in ALL_SPECS:
            shutil.copyfile(openapi_dir / spec, model_input / spec)
        _run(
            "datamodel-codegen",
            [
                sys.executable,
                "-m",
                "datamodel_code_generator",
                f"--input={model_input}",
                f"--output={out / 'models'}",
                *DATAMODEL_CODEGEN_ARGS,
            ],
            cwd=work,
        )

        for junk in sorted(out.rglob("*")):
            if junk.is_dir() and junk.name in IGNORED_PARTS:
                shutil.rmtree(junk, ignore_errors=True)
        shutil.copytree(out, dest)


def contract_version(specs: SpecSet) -> str:
    """``info.version`` of ``data.yaml`` (the version files agree: ``make contract-gate`` checks it)."""
    version = (specs.doc("data.yaml").get("info") or {}).get("version")
    if not isinstance(version, str) or not version:
        raise ContractError(["data.yaml#/info/version: missing; the generated package records it"])
    return version


def list_files(root: Path) -> set[str]:
    if not root.is_dir():
        return set()
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and not IGNORED_PARTS.intersection(p.relative_to(root).parts) and p.suffix != ".pyc"
    }


def compare_trees(expected: Path, actual: Path) -> list[str]:
    """One line per file that differs: ``stale``, ``missing`` (should exist), ``extra`` (should not)."""
    want, have = list_files(expected), list_files(actual)
    lines = [f"missing: {name}" for name in sorted(want - have)]
    lines += [f"extra: {name}" for name in sorted(have - want)]
    for name in sorted(want & have):
        if not filecmp.cmp(expected / name, actual / name, shallow=False):
            lines.append(f"stale: {name}")
    return lines


def _short_diff(expected: Path, actual: Path, label: str, limit: int = 20) -> list[str]:
    try:
        old = actual.read_text(encoding="utf-8").splitlines()
        new = expected.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        return []
    diff = list(
        difflib.unified_diff(old, new, f"{label} (committed)", f"{label} (from contracts)", lineterm="")
    )
    return diff[:limit] + ([f"... ({len(diff) - limit} more diff lines)"] if len(diff) > limit else [])


def _report_contract_error(exc: ContractError, openapi_dir: Path, root: Path) -> None:
    prefix = _display(openapi_dir, root)
    for problem in exc.problems:
        print(f"{prefix}/{problem}", file=sys.stderr)


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _generated(openapi_dir: Path, into: Path, root: Path, invalid: str, failed: str) -> bool:
    """Generate the client into ``into``; False, having printed ``invalid`` and the contract's problems
    (or ``failed`` and the generator's error), when the contracts or the generator fail."""
    try:
        generate_tree(openapi_dir, into)
    except ContractError as exc:
        print(invalid, file=sys.stderr)
        _report_contract_error(exc, openapi_dir, root)
        return False
    except GenerationError as exc:
        print(f"{failed}{exc}", file=sys.stderr)
        return False
    return True


def cmd_generate(root: Path) -> int:
    openapi_dir, target = root / "contracts" / "openapi", root / "llmgw_generated"
    started = time.monotonic()
    staging = root / f".generated.new-{os.getpid()}"
    old = root / f".generated.old-{os.getpid()}"
    untouched = "llmgw_generated/ was left untouched"
    try:
        if not _generated(
            openapi_dir,
            staging,
            root,
            f"generate: the contracts are invalid; {untouched}.",
            f"generate: {untouched}.\n",
        ):
            return 1
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        if target.exists():
            target.rename(old)
        staging.rename(target)
    finally:
        shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(staging, ignore_errors=True)
    print(f"generate: wrote {_display(target, root)}/ in {time.monotonic() - started:.1f} s")
    return 0


def cmd_check(root: Path) -> int:
    openapi_dir, target = root / "contracts" / "openapi", root / "llmgw_generated"
    with tempfile.TemporaryDirectory(prefix="check-generated-") as tmp:
        fresh = Path(tmp) / "llmgw_generated"
        if not _generated(
            openapi_dir, fresh, root, "check-generated: the contracts are invalid:", "check-generated: "
        ):
            return 1
        differences = compare_trees(fresh, target)
        if not differences:
            print("check-generated: llmgw_generated/ matches the contracts")
            return 0
        print("check-generated: llmgw_generated/ is out of date with the contracts; run `make generate`:")
        for line in differences:
            print(f"  {line}")
            kind, _, name = line.partition(": ")
            if kind == "stale":
                for diff_line in _short_diff(fresh / name, target / name, f"llmgw_generated/{name}"):
                    print(f"    {diff_line}")
        return 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.codegen", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["generate", "check"])
    parser.add_argument(
        "--root", type=Path, default=REPO_ROOT, help="repository root (default: this checkout)"
    )
    args = parser.parse_args(argv)
    root: Path = args.root
    return cmd_generate(root) if args.command == "generate" else cmd_check(root)


if __name__ == "__main__":
    sys.exit(main())
