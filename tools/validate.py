"""Run openapi-spec-validator on contract files and report each problem as ``file#pointer: message``.

openapi-spec-validator follows cross-file ``$ref`` values itself (given the file's URI as base), but
the errors from its keyword validators carry a path relative to the schema being checked and no
hint of where that schema is.  We wrap each keyword validator so the error remembers the logical
path of the node being checked, then map that path (which may pass through ``$ref`` nodes, possibly
into another file) to the place the offending text is written, with :meth:`SpecSet.physical`.
The same problem reached through several references is reported once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from jsonschema_path import SchemaPath
from openapi_spec_validator.validation import OpenAPIV31SpecValidator, OpenAPIV32SpecValidator
from openapi_spec_validator.validation.keywords import KeywordValidator, MediaTypeValidator, SchemaValidator
from openapi_spec_validator.validation.validators import SpecValidator

from tools.specs import ContractError, Location, SpecSet, walk

# The errors are jsonschema ValidationErrors; jsonschema ships no type information (and the stubs
# are not a dependency), so they are typed Any here.

_LOCATION_ATTR = "_contract_location"


def _remember_location(cls: type[KeywordValidator]) -> type[KeywordValidator]:
    """Subclass a keyword validator so that its errors carry the path of the node it checked."""
    original: Callable[..., Iterator[Any]] = cls.__call__

    def __call__(self: KeywordValidator, *args: Any, **kwargs: Any) -> Iterator[Any]:
        checked = [a for a in args if isinstance(a, SchemaPath)]
        for error in original(self, *args, **kwargs):
            if checked and not hasattr(error, _LOCATION_ATTR):
                setattr(error, _LOCATION_ATTR, tuple(checked[-1].parts))
            yield error

    return type(cls.__name__, (cls,), {"__call__": __call__})


class _ItemSchemaMediaTypeValidator(MediaTypeValidator):
    """OAS 3.2 media type: also check ``itemSchema`` (the stock validator only checks ``schema``)."""

    def __call__(self, mimetype: str, media_type: SchemaPath) -> Iterator[Any]:
        yield from super().__call__(mimetype, media_type)
        if "itemSchema" in media_type:
            validator = self.registry["schema"]
            assert isinstance(validator, SchemaValidator)
            yield from validator(media_type / "itemSchema")


def _located(
    base: type[SpecValidator], overrides: Mapping[str, type[KeywordValidator]]
) -> type[SpecValidator]:
    keywords = {**base.keyword_validators, **overrides}
    wrapped = {name: _remember_location(cls) for name, cls in keywords.items()}
    return type(f"Located{base.__name__}", (base,), {"keyword_validators": wrapped})


LocatedV31Validator = _located(OpenAPIV31SpecValidator, {})
LocatedV32Validator = _located(OpenAPIV32SpecValidator, {"mediaType": _ItemSchemaMediaTypeValidator})


def validate_files(directory: Path, files: list[str], *, version: str = "3.1") -> list[str]:
    """Validate each file (its cross-file references resolved); return sorted, de-duplicated problems.

    ``version`` picks the validator: "3.1" for the contracts, "3.2" for the converted copies.  A
    file that declares a different ``openapi`` version than the one asked for is itself a problem.
    """
    specs = SpecSet(directory)
    cls = LocatedV31Validator if version == "3.1" else LocatedV32Validator
    problems = set(dangling_refs(specs, files))
    if problems:
        # openapi-spec-validator stops at the first reference it cannot resolve, with a traceback.
        return sorted(problems)
    for file in files:
        document = specs.doc(file)
        declared = str(document.get("openapi", "")) if isinstance(document, dict) else ""
        if not declared.startswith(version + "."):
            problems.add(f"{file}#/openapi: expected an OpenAPI {version}.x document, found {declared!r}")
            continue
        validator = cls(document, base_uri=(directory / file).resolve().as_uri())
        try:
            for error in validator.iter_errors():
                logical = tuple(getattr(error, _LOCATION_ATTR, ())) + tuple(error.absolute_path)
                where = specs.physical(file, logical)
                problems.add(f"{where}: {error.message}")
        except Exception as exc:  # a validator crash is a problem to report, not a traceback
            summary = str(exc).splitlines()[0] if str(exc) else ""
            problems.add(f"{file}#: openapi-spec-validator stopped: {type(exc).__name__}: {summary[:300]}")
    return sorted(problems)


def dangling_refs(specs: SpecSet, files: list[str]) -> Iterator[str]:
    """Each ``$ref`` (string value of a ``$ref`` key) in ``files`` that does not lead to a node."""
    for file in files:
        for parts, node in walk(specs.doc(file)):
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
                continue
            ref = node["$ref"]
            try:
                specs.resolve_ref(ref, file)
            except ValueError as exc:
                yield f"{Location(file, '').child(*parts, '$ref')}: {exc}"
            except (KeyError, IndexError, TypeError, ContractError):
                yield f"{Location(file, '').child(*parts, '$ref')}: {ref!r} does not resolve to anything"
