"""Where the contract files are, and each one read and parsed once.

Why one loader: the suite, the reference and the tools all read the same few YAML files (three
OpenAPI documents, the requirement catalogue, the report schema). Each used to find them relative to
its own source file, which breaks as soon as the code is installed from a wheel; here one module
knows where they are, parses each once and hands out the parsed document.

Where they are: the files live in ``contracts/`` at the top of the repository. A wheel carries them
as package data inside this package (``llmgw_contracts/data/``, mapped in by ``setup.py``), found
with :mod:`importlib.resources`; in a checkout (editable install, or ``pytest`` with the repository
root on the path) that folder does not exist and the checkout's ``contracts/`` is used.

The parsed documents are shared by every caller: read them, never change them (``copy.deepcopy``
first, as the bundler and the 3.2 converter do). The cache is keyed by the file's bytes, so a file
edited on disk (a test's copy, a contract under development) is parsed again, never served stale.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Final

import yaml

#: The shared definitions, and the two documents a client is generated from (each may refer to it).
SHARED_SPEC: Final = "common.yaml"
CLIENT_SPECS: Final = ("control.yaml", "data.yaml")
SPEC_FILES: Final = (SHARED_SPEC, *CLIENT_SPECS)
OPENAPI_FOLDER: Final = "openapi"
REQUIREMENTS_FILE: Final = "requirements.yaml"
REPORT_SCHEMA_FILE: Final = "report.schema.yaml"


class ContractError(Exception):
    """A contract cannot be used; ``problems`` lists one ``file#pointer: message`` line each."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def contracts_dir() -> Path:
    """The folder holding ``openapi/``, ``requirements.yaml`` and ``report.schema.yaml``."""
    return _contracts_dir()


@functools.cache
def _contracts_dir() -> Path:
    packaged = resources.files(__package__ or "llmgw_contracts").joinpath("data")
    if packaged.is_dir():
        # An installed package lies on disk (zip imports are not supported: the tools that take
        # the files by path, schemathesis and the code generators, need real files).
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parent.parent / "contracts"
    if not (checkout / REQUIREMENTS_FILE).is_file():
        raise ContractError(
            [f"contract files not found: looked in {packaged} (installed) and {checkout} (checkout)"]
        )
    return checkout


def openapi_dir() -> Path:
    """The folder of the three OpenAPI documents."""
    return contracts_dir() / OPENAPI_FOLDER


def read_yaml(path: Path, display: str | None = None) -> Any:
    """Parse one YAML file, once per content; an error names the file (and line) as ``display``.

    Every YAML file of the contract goes through here, whoever reads it.
    """
    name = display or path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ContractError([f"{name}: cannot read: {exc.strerror or exc}"]) from exc
    return _parse(data, name)


#: libyaml's safe loader when PyYAML was built with it (PyPI's wheels are): the same documents about six
#: times faster than the pure-Python one, which every process of the suite and reference used to pay
#: (about 1.5 s of CPU for the contract at each start, a large part of each kill-matrix row).
_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.lru_cache(maxsize=64)
def _parse(data: bytes, name: str) -> Any:
    try:
        return yaml.load(data.decode("utf-8"), Loader=_SAFE_LOADER)
    except UnicodeDecodeError as exc:
        raise ContractError([f"{name}: not UTF-8 text: {exc.reason}"]) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark is not None else name
        raise ContractError([f"{where}: YAML syntax error: {exc.problem}"]) from exc
    except yaml.YAMLError as exc:
        raise ContractError([f"{name}: YAML error: {exc}"]) from exc


class ContractFiles:
    """The contract files of one folder (default: the installed or checked-out contract).

    Paths given to the accessors are relative to the folder: ``openapi/data.yaml``,
    ``requirements.yaml``.
    """

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = Path(directory) if directory is not None else contracts_dir()
        self.openapi_dir = self.directory / OPENAPI_FOLDER

    def path(self, relative: str) -> Path:
        return self.directory / relative

    def raw(self, relative: str) -> bytes:
        """The file's bytes (for hashing the exact contract a verdict was given against)."""
        try:
            return self.path(relative).read_bytes()
        except OSError as exc:
            raise ContractError([f"{relative}: cannot read: {exc.strerror or exc}"]) from exc

    def document(self, relative: str) -> Any:
        """The parsed file (shared: do not change it)."""
        return read_yaml(self.path(relative), relative)

    def mapping(self, relative: str) -> dict[str, Any]:
        """The parsed file, which must be a mapping (every contract file is one)."""
        document = self.document(relative)
        if not isinstance(document, dict):
            raise ContractError([f"{relative}: expected a mapping at the top, got {type(document).__name__}"])
        return document

    def spec(self, name: str) -> dict[str, Any]:
        """One OpenAPI document by file name: ``common.yaml``, ``control.yaml`` or ``data.yaml``."""
        return self.mapping(f"{OPENAPI_FOLDER}/{name}")

    def requirements(self) -> dict[str, Any]:
        """The requirement catalogue (``contract_version``, ``profiles``, ``requirements``)."""
        return self.mapping(REQUIREMENTS_FILE)

    def report_schema(self) -> dict[str, Any]:
        """The JSON Schema of the suite's ``report.json``."""
        return self.mapping(REPORT_SCHEMA_FILE)


@functools.cache
def contract_files(directory: Path | None = None) -> ContractFiles:
    """The :class:`ContractFiles` of ``directory`` (default: the shipped contract), one per folder."""
    return ContractFiles(directory)
