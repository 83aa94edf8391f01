"""pytest plugin: run the conformance suite as pytest items, one per requirement.

Why a plugin beside the CLI: teams that already gate releases on pytest get one item per
requirement (node id ``conformance::REQ-ID``) with the finding's message as the failure, in their
own JUnit output. It is registered through the ``pytest11`` entry point, so it is loaded in every
pytest run of this project too: without ``--conformance-target`` it adds its options and does
nothing else at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from llmgw_conformance.results import RequirementResult, RunResult


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance", "LLM gateway conformance suite")
    group.addoption("--conformance-target", default=None, help="Base URL of the gateway to judge.")
    group.addoption(
        "--conformance-profile", default=None, help="Comma-separated profiles (default: the defaults)."
    )
    group.addoption(
        "--conformance-check", default=None, help="Comma-separated check names or requirement ids."
    )
    group.addoption("--conformance-api-key", default=None, help="API key (default: env API_KEY).")
    group.addoption("--conformance-restricted-api-key", default=None, help="Key with control:read only.")
    group.addoption("--conformance-seed", default=None, help="Seed of every random choice (default 0).")
    group.addoption("--conformance-model", default=None, help="Model the checks use.")
    group.addoption("--conformance-report-dir", default=None, help="Also write the reports there.")
    group.addoption("--conformance-checks-module", default=None, help="Extra modules registering checks.")


def _explicit_options(config: pytest.Config) -> dict[str, Any]:
    return {
        "target": config.getoption("conformance_target"),
        "profiles": config.getoption("conformance_profile"),
        "checks": config.getoption("conformance_check"),
        "api_key": config.getoption("conformance_api_key"),
        "restricted_api_key": config.getoption("conformance_restricted_api_key"),
        "seed": config.getoption("conformance_seed"),
        "model": config.getoption("conformance_model"),
        "report_dir": config.getoption("conformance_report_dir"),
        "check_modules": config.getoption("conformance_checks_module"),
    }


class ConformanceFile(pytest.File):
    """A virtual collector holding one item per requirement of the run."""

    def collect(self) -> Iterator[pytest.Item]:
        result: RunResult = self.config.stash[_RESULT_KEY]
        for requirement in result.requirements.values():
            yield RequirementItem.from_parent(self, name=requirement.id, result=requirement)


class RequirementItem(pytest.Item):
    """One requirement's verdict as a pytest test: failed/error fail it, skipped skip it."""

    def __init__(self, *, result: RequirementResult, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.result = result

    def runtest(self) -> None:
        outcome = self.result.outcome.value
        if outcome in ("failed", "error"):
            raise RequirementFailure(self.result)
        if outcome in ("skipped", "not_supported"):
            pytest.skip(f"{outcome}: {self.result.summary()}")

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, RequirementFailure):
            return excinfo.value.render()
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"{self.result.id} ({self.result.level})"


class RequirementFailure(Exception):
    """Carries the requirement result to :meth:`RequirementItem.repr_failure`."""

    def __init__(self, result: RequirementResult) -> None:
        super().__init__(result.id)
        self.result = result

    def render(self) -> str:
        return self.result.failure_text()


_RESULT_KEY = pytest.StashKey["RunResult"]()


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("conformance_target", default=None):
        return
    import os

    from llmgw_conformance.options import build_options
    from llmgw_conformance.redaction import Redactor
    from llmgw_conformance.registry import UsageError
    from llmgw_conformance.report import write_reports
    from llmgw_conformance.runner import run_suite

    try:
        options = build_options(_explicit_options(config), os.environ)
        result = run_suite(options)
    except UsageError as exc:
        raise pytest.UsageError(f"conformance: {exc}") from None
    config.stash[_RESULT_KEY] = result
    if config.getoption("conformance_report_dir"):
        redactor = Redactor.for_keys(options.api_key, options.restricted_api_key)
        write_reports(result, options.report_dir, redactor)


def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    if _RESULT_KEY not in config.stash:
        return
    collector = ConformanceFile.from_parent(session, path=Path(str(config.rootpath)) / "conformance")
    items[:] = [*collector.collect()]
