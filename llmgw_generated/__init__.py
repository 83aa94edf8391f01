"""Code generated from contracts/openapi by `make generate` (tools/codegen.py). Do not edit.

control_client/ and data_client/: openapi-python-client clients; models/: pydantic v2 models.
"""
