"""Every check reports through :class:`llmgw_conformance.probes.verdicts.Verdicts`, and only through it.

Why: five ways of reporting (direct ``ctx.passed``/``failed``/``skipped``/``not_supported`` calls,
two collectors, a flow's ``expect``, ``raise TargetViolation``) gave five slightly different rules
for the same question (does a skip outrank a pass? is a requirement no probe reached skipped or
silent?). The context's reporting methods stay as the sink :class:`Verdicts` writes to; no check
module, and no probe module but the collector itself, calls them. Read from the source (AST), so a
call in a nested helper is caught too. The detectors are tested on small snippets first, so the
test can fail.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import llmgw_conformance

PACKAGE_ROOT = Path(llmgw_conformance.__file__).parent
#: The context's reporting methods: only the collector writes to them.
SINK_METHODS = frozenset({"passed", "failed", "skipped", "not_supported"})
#: Reporting ways that are gone from the suite's own checks.
RETIRED_NAMES = frozenset({"TargetViolation", "StreamVerdicts"})
#: The one module allowed to write to the context's sink.
COLLECTOR = PACKAGE_ROOT / "probes" / "verdicts.py"


def _names_ctx(node: ast.expr) -> bool:
    """``ctx`` or ``<anything>.ctx`` (a flow run's context, ``self._ctx``)."""
    if isinstance(node, ast.Name):
        return node.id in ("ctx", "_ctx", "context")
    return isinstance(node, ast.Attribute) and node.attr in ("ctx", "_ctx", "context")


def direct_reports(source: str) -> list[str]:
    """``ctx.<sink method>(...)`` calls and uses of a retired reporting name in ``source``."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in SINK_METHODS
            and _names_ctx(node.func.value)
        ):
            found.append(f"line {node.lineno}: ctx.{node.func.attr}(...)")
        elif isinstance(node, ast.Name) and node.id in RETIRED_NAMES:
            found.append(f"line {node.lineno}: {node.id}")
        elif isinstance(node, ast.ImportFrom):
            found += [f"line {node.lineno}: import {a.name}" for a in node.names if a.name in RETIRED_NAMES]
    return found


def getattr_on_own_objects(source: str) -> list[str]:
    """``getattr(ctx..., ...)`` calls: the context, its target, contract and options are typed."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr":
            subject = node.args[0] if node.args else None
            while isinstance(subject, ast.Attribute):
                subject = subject.value
            if isinstance(subject, ast.Name) and subject.id == "ctx":
                found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("def c(ctx):\n    ctx.passed('R', 'ok')\n", 1),
        ("def c(run):\n    run.ctx.failed('R', 'no')\n", 1),
        ("def c(self):\n    self._ctx.skipped('R', 'why')\n", 1),
        ("def c(ctx):\n    raise TargetViolation('R', 'broken')\n", 1),
        ("from llmgw_conformance.probes.stream_findings import StreamVerdicts\n", 1),
        ("def c(ctx, verdicts):\n    verdicts.passed('R', 'ok')\n    verdicts.not_supported('R', 'x')\n", 0),
    ],
)
def test_the_detector_finds_direct_reports(snippet: str, expected: int) -> None:
    assert len(direct_reports(snippet)) == expected


def test_the_detector_finds_getattr_on_the_context() -> None:
    assert getattr_on_own_objects("def c(ctx):\n    getattr(ctx.target, 'profiles', None)\n")
    assert not getattr_on_own_objects("def c(r):\n    getattr(r, 'content', None)\n")


def _modules() -> list[Path]:
    paths = sorted((PACKAGE_ROOT / "checks").glob("*.py")) + sorted((PACKAGE_ROOT / "probes").glob("*.py"))
    return [p for p in paths if p != COLLECTOR]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_checks_and_probes_report_through_verdicts(path: Path) -> None:
    found = direct_reports(path.read_text(encoding="utf-8"))
    assert not found, f"{path.name} reports around Verdicts: {found}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_getattr_fallback_on_the_suites_own_objects(path: Path) -> None:
    found = getattr_on_own_objects(path.read_text(encoding="utf-8"))
    assert not found, f"{path.name} reads the typed context through getattr: {found}"


def test_the_collector_is_the_one_writer() -> None:
    """The collector does write to the sink (else the test above would prove nothing)."""
    assert direct_reports(COLLECTOR.read_text(encoding="utf-8"))
