"""A target description: what a server without ``/v1/capabilities`` serves, declared by its user.

Why: an OpenAI-compatible server (llama.cpp's ``llama-server``, a LiteLLM proxy, ``transformers
serve``) cannot say which profiles and optional features it honours, and probing can only show what
a request *accepts*. A description lets the person running the suite state it, the way the Gateway
API suite lets an implementation state its supported features. It is a small YAML file
(``--target-file``, env ``LLMGW_TARGET_FILE``) or the matching options, merged (options add to the
file)::

    profiles: [openai-chat, openai-extended, embeddings]   # every profile served; none is probed
    features: [n, logprobs]                                # every optional feature; none is probed
    models: {chat: tiny-llama, embeddings: bge-small}      # model per surface
    limits: {max_tokens: 2048}                             # Capabilities.limits names

A field left out is probed (see :mod:`llmgw_conformance.probing`). A field that is present lists
everything of its kind: a description naming ``features: [n]`` says the server has no ``tools``.
An unknown field, profile, feature, surface or limit is a usage error naming the valid values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml

from llmgw_conformance.contract import LoadedContract
from llmgw_conformance.options import BadValue, SuiteOptions
from llmgw_conformance.registry import CheckSpec, UsageError

T = TypeVar("T")

#: Top-level fields of a description file.
FIELDS = ("profiles", "features", "models", "limits")
#: Surfaces a model can be named for, and the catalog workload each one uses.
SURFACE_WORKLOADS: dict[str, str] = {
    "chat": "completion",
    "embeddings": "embedding",
    "rerank": "rerank",
    "generate": "completion",
}
#: Optional features the OpenAI API itself defines (probed on an OpenAI-only server).
OPENAI_FEATURES = ("n", "logprobs", "tools", "stop", "seed", "response_format")
#: Features only the suite decides (from capabilities or from options), never declared.
SUITE_FEATURES = ("native", "restricted-key")


@dataclass(frozen=True)
class TargetDescription:
    """What the user declared; ``None`` in a field means "not declared, probe it"."""

    profiles: frozenset[str] | None = None
    features: frozenset[str] | None = None
    #: Surface (chat, embeddings, rerank, generate) -> model id.
    models: Mapping[str, str] = field(default_factory=dict)
    limits: Mapping[str, int] = field(default_factory=dict)
    #: Where it came from, for the report ("file t.yaml", "options", "file t.yaml and options").
    source: str = ""


def declarable_features(contract: LoadedContract, registry: Mapping[str, CheckSpec]) -> set[str]:
    """Every feature a requirement or check needs, plus the OpenAI-defined ones."""
    names = set(OPENAI_FEATURES)
    for req in contract.requirement_list:
        names.update(req.needs)
    for spec in registry.values():
        names.update(spec.needs)
    return names - set(SUITE_FEATURES)


def limit_names(contract: LoadedContract) -> set[str]:
    """The property names of the contract's ``Limits`` schema."""
    schemas = (contract.specs.get("control.yaml", {}).get("components") or {}).get("schemas", {})
    return set((schemas.get("Limits") or {}).get("properties") or {})


def _names(value: Any, what: str, valid: Iterable[str]) -> frozenset[str]:
    allowed = set(valid)
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise BadValue(f"target description {what}", value, ["a list of names"])
    for item in items:
        if item not in allowed:
            raise UsageError(f"{what[:-1]} in the target description", item, allowed)
    return frozenset(items)


@dataclass(frozen=True)
class _MappingField:
    """How a mapping field of a description (``models``, ``limits``) is checked."""

    #: The field's name, and what each of its entries is ("surface: model").
    name: str
    entry_shape: str
    #: What a key is, as a usage error names it ("surface in the target description models").
    key_what: str


def _entries(
    value: Any, fld: _MappingField, valid: Iterable[str], entry: Callable[[str, Any], T]
) -> dict[str, T]:
    """A mapping field checked key by key: each key one of ``valid``, each value as
    ``entry(key, value)`` makes it (or refuses it with a usage error)."""
    if not isinstance(value, Mapping):
        raise BadValue(f"target description {fld.name}", value, [f"a mapping {fld.entry_shape}"])
    allowed = set(valid)
    out: dict[str, T] = {}
    for key, item in value.items():
        if key not in allowed:
            raise UsageError(fld.key_what, key, allowed)
        out[str(key)] = entry(key, item)
    return out


_MODELS = _MappingField("models", "surface: model", "surface in the target description models")
_LIMITS = _MappingField("limits", "name: integer", "limit in the target description")


def _model(surface: str, model: Any) -> str:
    if not isinstance(model, str) or not model.strip():
        raise BadValue(f"model for {surface}", model, ["a non-empty model id"])
    return model.strip()


def _limit(name: str, number: Any) -> int:
    if isinstance(number, str) and number.strip().isdigit():
        number = int(number)
    if isinstance(number, bool) or not isinstance(number, int) or number < 0:
        raise BadValue(f"limit {name}", number, ["an integer of at least 0"])
    return number


def parse_description(
    doc: Any, contract: LoadedContract, registry: Mapping[str, CheckSpec], source: str
) -> TargetDescription:
    """Validate one description mapping (from a file or from options) into a TargetDescription."""
    if doc is None:
        doc = {}
    if not isinstance(doc, Mapping):
        raise BadValue("target description", source, ["a YAML mapping with " + ", ".join(FIELDS)])
    for key in doc:
        if key not in FIELDS:
            raise UsageError("field in the target description", key, FIELDS)
    features = declarable_features(contract, registry)
    return TargetDescription(
        profiles=_names(doc["profiles"], "profiles", contract.profiles) if "profiles" in doc else None,
        features=_names(doc["features"], "features", features) if "features" in doc else None,
        models=_entries(doc.get("models", {}), _MODELS, SURFACE_WORKLOADS, _model),
        limits=_entries(doc.get("limits", {}), _LIMITS, limit_names(contract), _limit),
        source=source,
    )


def load_target_file(
    path: Path, contract: LoadedContract, registry: Mapping[str, CheckSpec]
) -> TargetDescription:
    """Read and validate a description file; a missing or unreadable file is a usage error."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BadValue("target file", str(path), [f"a readable YAML file ({exc.strerror or exc})"]) from None
    except yaml.YAMLError as exc:
        raise BadValue("target file", str(path), [f"valid YAML ({exc})"]) from None
    return parse_description(doc, contract, registry, f"file {path}")


def _pairs(entries: tuple[str, ...], what: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for entry in entries:
        name, sep, value = entry.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise BadValue(what, entry, ["NAME=VALUE"])
        out[name.strip()] = value.strip()
    return out


def describe_target(
    options: SuiteOptions, contract: LoadedContract, registry: Mapping[str, CheckSpec]
) -> TargetDescription | None:
    """The description of the run: the file, with the options' declarations added; None when neither."""
    described = getattr(options, "target_file", None)
    base = load_target_file(Path(described), contract, registry) if described else None
    doc: dict[str, Any] = {}
    if getattr(options, "declared_profiles", ()):
        doc["profiles"] = list(options.declared_profiles)
    if getattr(options, "declared_features", ()):
        doc["features"] = list(options.declared_features)
    if getattr(options, "models_for", ()):
        doc["models"] = _pairs(options.models_for, "--model-for")
    if getattr(options, "declared_limits", ()):
        doc["limits"] = _pairs(options.declared_limits, "--limit")
    if not doc:
        return base
    extra = parse_description(doc, contract, registry, "options")
    if base is None:
        return extra

    def union(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
        return b if a is None else a if b is None else a | b

    return TargetDescription(
        profiles=union(base.profiles, extra.profiles),
        features=union(base.features, extra.features),
        models={**base.models, **extra.models},
        limits={**base.limits, **extra.limits},
        source=f"{base.source} and options",
    )
