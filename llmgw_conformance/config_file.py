"""Settings a team keeps in its repository: ``[tool.llm-gateway-conformance]`` or a ``--config`` file.

Why a file at all: the target's profiles, timeouts and report paths of a CI job belong next to the
code that job tests, reviewed like it, not spread over a pipeline's environment. Precedence is
CLI > environment (``LLMGW_*``) > this file > defaults, as :func:`llmgw_conformance.options.build_options`
applies it. Keys are the long flag names (``read-timeout``, ``profile``, ``exclude-check``) or the
option names (``read_timeout_s``); lists may be TOML arrays. Keys are refused here: a file in a
repository is the wrong place for them (use ``LLMGW_API_KEY``). TOML is read with the standard
library's ``tomllib``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from llmgw_conformance.options import DEFAULTS, BadValue
from llmgw_conformance.registry import UsageError

#: The table of a pyproject.toml that holds the suite's settings.
TOOL_TABLE = "llm-gateway-conformance"
#: Settings that never come from a file in a repository.
SECRETS = ("api_key", "restricted_api_key")


def option_name(key: str, flags: Mapping[str, str]) -> str:
    """The option a config key names: a long flag without ``--`` or an option name."""
    name = flags.get(key, key.replace("-", "_"))
    if name not in DEFAULTS:
        raise UsageError("config setting", key, sorted(flags))
    if name in SECRETS:
        raise BadValue(f"config setting {key}", "(a key)", ["LLMGW_API_KEY in the environment, not a file"])
    return name


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise BadValue("config file", str(path), [f"a readable TOML file ({exc.strerror or exc})"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise BadValue("config file", str(path), [f"valid TOML ({exc})"]) from None


def load_config(explicit: str | None, flags: Mapping[str, str], cwd: Path | None = None) -> dict[str, Any]:
    """Option values from ``--config FILE`` (its ``[tool.llm-gateway-conformance]`` table, or the
    whole file when it has none), else from ``./pyproject.toml``'s table; {} when neither exists."""
    if explicit:
        doc = _read(Path(explicit))
        table = doc.get("tool", {}).get(TOOL_TABLE, doc) if isinstance(doc.get("tool"), dict) else doc
    else:
        pyproject = (cwd or Path.cwd()) / "pyproject.toml"
        if not pyproject.is_file():
            return {}
        tool = _read(pyproject).get("tool", {})
        table = tool.get(TOOL_TABLE, {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise BadValue(f"[tool.{TOOL_TABLE}]", table, ["a table of settings"])
    values: dict[str, Any] = {}
    for key, value in table.items():
        name = option_name(str(key), flags)
        # Strings, as from the command line, so that one coercion (options._coerce) types them all.
        values[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return values
