"""pytest plugin: the conformance suite as real pytest items, one per requirement.

Why a plugin beside the CLI: teams that already gate releases on pytest get one item per requirement
(node id ``conformance::REQ-ID``) in their own runs, so ``-k``, ``-x``, ``--lf``, ``--durations`` and
``--junitxml`` work as they do for any test. The items are collected in the collection phase (from
the contract alone: no request is sent) and run in the run phase; the target is discovered in the
first item's setup. See :mod:`llmgw_conformance.pytest_items` for how verdicts map onto outcomes.

Settings come from, in order: the command-line option, the ini setting (``[tool.pytest.ini_options]``
or ``pytest.ini``: ``conformance_target = http://...``), the suite's environment variables, the
suite's defaults. API keys have no ini setting: a key does not belong in a file kept in a repository.

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
}

_RUN_KEY: pytest.StashKey[SteppedRun] = pytest.StashKey()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance", "LLM gateway conformance suite")
    for dest, (_field, help_text, has_ini) in _SETTINGS.items():
        flag = "--" + dest.replace("_", "-")
        group.addoption(flag, dest=dest, default=None, help=help_text + (f" ini: {dest}" if has_ini else ""))
        if has_ini:
            parser.addini(dest, help=help_text, default="")


def _setting(config: pytest.Config, dest: str) -> str | None:
    """The command-line value, else the ini value, else None (the environment is read later)."""
    value = config.getoption(dest, default=None)
    if value is None and _SETTINGS[dest][2]:
        ini = config.getini(dest)
        value = str(ini).strip() if ini else None
    return value or None


def _explicit_options(config: pytest.Config) -> dict[str, Any]:
    return {field: _setting(config, dest) for dest, (field, _h, _i) in _SETTINGS.items()}


def pytest_configure(config: pytest.Config) -> None:
    """Build the run (contract, checks, selected requirements) before collection; send nothing yet."""
    if not _setting(config, "conformance_target"):
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

    try:
        options = build_options(_explicit_options(config), os.environ)
        config.stash[_RUN_KEY] = SteppedRun(options)
    except UsageError as exc:
        raise pytest.UsageError(f"conformance: {exc}") from None


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


_WRITTEN_KEY = pytest.StashKey[dict[str, Any]]()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Write the suite's own reports for the requirements that ran (when a report dir is set)."""
    config = session.config
    run = config.stash.get(_RUN_KEY, None)
    if run is None or not _setting(config, "conformance_report_dir"):
        return
    result = run.result()
    if result is None:
        return
    from llmgw_conformance.report import write_reports

    config.stash[_WRITTEN_KEY] = write_reports(result, run.options.report_dir, run.redactor)
