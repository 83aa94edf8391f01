"""The command that replays a run, and the redactor that keeps the run's secrets out of every record.

Why together: both decide how a secret the user gave (the API keys, a ``-H`` value that looks like
one) appears in what the suite writes. A reproduction line names a secret header's value as a shell
variable (``$HEADER_X_API_KEY``), and the redactor writes that same name wherever the value would
have appeared, so a report never holds a key yet every line in it still replays.
"""

from __future__ import annotations

import shlex

from llmgw_conformance.options import SuiteOptions, header_pairs, public_url, secret_header
from llmgw_conformance.redaction import Redactor

#: The console script a pip install provides (pyproject.toml); reproduction lines name it.
COMMAND = "llm-gateway-conformance"


def reproduction(options: SuiteOptions, checks: list[str], embedded: bool) -> str:
    """The command that replays these checks against the same target with the same seed.

    Why the console script and not ``make``: a vendor runs the suite from a pip install, outside this
    checkout. The key is not on it: it comes from LLMGW_API_KEY, as it did for the run.
    """
    parts = [COMMAND, "run"]
    if not embedded and options.target:
        parts += ["--target", shlex.quote(public_url(options.target))]
    if checks:
        parts += ["--check", shlex.quote(",".join(checks))]
    if options.profiles:
        parts += ["--profile", shlex.quote(",".join(options.profiles))]
    parts += ["--seed", str(options.seed)]
    if options.model:
        parts += ["--model", shlex.quote(options.model)]
    if options.check_modules:
        parts += ["--checks-module", shlex.quote(",".join(options.check_modules))]
    for name, value in header_pairs(options.headers):
        shown = f"${_header_variable(name)}" if secret_header(name, value) else value
        parts += ["-H", shlex.quote(f"{name}: {shown}")]
    return " ".join(parts)


def _header_variable(name: str) -> str:
    return "HEADER_" + "".join(c if c.isalnum() else "_" for c in name.upper())


def redactor_for(options: SuiteOptions) -> Redactor:
    """The run's redactor: the keys, and every ``-H`` value that looks like a secret."""
    base = Redactor.for_keys(options.api_key, options.restricted_api_key)
    named = {secret: base.text(secret) for secret in base.secrets}
    for name, value in header_pairs(options.headers):
        if value and secret_header(name, value):
            named[value] = f"${_header_variable(name)}"
    return Redactor(named)
