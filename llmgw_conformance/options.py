"""Suite options: one frozen record built from CLI flags and environment variables.

Why one record: a run's verdict depends on its options (timeouts decide what counts as a stall, the
seed decides which requests are sent), so the report copies them verbatim and a reproduction command
can be rebuilt from them. Every option has a documented default (:data:`DEFAULTS`); a bad value is a
:class:`~conformance.registry.UsageError` naming it and what would be valid, never a traceback.

Environment variables (the ``make conformance`` interface) are read by :func:`options_from_env`;
explicit values (CLI flags) override them. Secrets (``api_key``, ``restricted_api_key``) are kept
here but never rendered: :meth:`SuiteOptions.to_report` leaves them out.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from llmgw_conformance.registry import UsageError

#: Environment variable -> option name (the make interface).
ENV_VARS: dict[str, str] = {
    "TARGET": "target",
    "API_KEY": "api_key",
    "RESTRICTED_API_KEY": "restricted_api_key",
    "PROFILE": "profiles",
    "CHECK": "checks",
    "SEED": "seed",
    "REPORT_DIR": "report_dir",
    "MODEL": "model",
    "CHECK_MODULES": "check_modules",
    "TARGET_FILE": "target_file",
}


class BadValue(UsageError):
    """A usage error about a value (not an unknown name): "bad seed 'x'; valid: an integer"."""

    def __init__(self, what: str, value: object, valid: Iterable[str]) -> None:
        super().__init__(what, value, valid)
        self.args = (f"bad {what} {value!r}; valid: {', '.join(self.valid)}",)


_POSITIVE_FLOATS = (
    "connect_timeout_s",
    "read_timeout_s",
    "idle_gap_s",
    "stream_budget_s",
    "header_budget_s",
    "run_budget_s",
    "check_budget_s",
)
_POSITIVE_INTS = ("max_events", "max_bytes", "max_tokens", "examples")
#: Options that are lists of names (comma-separated in the environment and on the command line).
_LISTS = (
    "profiles",
    "checks",
    "check_modules",
    "declared_profiles",
    "declared_features",
    "models_for",
    "declared_limits",
)


@dataclass(frozen=True)
class SuiteOptions:
    """Everything a run is configured by (implements :class:`llmgw_conformance.context.Options`)."""

    #: Base URL of the gateway or worker under test; None starts the embedded reference server.
    target: str | None = None
    #: Key with every scope the selected profiles need (sent as ``Authorization: Bearer``).
    api_key: str | None = None
    #: A valid key with ``control:read`` only; enables the AUTH-SCOPE checks (feature ``restricted-key``).
    restricted_api_key: str | None = None
    #: Profiles to run; empty means the defaults (see conformance.runner).
    profiles: tuple[str, ...] = ()
    #: Check names or requirement ids to run; empty means every check of the selected profiles.
    checks: tuple[str, ...] = ()
    #: Drives every random choice: each check gets ``Random(f"{seed}:{check_name}")``.
    seed: int = 0
    report_dir: Path = Path("reports/conformance")
    #: Model the checks use; None means the first model the target lists.
    model: str | None = None
    #: TCP connect timeout per request.
    connect_timeout_s: float = 5.0
    #: Longest wait for a non-stream answer's headers and body (per read).
    read_timeout_s: float = 30.0
    #: Longest silence allowed inside a stream before it is judged stalled.
    idle_gap_s: float = 10.0
    #: Longest a whole stream may take, from request to end.
    stream_budget_s: float = 60.0
    #: Longest wait for a stream's status line and headers on an idle target.
    header_budget_s: float = 2.0
    #: Most SSE events read from one stream before reading stops (protects the suite).
    max_events: int = 10_000
    #: Most body bytes read from one answer (stream or not) before reading stops.
    max_bytes: int = 8 * 1024 * 1024
    #: ``max_tokens`` the checks ask for on real targets, to keep inference cheap.
    max_tokens: int = 16
    #: Examples per operation for schema-driven (schemathesis / hypothesis) checks.
    examples: int = 10
    #: Wall-clock budget of the whole run; checks not started when it is spent are ``error``.
    run_budget_s: float = 600.0
    #: Wall-clock budget of one check; a check over it is ``error`` "check exceeded its budget".
    check_budget_s: float = 120.0
    #: Where the contract files are; None means the ``contracts/`` folder of this checkout.
    contracts_dir: Path | None = field(default=None)
    #: Extra Python modules to import before a run, registering more checks (a vendor's own, or tests').
    check_modules: tuple[str, ...] = ()
    #: A target description (YAML) for a server without /v1/capabilities (see conformance.target_description).
    target_file: Path | None = None
    #: Profiles the target serves, declared (--declare-profile); added to the target file's.
    declared_profiles: tuple[str, ...] = ()
    #: Optional features the target honours, declared (--feature); added to the target file's.
    declared_features: tuple[str, ...] = ()
    #: ``surface=model`` entries (--model-for chat=NAME): the model each surface's checks use.
    models_for: tuple[str, ...] = ()
    #: ``name=value`` entries (--limit max_tokens=2048): limits the target would put in its capabilities.
    declared_limits: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        validate(self)

    def replace(self, **changes: Any) -> SuiteOptions:
        """A copy with ``changes`` applied (and validated)."""
        return dataclasses.replace(self, **changes)

    def to_report(self) -> dict[str, Any]:
        """The options as the report shows them: secrets replaced by whether they were given."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name in ("api_key", "restricted_api_key"):
                out[f.name] = "[redacted]" if value else None
            elif f.name == "target":
                out[f.name] = public_url(value) if value else None
            elif isinstance(value, Path):
                out[f.name] = str(value)
            elif isinstance(value, tuple):
                out[f.name] = list(value)
            else:
                out[f.name] = value
        return out


#: The documented defaults, by option name.
DEFAULTS: dict[str, Any] = {f.name: f.default for f in dataclasses.fields(SuiteOptions)}


def public_url(url: str) -> str:
    """``url`` without user info (``http://user:pw@host`` -> ``http://host``), for reports."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, ""))


def validate(options: SuiteOptions) -> None:
    """Raise UsageError for the first bad value, naming it and what would be valid."""
    for name in _POSITIVE_FLOATS:
        value = getattr(options, name)
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise BadValue(name, value, ["a number of seconds above 0"])
        if value <= 0:
            raise BadValue(name, value, ["a number of seconds above 0"])
    for name in _POSITIVE_INTS:
        value = getattr(options, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise BadValue(name, value, ["an integer of at least 1"])
    if isinstance(options.seed, bool) or not isinstance(options.seed, int) or options.seed < 0:
        raise BadValue("seed", options.seed, ["an integer of at least 0"])
    if options.target is not None:
        parts = urlsplit(options.target)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise BadValue("target URL", options.target, ["http://host[:port][/prefix]", "https://..."])
    for name in _LISTS:
        items = getattr(options, name)
        if not isinstance(items, tuple) or not all(isinstance(i, str) and i for i in items):
            raise BadValue(name, items, ["comma-separated names"])


def split_list(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """``"a, b,,c"`` -> ``("a", "b", "c")``; lists are flattened the same way."""
    if value is None:
        return ()
    parts = [value] if isinstance(value, str) else list(value)
    out: list[str] = []
    for part in parts:
        out.extend(p.strip() for p in part.split(",") if p.strip())
    return tuple(dict.fromkeys(out))


def _coerce(name: str, raw: Any) -> Any:
    """Turn a string from the environment or the CLI into the option's type, or raise UsageError."""
    if raw is None or not isinstance(raw, str):
        return raw
    text = raw.strip()
    if name in _LISTS:
        return split_list(text)
    if name in ("report_dir", "contracts_dir", "target_file"):
        return Path(text)
    if name in ("target", "api_key", "restricted_api_key", "model"):
        return text or None
    if name == "seed" or name in _POSITIVE_INTS:
        try:
            return int(text)
        except ValueError:
            raise BadValue(name, raw, ["an integer"]) from None
    if name in _POSITIVE_FLOATS:
        try:
            return float(text)
        except ValueError:
            raise BadValue(name, raw, ["a number of seconds above 0"]) from None
    raise UsageError("option", name, DEFAULTS)


def options_from_env(env: Mapping[str, str]) -> dict[str, Any]:
    """The options the environment sets (empty variables count as unset), coerced to their types."""
    out: dict[str, Any] = {}
    for var, name in ENV_VARS.items():
        raw = env.get(var)
        if raw is not None and raw.strip():
            out[name] = _coerce(name, raw)
    return out


def build_options(
    explicit: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None
) -> SuiteOptions:
    """Options from ``env`` (see :data:`ENV_VARS`) overridden by ``explicit`` values that are not None.

    Explicit values may be strings (as from a CLI) or already typed; unknown names are a UsageError.
    """
    values = options_from_env(env or {})
    for name, raw in (explicit or {}).items():
        if name not in DEFAULTS:
            raise UsageError("option", name, DEFAULTS)
        if raw is None:
            continue
        values[name] = _coerce(name, raw)
        if name in _LISTS and not isinstance(raw, str):
            values[name] = split_list(raw)
    try:
        return SuiteOptions(**values)
    except TypeError as exc:  # a value of the wrong type that dataclass construction refused
        raise BadValue("options", str(exc), DEFAULTS) from None
