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

#: The one prefix of every environment variable the suite reads: a stray ``TARGET=release`` in a CI
#: environment must not change a run.
ENV_PREFIX = "LLMGW_"

#: Environment variable -> option name (each listed in ``--help``; flags win over them).
ENV_VARS: dict[str, str] = {
    "LLMGW_TARGET": "target",
    "LLMGW_API_KEY": "api_key",
    "LLMGW_RESTRICTED_API_KEY": "restricted_api_key",
    "LLMGW_PROFILE": "profiles",
    "LLMGW_CHECK": "checks",
    "LLMGW_SEED": "seed",
    "LLMGW_REPORT_DIR": "report_dir",
    "LLMGW_MODEL": "model",
    "LLMGW_CHECK_MODULES": "check_modules",
    "LLMGW_TARGET_FILE": "target_file",
    "LLMGW_EXCLUDE_CHECK": "exclude_checks",
    "LLMGW_MAX_FAILURES": "max_failures",
    "LLMGW_HEADERS": "headers",
    "LLMGW_CONNECT_TIMEOUT": "connect_timeout_s",
    "LLMGW_READ_TIMEOUT": "read_timeout_s",
    "LLMGW_RUN_BUDGET": "run_budget_s",
    "LLMGW_CHECK_BUDGET": "check_budget_s",
    "LLMGW_JSON_REPORT": "json_report",
    "LLMGW_JUNIT_REPORT": "junit_report",
    "LLMGW_HTML_REPORT": "html_report",
    "LLMGW_COMPARE": "compare",
    "LLMGW_COMPARE_API_KEY": "compare_api_key",
    "LLMGW_COMPARE_FAIL_ON": "compare_fail_on",
}

#: ``--compare-fail-on`` values: which differences fail a differential run (llmgw_conformance.differential).
COMPARE_FAIL_RULES = ("any", "shape-usage")


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
    "exclude_checks",
)
#: Options that are paths (a report written to a path of its own besides the report folder).
_PATHS = ("report_dir", "contracts_dir", "target_file", "json_report", "junit_report", "html_report")


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
    #: Check names or requirement ids left out of the run (``--exclude-check``).
    exclude_checks: tuple[str, ...] = ()
    #: Stop the run after this many failed MUST requirements (``--max-failures``); None: never.
    max_failures: int | None = None
    #: ``Name: value`` headers sent with every request (``-H``; one per line in LLMGW_HEADERS).
    headers: tuple[str, ...] = ()
    #: Extra copies of the reports at paths of their own (``--json``, ``--junit``, ``--html``).
    json_report: Path | None = None
    junit_report: Path | None = None
    html_report: Path | None = None
    #: Base URL of a comparison target (``--compare``): a differential run beside the normal one.
    compare: str | None = None
    #: Key of the comparison target (``--compare-api-key``; prefer env LLMGW_COMPARE_API_KEY).
    compare_api_key: str | None = None
    #: Which differences fail the differential run: ``any`` or ``shape-usage`` (stream shape and usage only).
    compare_fail_on: str = "any"

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
            if f.name in ("api_key", "restricted_api_key", "compare_api_key"):
                out[f.name] = "[redacted]" if value else None
            elif f.name == "headers":
                out[f.name] = [
                    f"{n}: {'[redacted]' if secret_header(n, v) else v}" for n, v in header_pairs(value)
                ]
            elif f.name in ("target", "compare"):
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


def help_with_default(name: str, text: str) -> str:
    """A flag's help ``text`` followed by the option's default, when it has one worth showing."""
    default = DEFAULTS[name]
    return text + (f" (default {default})" if default not in (None, ()) else "")


def public_url(url: str) -> str:
    """``url`` without user info (``http://user:pw@host`` -> ``http://host``), for reports."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, ""))


#: Words in a header name that make its value a secret (kept out of reports and logs).
_SECRET_NAME_WORDS = ("auth", "key", "token", "secret", "cookie", "signature", "password", "credential")


def header_pairs(headers: Iterable[str]) -> list[tuple[str, str]]:
    """``("X-A: 1",)`` -> ``[("X-A", "1")]``; a header without a name and a colon is a usage error."""
    pairs = []
    for item in headers:
        name, sep, value = item.partition(":")
        if not sep or not name.strip() or any(c.isspace() for c in name.strip()):
            raise BadValue("header", item, ["'Name: value'"])
        pairs.append((name.strip(), value.strip()))
    return pairs


def secret_header(name: str, value: str) -> bool:
    """Whether a ``-H`` header looks like a secret: its name says so, or its value is one long token."""
    lowered = name.lower()
    return any(w in lowered for w in _SECRET_NAME_WORDS) or (len(value) >= 16 and " " not in value)


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
    for what, url in (("target URL", options.target), ("comparison target URL", options.compare)):
        if url is None:
            continue
        parts = urlsplit(url)
        try:
            port_ok = parts.port is None or parts.port > 0
        except ValueError:  # urllib: port out of range 0-65535, or not a number
            port_ok = False
        if parts.scheme not in ("http", "https") or not parts.hostname or not port_ok:
            raise BadValue(what, url, ["http://host[:port][/prefix]", "https://..."])
    if options.compare_fail_on not in COMPARE_FAIL_RULES:
        raise BadValue("compare_fail_on", options.compare_fail_on, COMPARE_FAIL_RULES)
    header_pairs(options.headers)
    if options.max_failures is not None and (
        isinstance(options.max_failures, bool) or options.max_failures < 1
    ):
        raise BadValue("max_failures", options.max_failures, ["an integer of at least 1"])
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
    if name in _PATHS:
        return Path(text)
    if name == "headers":
        return tuple(line.strip() for line in text.splitlines() if line.strip())
    if name in ("target", "api_key", "restricted_api_key", "model", "compare", "compare_api_key"):
        return text or None
    if name == "seed" or name == "max_failures" or name in _POSITIVE_INTS:
        try:
            return int(text)
        except ValueError:
            raise BadValue(name, raw, ["an integer"]) from None
    if name == "compare_fail_on":
        return text
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


def _typed(given: Mapping[str, Any]) -> dict[str, Any]:
    """Values by option name, strings coerced to the option's type and lists flattened."""
    values: dict[str, Any] = {}
    for name, raw in given.items():
        if name not in DEFAULTS:
            raise UsageError("option", name, DEFAULTS)
        if raw is None:
            continue
        values[name] = _coerce(name, raw)
        if name in _LISTS and not isinstance(raw, str):
            values[name] = split_list(raw)
        elif name == "headers" and not isinstance(raw, str):
            values[name] = tuple(raw)
        elif name in _PATHS and not isinstance(raw, Path):
            values[name] = Path(str(raw))
    return values


def build_options(
    explicit: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    config: Mapping[str, Any] | None = None,
) -> SuiteOptions:
    """Options from ``config`` (a team's settings file), overridden by ``env`` (see :data:`ENV_VARS`),
    overridden by ``explicit`` values that are not None: CLI > environment > config > defaults.

    Explicit and config values may be strings (as from a CLI) or already typed; unknown names are a
    UsageError.
    """
    values = _typed(config or {})
    values.update(options_from_env(env or {}))
    values.update(_typed(explicit or {}))
    try:
        return SuiteOptions(**values)
    except TypeError as exc:  # a value of the wrong type that dataclass construction refused
        raise BadValue("options", str(exc), DEFAULTS) from None
