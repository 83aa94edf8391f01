"""Real reports for the verification tests: the suite run over HTTP against the reference.

Each report is made once per session by the suite's own CLI (``llm-gateway-conformance run``, in
process): the embedded reference (a uvicorn subprocess on a free 127.0.0.1 port), the same in
fault modes (``--fault native-double-end``, which sends a native stream's terminal event twice, and
``sse-wrong-content-type``), and a ``--check`` rerun that leaves most of a profile's MUST
requirements not run. Profile ``tasks`` keeps the runs short while covering native streams, SSE
framing and error answers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from llmgw_conformance.cli import main
from llmgw_conformance.embedded import EmbeddedReference

#: The fault the failing report is made against, and the requirement it breaks.
FAULT = "native-double-end"
FAULT_BREAKS = "NAT-TERMINAL-ONCE"


class FaultyReference(EmbeddedReference):
    """The reference started with ``--fault NAME``."""

    def __init__(self, fault: str) -> None:
        super().__init__()
        self.fault = fault

    @property
    def command(self) -> list[str]:
        return [*super().command, "--fault", self.fault]


def _run(report_dir: Path, *args: str) -> int:
    return main(["run", "--profile", "tasks", "--report-dir", str(report_dir), *args])


@pytest.fixture(scope="session")
def fresh_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """report.json of a run against the embedded reference (exit 1 allowed: on a loaded machine a
    timing rule such as DL-FIRES may fail; whatever it says, the report must verify)."""
    folder = tmp_path_factory.mktemp("verify-fresh")
    assert _run(folder) in (0, 1)
    return folder / "report.json"


def faulty_run(folder: Path, fault: str, *extra: str) -> int:
    """Run profile ``tasks`` (and ``extra`` options) against the reference in fault mode ``fault``."""
    server = FaultyReference(fault)
    server.start()
    try:
        code = _run(
            folder,
            "--target",
            server.base_url,
            "--api-key",
            server.api_key,
            "--restricted-api-key",
            server.restricted_api_key,
            *extra,
        )
    finally:
        server.stop()
    return code


@pytest.fixture(scope="session")
def fault_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """report.json of a run against the reference in fault mode :data:`FAULT` (a MUST fails)."""
    folder = tmp_path_factory.mktemp("verify-fault")
    assert faulty_run(folder, FAULT) == 1
    return folder / "report.json"


@pytest.fixture(scope="session")
def undeclared_fault_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """report.json against ``--fault chat-error-without-done``: a chat stream ends on an error
    chunk with no [DONE], which chat-stream-grammar reports as CHAT-ERROR-EVENT, a rule it does not
    declare (it judges it only when a stream it reads happens to carry an error)."""
    folder = tmp_path_factory.mktemp("verify-undeclared")
    assert faulty_run(folder, "chat-error-without-done", "--profile", "openai-chat") == 1
    return folder / "report.json"


@pytest.fixture(scope="session")
def rerun_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """report.json of a ``--check native-stream-grammar`` rerun: the profile's other MUSTs not run."""
    folder = tmp_path_factory.mktemp("verify-rerun")
    assert _run(folder, "--check", "native-stream-grammar") == 0
    return folder / "report.json"
