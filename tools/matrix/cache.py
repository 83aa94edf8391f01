"""The cache folder the engines are installed into, and the few install steps they share.

Default ``/tmp/llmgw-matrix``, or ``$LLMGW_MATRIX_ROOT``. Each engine gets its own virtual
environment there (its pins must not meet the project's), and each install step is skipped when
its result is already present, so a second ``make matrix`` starts the servers at once.
Installs go through pip, the registry's ordinary client, with the machine's pip configuration.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

DEFAULT_ROOT = Path("/tmp/llmgw-matrix")
ROOT_ENV = "LLMGW_MATRIX_ROOT"
#: Longest one install step (a pip install of torch, a cmake build on 2 cores) may take.
STEP_TIMEOUT_S = 1800.0


class InstallFailed(RuntimeError):
    """An install step failed; the message names the step and its log."""


@dataclass(frozen=True)
class Cache:
    """Where engines, models and logs live."""

    root: Path

    @classmethod
    def from_env(cls, override: Path | None = None) -> Cache:
        return cls(override or Path(os.environ.get(ROOT_ENV) or DEFAULT_ROOT))

    def path(self, *parts: str) -> Path:
        return self.root.joinpath(*parts)

    def log(self, name: str) -> Path:
        return self.path("logs", name)

    def run_step(
        self,
        what: str,
        argv: Sequence[str],
        *,
        log_name: str,
        cwd: Path | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        """Run one install step (``env`` added to ours), its output in logs/<log_name>; raise on failure."""
        log = self.log(log_name)
        log.parent.mkdir(parents=True, exist_ok=True)
        print(f"  {what} (log {log})", flush=True)
        with log.open("ab") as out:
            try:
                done = subprocess.run(
                    list(argv),
                    cwd=cwd,
                    env={**os.environ, **(env or {})},
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    timeout=STEP_TIMEOUT_S,
                    check=False,
                )
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise InstallFailed(f"{what}: {exc}; log {log}") from None
        if done.returncode != 0:
            raise InstallFailed(f"{what} exited {done.returncode}; log {log}")

    def venv(self, name: str, requirements: Sequence[str]) -> Path:
        """A virtual environment ``<root>/<name>`` with ``requirements`` installed; its python."""
        folder = self.path(name)
        python = folder / "bin" / "python"
        stamp = folder / ".matrix-installed"
        wanted = "\n".join(requirements)
        if stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted:
            return python
        if not python.exists():
            self.run_step(
                f"create venv {folder}", [_base_python(), "-m", "venv", str(folder)], log_name=f"{name}.log"
            )
        pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        self.run_step(
            f"pip install {' '.join(requirements)}", pip + list(requirements), log_name=f"{name}.log"
        )
        stamp.write_text(wanted, encoding="utf-8")
        return python


def _base_python() -> str:
    """The interpreter the project's own venv was made from (a venv made from a venv is fine too)."""
    return getattr(sys, "_base_executable", None) or sys.executable


def site_packages(python: Path) -> list[Path]:
    """The site-packages folders of the venv that ``python`` belongs to."""
    return sorted(python.parent.parent.glob("lib/python3*/site-packages"))


def package_versions(python: Path, names: Sequence[str]) -> dict[str, str]:
    """``{name: version}`` as the interpreter ``python`` sees them (importlib.metadata), {} on failure."""
    code = "import importlib.metadata as m, sys\nfor n in sys.argv[1:]: print(n, m.version(n))"
    try:
        done = subprocess.run(
            [str(python), "-c", code, *names], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return {}
    if done.returncode != 0:
        return {}
    return dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
