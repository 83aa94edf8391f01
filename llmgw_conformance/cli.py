"""``llm-gateway-conformance run|list`` (or ``python -m llmgw_conformance``): what release gates and
vendors run.

Why flags mirror the environment: a CI job setting ``LLMGW_TARGET`` or ``LLMGW_API_KEY`` must behave
exactly like the flags; the one prefix keeps a stray ``TARGET`` from changing a run. CLI >
environment > config file (:mod:`llmgw_conformance.config_file`) > defaults. Usage errors (bad value,
unknown profile or check) exit 2 with the bad value and the valid ones, before any request. Without
``--target`` the reference server is started on a free port for the run
(:mod:`llmgw_conformance.embedded`) and stopped afterwards, also on a signal and on errors.

Exit codes (:data:`EXIT_CODES`): 0 passed; 1 a MUST failed; 2 usage error; 3 target unusable; 4 the
suite's own error; 130/143 interrupted by SIGINT/SIGTERM (a partial report is written).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from llmgw_conformance import __version__
from llmgw_conformance.options import ENV_VARS, BadValue, build_options, help_with_default
from llmgw_conformance.registry import UsageError
from llmgw_conformance.results import EXIT_SIGNAL_BASE, EXIT_SUITE_ERROR, EXIT_USAGE
from llmgw_conformance.run_control import RunInterrupted

if TYPE_CHECKING:
    from llmgw_conformance.differential import DifferentialResult

#: The name of the console script (pyproject.toml), shown in help and reproduction lines.
PROG = "llm-gateway-conformance"
EXIT_CODES = (
    "exit codes: 0 passed; 1 a MUST failed; 2 usage error; 3 target unusable (nothing listening, not\n"
    "HTTP, silent, key refused, base URL ending in /v1, or it stopped answering mid-run); 4 the suite's\n"
    "own error; 130 / 143 interrupted by SIGINT / SIGTERM (a partial report is written)"
)

#: Flags that are not the option's name in kebab case without its unit (``connect_timeout_s`` is
#: ``--connect-timeout``): a list option's flag names one item, a report copy's flag is its format.
_FLAG_NAMES = {
    "profiles": "--profile",
    "checks": "--check",
    "check_modules": "--checks-module",
    "exclude_checks": "--exclude-check",
    "json_report": "--json",
    "junit_report": "--junit",
    "html_report": "--html",
}


def _flag(name: str) -> str:
    """The command-line flag of the option ``name``."""
    return _FLAG_NAMES.get(name) or "--" + name.removesuffix("_s").replace("_", "-")


#: Option name -> help, for the options every run takes (in the order --help lists them).
_HELP = {
    "target": "base URL without /v1 (default: start the embedded reference)",
    "profiles": "comma-separated profiles (default: the read-only default profiles)",
    "checks": "comma-separated check names or requirement ids",
    "api_key": "API key with every scope needed (prefer env LLMGW_API_KEY: no key in ps)",
    "restricted_api_key": "a valid key with control:read only (prefer env LLMGW_RESTRICTED_API_KEY)",
    "seed": "seed of every random choice",
    "report_dir": "where report.json, junit.xml and report.html go",
    "model": "model the checks use (default: the first the target lists)",
    "connect_timeout_s": "TCP connect timeout, seconds",
    "read_timeout_s": "wait for a non-stream answer, seconds",
    "idle_gap_s": "longest silence inside a stream, seconds",
    "stream_budget_s": "longest a whole stream may take, seconds",
    "header_budget_s": "longest wait for a stream's headers on an idle target, seconds",
    "max_events": "most events read from one stream",
    "max_bytes": "most bytes read from one answer",
    "max_tokens": "max_tokens the checks ask for",
    "examples": "examples per operation for schema-driven checks",
    "run_budget_s": "wall-clock budget of the whole run, seconds",
    "check_budget_s": "wall-clock budget of one check, seconds",
    "contracts_dir": "folder with openapi/ and requirements.yaml",
    "check_modules": "comma-separated extra modules registering checks",
    "exclude_checks": "comma-separated check names or requirement ids to leave out",
    "max_failures": "stop the run after this many failed MUST requirements",
    "json_report": "also write report.json to this path",
    "junit_report": "also write junit.xml to this path",
    "html_report": "also write report.html to this path",
    "target_file": (
        "YAML target description (profiles, features, models, limits) for a server without capabilities"
    ),
    "compare": "base URL of a comparison target: also a differential run (see `compare`)",
    "compare_api_key": "API key of the comparison target (prefer env LLMGW_COMPARE_API_KEY: no key in ps)",
    "compare_fail_on": "which differences fail: any, or shape-usage (stream shape and usage only)",
}
#: (flag, option name, help) for the options every run takes.
_FLAGS: list[tuple[str, str, str]] = [(_flag(name), name, text) for name, text in _HELP.items()]
#: Flags that may be given several times (each value may also be comma-separated); they add to the
#: target file's declarations (see llmgw_conformance.target_description).
_REPEATABLE: list[tuple[str, str, str]] = [
    ("--declare-profile", "declared_profiles", "a profile the target serves (instead of probing)"),
    ("--feature", "declared_features", "an optional feature the target honours (instead of probing)"),
    ("--model-for", "models_for", "SURFACE=MODEL, surface chat, embeddings, rerank or generate"),
    ("--limit", "declared_limits", "NAME=VALUE, a limit the target has (e.g. max_tokens=2048)"),
]


class _ArgumentError(UsageError):
    """argparse's own message (unknown flag, missing value) as a usage error."""

    def __init__(self, message: str) -> None:
        Exception.__init__(self, f"{message} (see --help)")
        self.what, self.value, self.valid = "argument", message, ()


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so every usage error takes the same path (exit 2)."""

    def error(self, message: str) -> Any:
        raise _ArgumentError(message)


def _epilog() -> str:
    by_option = {name: var for var, name in ENV_VARS.items()}
    flags = {name: flag for flag, name, _ in _FLAGS + _REPEATABLE}
    lines = ["environment (flags win; then these; then the config file; then defaults):"]
    for name, var in sorted(by_option.items(), key=lambda item: item[1]):
        lines.append(
            f"  {var:<26} {flags.get(name, '-H/--header, one per line' if name == 'headers' else name)}"
        )
    lines += [
        "  NO_COLOR                   no colour (colour is also off when stdout is not a terminal)",
        "config: [tool.llm-gateway-conformance] in ./pyproject.toml, or --config FILE; keys are the long",
        '  flag names (read-timeout = 10, profile = ["openai-chat"]); keys only from the environment',
        EXIT_CODES,
    ]
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Conformance suite for LLM inference gateways.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    run = sub.add_parser(
        "run",
        help="judge a target and write the reports",
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument(
        "-H",
        "--header",
        dest="headers",
        metavar="'NAME: VALUE'",
        action="append",
        default=None,
        help="'Name: value' sent with every request (repeatable; redacted in reports when secret-looking)",
    )
    run.add_argument("--config", default=None, help="TOML settings file (default: ./pyproject.toml's table)")
    for flag, name, text in _FLAGS:
        run.add_argument(flag, dest=name, default=None, help=help_with_default(name, text))
    for flag, name, text in _REPEATABLE:
        run.add_argument(flag, dest=name, action="append", default=None, help=text)
    verify = sub.add_parser(
        "verify",
        help="check that every verdict of a report.json follows from its recorded evidence",
        epilog="exit codes: 0 verified; 1 not verified (each discrepancy listed); 2 usage error",
    )
    verify.add_argument("report", help="path of the report.json to verify")
    verify.add_argument(
        "--contracts-dir", default=None, help="the contract the report names (default: the suite's)"
    )
    verify.add_argument(
        "--details", action="store_true", help="say how each requirement's verdict was checked"
    )
    from llmgw_conformance.differential.command import add_compare_parser

    add_compare_parser(sub, _FLAGS)
    from llmgw_conformance.load.command import add_load_parser

    add_load_parser(sub)
    listing = sub.add_parser("list", help="list requirements, checks and profiles")
    listing.add_argument("what", nargs="?", choices=["requirements", "checks", "profiles"], default=None)
    listing.add_argument(
        "--checks-module", dest="check_modules", default=None, help="extra modules registering checks"
    )
    return parser


def _plain_output() -> bool:
    return not sys.stdout.isatty() or os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _colour() -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def cmd_list(what: str | None, check_modules: str | None) -> int:
    from llmgw_conformance.contract import load_contract
    from llmgw_conformance.registry import registered_checks
    from llmgw_conformance.runner import load_check_modules

    load_check_modules(build_options({"check_modules": check_modules}, os.environ).check_modules)
    contract = load_contract()
    checks = registered_checks()
    if what in (None, "profiles"):
        print("PROFILES")
        for name, info in contract.profiles.items():
            flags = [k for k in ("default", "state_changing", "load") if info.get(k)]
            print(f"  {name:<16} [{', '.join(flags)}] {info.get('description', '')}")
    if what in (None, "checks"):
        print("CHECKS")
        for name, spec in sorted(checks.items()):
            needs = f" needs={','.join(spec.needs)}" if spec.needs else ""
            print(
                f"  {name:<32} profiles={','.join(spec.profiles)}{needs} covers={','.join(spec.requirements)}"
            )
    if what in (None, "requirements"):
        print("REQUIREMENTS")
        for req in contract.requirement_list:
            covering = sorted(n for n, s in checks.items() if req.id in s.requirements) or ["(no check)"]
            print(f"  {req.id:<28} {req.level:<6} {','.join(req.profiles):<28} checks={','.join(covering)}")
    return 0


def _check_report_dir(path: Path) -> None:
    """Fail before the run, not after it, when the reports could not be written."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise BadValue(
            "report directory", str(path), [f"a writable folder ({exc.strerror or exc})"]
        ) from None


def _options_of(args: argparse.Namespace) -> Any:
    from llmgw_conformance.config_file import load_config

    flags = {flag.lstrip("-"): name for flag, name, _ in _FLAGS + _REPEATABLE}
    explicit = {name: getattr(args, name) for _, name, _ in _FLAGS + _REPEATABLE}
    explicit["headers"] = args.headers
    return build_options(explicit, os.environ, load_config(args.config, flags))


def _copy_reports(paths: dict[str, Path], options: Any) -> dict[str, Path]:
    """The reports also written where ``--json/--junit/--html`` asked."""
    wanted = {"json": options.json_report, "junit": options.junit_report, "html": options.html_report}
    out = dict(paths)
    for kind, path in wanted.items():
        if path is not None and kind in paths:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(paths[kind].read_bytes())
            out[f"{kind} copy"] = path
    return out


def cmd_run(args: argparse.Namespace) -> int:
    from llmgw_conformance.console import RunConsole
    from llmgw_conformance.contract import load_contract
    from llmgw_conformance.differential import combined_exit_code
    from llmgw_conformance.differential.command import compare_redactor, differential_beside, summary_lines
    from llmgw_conformance.embedded import EmbeddedReference, EmbeddedStartError
    from llmgw_conformance.registry import registered_checks
    from llmgw_conformance.report import write_reports
    from llmgw_conformance.run_control import interrupts_raise
    from llmgw_conformance.runner import interrupted_result, load_check_modules, redactor_for, run_suite
    from llmgw_conformance.selection import validate_names
    from llmgw_conformance.target_description import describe_target

    options = _options_of(args)
    load_check_modules(options.check_modules)
    validate_names(options, load_contract(options.contracts_dir), registered_checks())
    describe_target(options, load_contract(options.contracts_dir), registered_checks())
    _check_report_dir(options.report_dir)
    console = RunConsole(plain=_plain_output(), colour=_colour())
    embedded: EmbeddedReference | None = None
    differential: DifferentialResult | None = None
    with interrupts_raise():
        try:
            if options.target is None:
                console.line("starting the embedded reference server ...")
                embedded = EmbeddedReference()
                try:
                    embedded.start()
                except EmbeddedStartError as exc:
                    console.line(f"error: {exc}")
                    embedded = None
                    return EXIT_SUITE_ERROR
                console.line(f"embedded reference at {embedded.base_url}")
                options = options.replace(
                    target=embedded.base_url,
                    api_key=embedded.api_key,
                    restricted_api_key=embedded.restricted_api_key,
                )
            console.redactor = redactor_for(options)
            result = run_suite(options, embedded=embedded is not None, progress=console.progress)
            differential = differential_beside(options, console.line)
        except RunInterrupted as exc:  # before the run started (embedded start): still a report
            result = interrupted_result(options, exc.signum, embedded is not None)
        finally:
            console.close()
            if embedded is not None:
                embedded.stop()
        if differential is None:
            paths = write_reports(result, options.report_dir, redactor_for(options))
        else:
            sections = {"differential": differential.doc()}
            paths = write_reports(result, options.report_dir, compare_redactor(options), sections=sections)
        console.summary(result, _copy_reports(paths, options))
    if differential is not None:
        for line in summary_lines(differential):
            console.line(line)
        return combined_exit_code(result.exit_code, differential)
    return result.exit_code


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.command == "list":
            return cmd_list(args.what, args.check_modules)
        if args.command == "load":
            from llmgw_conformance.load.command import cmd_load

            return cmd_load(args)
        if args.command == "compare":
            from llmgw_conformance.differential.command import cmd_compare

            return cmd_compare(args, _FLAGS + _REPEATABLE, _check_report_dir)
        if args.command == "verify":
            from llmgw_conformance.verify.command import cmd_verify

            return cmd_verify(args.report, args.contracts_dir, args.details)
        return cmd_run(args)
    except UsageError as exc:
        print(f"usage error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except RunInterrupted as exc:  # a second signal while the reports were written
        print(f"interrupted by {exc}", file=sys.stderr)
        return EXIT_SIGNAL_BASE + exc.signum
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_SIGNAL_BASE + 2
