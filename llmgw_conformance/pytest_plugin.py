"""pytest plugin: the conformance suite as real pytest items, one per requirement.

Why a plugin beside the CLI: teams that already gate releases on pytest get one item per requirement
(node id ``conformance::REQ-ID``) in their own runs, so ``-k``, ``-x``, ``--lf``, ``--durations`` and
``--junitxml`` work as they do for any test. The items are collected in the collection phase (from
the contract alone: no request is sent) and run in the run phase; the target is discovered in the
first item's setup. See :mod:`llmgw_conformance.pytest_items` for how verdicts map onto outcomes.

Settings come from, in order: the command-line option, the suite's environment variables
(``LLMGW_TARGET``, ...), the ini setting (``[tool.pytest.ini_options]`` or ``pytest.ini``:
``conformance_target = http://...``), the suite's defaults: the same order as the suite's own CLI,
where the ini file plays the part of a team's settings file. API keys and extra headers have no ini
setting: a secret does not belong in a file kept in a repository.

Before the first check, the target is checked (preflight): one that cannot be used ends the session
at once with exit code 3 and one line saying why, as the CLI does; so does a target that stops
answering mid-run, after its first unanswered exchanges were judged.

It is registered through the ``pytest11`` entry point, so it is loaded in every pytest run where the
package is installed: without a target it adds its options and does nothing else at all.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    # The suite is imported only once a target is given: the entry point loads this plugin in every
    # pytest run where the package is installed, also an SDK-only install without the suite's extras.
    from llmgw_conformance.stepped_run import SteppedRun

#: pytest option dest -> (SuiteOptions field, help, has an ini setting).
_SETTINGS: dict[str, tuple[str, str, bool]] = {
    "conformance_target": ("target", "Base URL of the gateway to judge (turns the plugin on).", True),
    "conformance_profile": ("profiles", "Comma-separated profiles (default: the default ones).", True),
    "conformance_check": ("checks", "Comma-separated check names or requirement ids.", True),
    "conformance_api_key": ("api_key", "API key (default: the suite's API key variable).", False),
    "conformance_restricted_api_key": ("restricted_api_key", "A key with control:read only.", False),
    "conformance_seed": ("seed", "Seed of every random choice (default 0).", True),
    "conformance_model": ("model", "Model the checks use (default: the first listed).", True),
    "conformance_report_dir": ("report_dir", "Write report.json, junit.xml, report.html there.", True),
    "conformance_checks_module": ("check_modules", "Comma-separated modules registering checks.", True),
    "conformance_exclude_check": ("exclude_checks", "Comma-separated checks not to run.", True),
    "conformance_target_file": (
        "target_file",
        "Target description (YAML) for a server without /v1/capabilities.",
        True,
    ),
    "conformance_header": ("headers", "Extra header 'Name: value' on every request (repeatable).", False),
    "conformance_connect_timeout": ("connect_timeout_s", "Connect timeout per request, seconds.", True),
    "conformance_read_timeout": ("read_timeout_s", "Read timeout per request, seconds.", True),
    "conformance_check_budget": ("check_budget_s", "Budget of one check, seconds.", True),
    "conformance_run_budget": ("run_budget_s", "Budget of the whole run, seconds.", True),
}
#: Settings given more than once on the command line (a list).
_REPEATABLE = ("conformance_header",)

_RUN_KEY: pytest.StashKey[SteppedRun] = pytest.StashKey()
#: The report files written at the end of the session, by kind.
_WRITTEN_KEY = pytest.StashKey[dict[str, Any]]()
#: Whether a report directory was set (option, ini or environment): only then are reports written.
_WRITE_KEY = pytest.StashKey[bool]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance", "LLM gateway conformance suite")
    for dest, (_field, help_text, has_ini) in _SETTINGS.items():
        flag = "--" + dest.replace("_", "-")
        action = "append" if dest in _REPEATABLE else "store"
        ini_help = f" ini: {dest}" if has_ini else ""
        group.addoption(flag, dest=dest, action=action, default=None, help=help_text + ini_help)
        if has_ini:
            parser.addini(dest, help=help_text, default="")


def _ini(config: pytest.Config, dest: str) -> str | None:
    if not _SETTINGS[dest][2]:
        return None
    value = str(config.getini(dest) or "").strip()
    return value or None


def _option_values(config: pytest.Config) -> tuple[dict[str, Any], dict[str, Any]]:
    """(command-line values, ini values) by SuiteOptions field, unset ones left out."""
    given = {field: config.getoption(dest, default=None) for dest, (field, _h, _i) in _SETTINGS.items()}
    ini = {field: _ini(config, dest) for dest, (field, _h, _i) in _SETTINGS.items()}
    return (
        {k: v for k, v in given.items() if v is not None},
        {k: v for k, v in ini.items() if v is not None},
    )


def _target_given(config: pytest.Config) -> bool:
    return bool(
        config.getoption("conformance_target", default=None)
        or _ini(config, "conformance_target")
        or os.environ.get("LLMGW_TARGET", "").strip()
    )


def pytest_configure(config: pytest.Config) -> None:
    """Build the run (contract, checks, selected requirements) before collection; send nothing yet."""
    if not _target_given(config):
        return
    try:
        from llmgw_conformance.options import build_options
        from llmgw_conformance.registry import UsageError
        from llmgw_conformance.stepped_run import SteppedRun
    except ImportError as exc:
        raise pytest.UsageError(
            f"conformance: the suite's dependencies are not installed ({exc.name} is missing): "
            "pip install 'llm-gateway-contract[suite]'"
        ) from None

    given, ini = _option_values(config)
    try:
        options = build_options(given, os.environ, ini)
        config.stash[_RUN_KEY] = SteppedRun(options)
    except UsageError as exc:
        raise pytest.UsageError(f"conformance: {exc}") from None
    config.stash[_WRITE_KEY] = (
        "report_dir" in given or "report_dir" in ini or bool(os.environ.get("LLMGW_REPORT_DIR", "").strip())
    )
    from llmgw_conformance.pytest_items import forward_sigterm

    forward_sigterm(config)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Remember which requirements pytest kept (after -k, --lf, -m), so the report covers those."""
    run = config.stash.get(_RUN_KEY, None)
    if run is not None:
        from llmgw_conformance.pytest_items import RequirementItem

        run.selected = [i.requirement.id for i in items if isinstance(i, RequirementItem)]


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Any:
    """Add the ``conformance`` node to what the session collects, so its items count as collected."""
    report = yield
    run = collector.config.stash.get(_RUN_KEY, None)
    if run is not None and isinstance(collector, pytest.Session) and report.passed:
        from llmgw_conformance.pytest_items import ConformanceCollector

        report.result.append(
            ConformanceCollector.from_parent(collector, name="conformance", nodeid="conformance", run=run)
        )
    return report


def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config) -> Any:
    """A passed item whose SHOULD failed: its own status, so it is visible but does not fail the run."""
    if _RUN_KEY not in config.stash:
        return None
    from llmgw_conformance.pytest_items import SHOULD_FAILED, should_failed_text

    if should_failed_text(report) is not None:
        return SHOULD_FAILED, "w", ("SHOULD-FAILED", {"yellow": True})
    return None


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """One section listing the failed SHOULDs (instead of a warning per finding), and the report paths."""
    if _RUN_KEY not in config.stash:
        return
    from llmgw_conformance.pytest_items import SHOULD_FAILED, should_failed_text

    reports = terminalreporter.stats.get(SHOULD_FAILED, [])
    if reports:
        terminalreporter.section(f"conformance: {len(reports)} SHOULD requirement(s) not met", sep="=")
        for report in reports:
            terminalreporter.line(should_failed_text(report) or report.nodeid)
    written = config.stash.get(_WRITTEN_KEY, None)
    if written:
        terminalreporter.section("conformance reports", sep="-")
        for kind, path in written.items():
            terminalreporter.line(f"{kind} report: {path}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Write the suite's own reports over the selected requirements (when a report dir is set); those
    pytest never reached (-x, an interrupt, an unusable target) are *not run*, with why."""
    config = session.config
    run = config.stash.get(_RUN_KEY, None)
    if run is None or not config.stash.get(_WRITE_KEY, False):
        return
    from llmgw_conformance.pytest_items import session_stop
    from llmgw_conformance.report import write_reports

    result = run.result(session_stop(session, exitstatus))
    if result is not None:
        config.stash[_WRITTEN_KEY] = write_reports(result, run.options.report_dir, run.redactor)
