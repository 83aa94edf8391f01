"""The contract as the tools see it: the shared loader's pieces, plus where this checkout keeps things.

The documents, JSON pointers and ``$ref`` following live in :mod:`llmgw_contracts` (the suite and the
reference use them too, also when installed from a wheel); this module re-exports them for the
tools, which run from a checkout only, and adds the checkout's own folders (``build/``, the
generated code) relative to the repository root.
"""

from __future__ import annotations

from pathlib import Path

from llmgw_contracts import (
    CLIENT_SPECS,
    REQUIREMENTS_FILE,
    SHARED_SPEC,
    SPEC_FILES,
    ContractError,
    Location,
    SpecSet,
    contracts_dir,
    from_pointer,
    read_yaml,
    split_ref,
    to_pointer,
    walk,
)

#: The checkout (the tools are not installed with the package: they write into the repository).
REPO_ROOT = Path(__file__).resolve().parent.parent
CONTRACTS_DIR = contracts_dir()
OPENAPI_DIR = CONTRACTS_DIR / "openapi"
REQUIREMENTS_PATH = CONTRACTS_DIR / REQUIREMENTS_FILE
ALL_SPECS = SPEC_FILES
#: Parse one YAML file (the shared, cached parser); a syntax error names the file and line.
load_yaml_file = read_yaml

__all__ = [
    "ALL_SPECS",
    "CLIENT_SPECS",
    "CONTRACTS_DIR",
    "OPENAPI_DIR",
    "REPO_ROOT",
    "REQUIREMENTS_PATH",
    "SHARED_SPEC",
    "ContractError",
    "Location",
    "SpecSet",
    "from_pointer",
    "load_yaml_file",
    "split_ref",
    "to_pointer",
    "walk",
]
