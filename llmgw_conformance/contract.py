"""The contract as the suite reads it: three OpenAPI 3.1 specs and the requirement catalogue.

Why the suite loads the YAML itself instead of using the generated models: a check judges what a
target *sent*, which may be anything, so it needs the schemas as JSON Schema (to list every
violation with its path), the vendor extensions the generators ignore (``x-stream-grammars``,
``x-error-policy``, ``x-required-scope``, ``x-profiles``) and the catalogue's sentences for the
report. OpenAPI 3.1 schemas are JSON Schema 2020-12, so instances are validated with jsonschema's
Draft 2020-12 validator; the three files refer to each other (``common.yaml#/components/...``) and
a :mod:`referencing` registry resolves those references in place, with no bundling step.

The contract hash (sha256 over the four files' bytes, in a fixed order) goes into every report so
that a verdict names the exact contract it was given against.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from llmgw_contracts import (
    OPENAPI_FOLDER,
    REQUIREMENTS_FILE,
    SPEC_FILES,
    ContractError,
    ContractFiles,
    SpecSet,
    contracts_dir,
)
from llmgw_contracts.bundle import bundle

#: The shipped contract's folder (package data of llmgw_contracts, or the checkout's contracts/).
DEFAULT_CONTRACTS_DIR = contracts_dir()
CATALOGUE_FILE = REQUIREMENTS_FILE
#: Base URI the spec files are registered under; relative refs between them resolve against it.
_BASE_URI = "https://contract.llm-gateway.invalid/openapi/"
_HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


class ContractLoadError(Exception):
    """The contract files are missing or unreadable; says which file and why."""


@dataclass(frozen=True)
class Requirement:
    """One entry of the catalogue."""

    id: str
    level: str
    text: str
    profiles: tuple[str, ...]
    applies_to: Mapping[str, Any]
    needs: tuple[str, ...]


def _read_file(files: ContractFiles, relative: str) -> tuple[dict[str, Any], bytes]:
    """One file's parsed mapping and its bytes, read through the shared loader."""
    try:
        return files.mapping(relative), files.raw(relative)
    except ContractError as exc:
        raise ContractLoadError(f"cannot load {files.path(relative)}: {exc}") from exc


class LoadedContract:
    """The specs, catalogue, grammars and error policy (implements ``context.Contract``)."""

    def __init__(self, contracts_dir: Path | None = None) -> None:
        self.directory = Path(contracts_dir) if contracts_dir is not None else DEFAULT_CONTRACTS_DIR
        files = ContractFiles(self.directory)
        digest = hashlib.sha256()
        self.specs: dict[str, dict[str, Any]] = {}
        for name in SPEC_FILES:
            self.specs[name], data = _read_file(files, f"{OPENAPI_FOLDER}/{name}")
            digest.update(name.encode() + b"\0" + data + b"\0")
        self.catalogue, data = _read_file(files, CATALOGUE_FILE)
        digest.update(CATALOGUE_FILE.encode() + b"\0" + data)
        #: ``sha256:<hex>`` over the three specs and the catalogue.
        self.hash = "sha256:" + digest.hexdigest()
        self.version = str(self.catalogue.get("contract_version", ""))

        self.requirement_list: tuple[Requirement, ...] = tuple(
            Requirement(
                id=r["id"],
                level=r["level"],
                text=r["text"],
                profiles=tuple(r.get("profiles", ())),
                applies_to=r.get("applies_to", {}),
                needs=tuple(r.get("needs", ())),
            )
            for r in self.catalogue.get("requirements", [])
        )
        #: Requirement id -> its catalogue entry (id, level, text, profiles, applies_to, needs).
        self.requirements: dict[str, dict[str, Any]] = {
            r["id"]: dict(r) for r in self.catalogue.get("requirements", [])
        }
        #: Profile name -> {description, default, state_changing, load}.
        self.profiles: dict[str, dict[str, Any]] = dict(self.catalogue.get("profiles", {}))
        self.grammars: dict[str, dict[str, Any]] = dict(self.specs["data.yaml"].get("x-stream-grammars", {}))
        error_kind = self.specs["common.yaml"]["components"]["schemas"]["ErrorKind"]
        self.error_policy: dict[str, dict[str, Any]] = dict(error_kind.get("x-error-policy", {}))
        self.error_reasons: dict[str, dict[str, Any]] = dict(error_kind.get("x-error-reasons", {}))
        self._registry: Registry[Any] = Registry().with_resources(
            (_BASE_URI + name, DRAFT202012.create_resource(spec)) for name, spec in self.specs.items()
        )
        self._operations = {op["operationId"]: op for op in self._walk_operations()}

    # -- operations ---------------------------------------------------------------------------

    def _walk_operations(self) -> Iterator[dict[str, Any]]:
        for spec_name in ("control.yaml", "data.yaml"):
            for path, item in (self.specs[spec_name].get("paths") or {}).items():
                for method in _HTTP_METHODS:
                    op = item.get(method)
                    if isinstance(op, dict) and "operationId" in op:
                        yield {
                            **op,
                            "method": method.upper(),
                            "path": path,
                            "spec": spec_name,
                            "path_parameters": item.get("parameters", []),
                        }

    def operation(self, operation_id: str) -> Mapping[str, Any]:
        """The operation object with ``method``, ``path``, ``spec`` (and ``path_parameters``) added."""
        try:
            return self._operations[operation_id]
        except KeyError:
            raise KeyError(f"no operation {operation_id!r} in the contract") from None

    def operations(self) -> list[Mapping[str, Any]]:
        """Every operation of both specs, in file order."""
        return list(self._operations.values())

    def operations_for_profile(self, profile: str) -> list[Mapping[str, Any]]:
        """The operations whose ``x-profiles`` name ``profile``."""
        return [op for op in self._operations.values() if profile in op.get("x-profiles", ())]

    def required_scope(self, operation_id: str) -> str | None:
        """``x-required-scope`` of the operation (None for health and readiness)."""
        scope = self.operation(operation_id).get("x-required-scope")
        return str(scope) if scope else None

    # -- requirements -------------------------------------------------------------------------

    def requirements_for_profile(self, profile: str) -> list[Requirement]:
        return [r for r in self.requirement_list if profile in r.profiles]

    # -- schemas ------------------------------------------------------------------------------

    def schema_spec(self, schema_name: str) -> str:
        """The spec file whose ``components/schemas`` defines ``schema_name`` (common first)."""
        for spec_name in SPEC_FILES:
            if schema_name in (self.specs[spec_name].get("components") or {}).get("schemas", {}):
                return spec_name
        raise KeyError(f"no schema {schema_name!r} in {', '.join(SPEC_FILES)}")

    @functools.lru_cache(maxsize=256)  # noqa: B019  (one contract per run; the cache dies with it)
    def _validator(self, schema_name: str) -> Draft202012Validator:
        # "spec.yaml:Name" picks the spec explicitly; plain "Name" searches common, control, data.
        spec_name, _, name = schema_name.rpartition(":")
        spec_name = spec_name or self.schema_spec(name)
        if name not in (self.specs[spec_name].get("components") or {}).get("schemas", {}):
            raise KeyError(f"no schema {name!r} in {spec_name}")
        ref = {"$ref": f"{_BASE_URI}{spec_name}#/components/schemas/{name}"}
        return Draft202012Validator(ref, registry=self._registry)

    def schema_errors(self, schema_name: str, instance: Any) -> list[str]:
        """Every violation of ``instance`` against the named component, as ``path: message`` lines.

        ``schema_name`` is a component name (``ChatCompletionChunk``) or ``spec.yaml:Name``; an
        unknown name raises KeyError (a bug in the check, not in the target).
        """
        validator = self._validator(schema_name)
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
        out = []
        for err in errors:
            where = "/".join(str(p) for p in err.absolute_path) or "(root)"
            message = err.message if len(err.message) <= 300 else err.message[:300] + "..."
            out.append(f"{where}: {message}")
        return out

    def is_valid(self, schema_name: str, instance: Any) -> bool:
        return bool(self._validator(schema_name).is_valid(instance))

    def bundled_spec(self, spec_name: str) -> dict[str, Any]:
        """``control.yaml`` or ``data.yaml`` with the refs to common.yaml made local (for schemathesis)."""
        return bundle(SpecSet(self.directory / OPENAPI_FOLDER), spec_name)


@functools.lru_cache(maxsize=4)
def load_contract(contracts_dir: Path | None = None) -> LoadedContract:
    """The contract of ``contracts_dir`` (default: the shipped one), loaded once per process."""
    return LoadedContract(contracts_dir)
