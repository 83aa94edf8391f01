"""``llmgw_conformance/checks/`` holds rules only, and no check module imports another.

Why: a check module that imports another as a library ties two rules together (moving or retiring
one breaks the other) and hides shared machinery among the rules; that machinery lives in
:mod:`llmgw_conformance.probes`, which in turn never imports a check module nor registers a check.
Read from the source (AST), so a lazy import inside a function is caught too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import llmgw_conformance

PACKAGE_ROOT = Path(llmgw_conformance.__file__).parent
CHECKS = PACKAGE_ROOT / "checks"
PROBES = PACKAGE_ROOT / "probes"
CHECKS_PACKAGE = "llmgw_conformance.checks"


def imported_check_modules(source: str, package: str) -> list[str]:
    """Every ``llmgw_conformance.checks`` module (or the package itself) that ``source`` imports.

    ``package`` is the importing module's package, to resolve relative imports.
    """
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if _is_checks(a.name)]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, package)
            if base == CHECKS_PACKAGE:
                found += [f"{base}.{a.name}" for a in node.names]
            elif _is_checks(base):
                found.append(base)
    return found


def registers_a_check(source: str) -> bool:
    """Whether ``source`` defines a function decorated with ``@check(...)``."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
                if name == "check":
                    return True
    return False


def _is_checks(module: str) -> bool:
    return module == CHECKS_PACKAGE or module.startswith(CHECKS_PACKAGE + ".")


def _absolute(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    parts = package.split(".")
    base = ".".join(parts[: len(parts) - node.level + 1])
    return f"{base}.{node.module}" if node.module else base


def _modules(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.py") if p.name != "__init__.py")


def test_no_check_module_imports_another() -> None:
    offenders = {
        path.name: imported
        for path in _modules(CHECKS)
        if (imported := imported_check_modules(path.read_text(), CHECKS_PACKAGE))
    }
    assert offenders == {}, "check modules importing check modules; move the shared part to probes/"


def test_every_check_module_registers_a_check() -> None:
    machinery = [path.name for path in _modules(CHECKS) if not registers_a_check(path.read_text())]
    assert machinery == [], "modules in checks/ without a registered check belong in probes/"


def test_probes_neither_import_checks_nor_register_them() -> None:
    modules = _modules(PROBES)
    assert modules, "llmgw_conformance/probes has no modules"
    importing = [p.name for p in modules if imported_check_modules(p.read_text(), "llmgw_conformance.probes")]
    registering = [p.name for p in modules if registers_a_check(p.read_text())]
    assert (importing, registering) == ([], [])


def test_the_rule_sees_every_form_of_import() -> None:
    """The detector itself: absolute, from-package, relative and function-local imports all count."""
    source = (
        "import llmgw_conformance.checks.streams_native\n"
        "from llmgw_conformance.checks import catalog\n"
        "from llmgw_conformance.checks.pools import put_pool\n"
        "from .sessions import get_session\n"
        "from . import flows\n"
        "from llmgw_conformance.probes.task_requests import task_body\n"
        "def later():\n"
        "    from llmgw_conformance.checks.framing import limits\n"
    )
    assert sorted(imported_check_modules(source, CHECKS_PACKAGE)) == [
        "llmgw_conformance.checks.catalog",
        "llmgw_conformance.checks.flows",
        "llmgw_conformance.checks.framing",
        "llmgw_conformance.checks.pools",
        "llmgw_conformance.checks.sessions",
        "llmgw_conformance.checks.streams_native",
    ]
    assert registers_a_check("@check('x', requirements=['A'])\ndef x(ctx): ...\n")
    assert registers_a_check("@registry.check('x')\ndef x(ctx): ...\n")
    assert not registers_a_check("def task_body(ctx): ...\n")
