"""Code generated from contracts/openapi by `make generate` (tools/codegen.py). Do not edit.

control_client/ and data_client/: openapi-python-client clients; models/: pydantic v2 models.
"""

#: The contract version (info.version of contracts/openapi) this package was generated from.
CONTRACT_VERSION = "1.2.0"
