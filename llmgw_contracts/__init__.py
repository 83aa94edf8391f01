"""The contract files (OpenAPI documents, requirement catalogue, report schema) and their one loader.

The suite, the reference and the tools all read the contract through this package, so it works the
same from a checkout and from an installed wheel (see :mod:`llmgw_contracts.files`).
"""

from llmgw_contracts.documents import Location, SpecSet, from_pointer, split_ref, to_pointer, walk
from llmgw_contracts.files import (
    CLIENT_SPECS,
    OPENAPI_FOLDER,
    REPORT_SCHEMA_FILE,
    REQUIREMENTS_FILE,
    SHARED_SPEC,
    SPEC_FILES,
    ContractError,
    ContractFiles,
    contract_files,
    contracts_dir,
    openapi_dir,
    read_yaml,
)

__all__ = [
    "CLIENT_SPECS",
    "OPENAPI_FOLDER",
    "REPORT_SCHEMA_FILE",
    "REQUIREMENTS_FILE",
    "SHARED_SPEC",
    "SPEC_FILES",
    "ContractError",
    "ContractFiles",
    "Location",
    "SpecSet",
    "contract_files",
    "contracts_dir",
    "from_pointer",
    "openapi_dir",
    "read_yaml",
    "split_ref",
    "to_pointer",
    "walk",
]
