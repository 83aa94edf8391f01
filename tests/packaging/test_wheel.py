"""The wheel, installed as a user installs it: fresh virtualenvs, outside the checkout.

Why: every lookup that works in the checkout (files found beside the source, the repository root on
``sys.path``, dev tools installed) can fail once installed, and did: the suite could not find the
contract, the reference answered 500, the wheel put ``tools`` and ``generated`` into
site-packages. So this builds the wheel from a copy of the sources, installs it into two fresh
virtualenvs (dependencies from the package index, at the versions of ``constraints.txt``), and from
an unrelated folder runs what a user runs: the console script against the embedded reference, the
reference itself, pytest with the plugin, and the SDK from an install without the suite's extras.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import venv
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.parser import Parser
from pathlib import Path

import httpx
import pytest

from llmgw_conformance.contract import LoadedContract

REPO_ROOT = Path(__file__).resolve().parents[2]
CONSTRAINTS = REPO_ROOT / "constraints.txt"
OUR_PACKAGES = {"llmgw_conformance", "llmgw_contracts", "llmgw_generated", "llmgw_reference", "llmgw_sdk"}
#: What the wheel is built from: everything else in the checkout (tools, tests) stays out.
SOURCES = ("setup.py", "pyproject.toml", "README.md", "contracts", *sorted(OUR_PACKAGES))
INSTALL_TIMEOUT_S = 600

# Building two virtualenvs and installing the suite's dependencies takes a minute or two.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]


@dataclass(frozen=True)
class Venv:
    root: Path

    @property
    def bin(self) -> Path:
        return self.root / "bin"

    @property
    def python(self) -> str:
        return str(self.bin / "python")

    def installed_bytes(self) -> int:
        return sum(f.stat().st_size for f in self.root.rglob("*") if f.is_file() and not f.is_symlink())


def clean_env() -> dict[str, str]:
    """This environment without what would point a child at the checkout or change the suite's run."""
    dropped = {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP"}
    return {
        key: value
        for key, value in os.environ.items()
        if key not in dropped and not key.startswith(("LLMGW_", "GATEWAY_", "PYTEST_"))
    }


def run(cmd: list[str], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=clean_env(), capture_output=True, text=True, timeout=timeout)


def make_venv(root: Path, requirement: str, *extra: str) -> Venv:
    venv.EnvBuilder(with_pip=True, clear=True).create(root)
    env = Venv(root)
    installed = run(
        [env.python, "-m", "pip", "install", "-q", "-c", str(CONSTRAINTS), requirement, *extra],
        cwd=root,
        timeout=INSTALL_TIMEOUT_S,
    )
    assert installed.returncode == 0, installed.stderr[-4000:]
    return env


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sources the wheel is made of (no stale build/ folder can leak in)."""
    source = tmp_path_factory.mktemp("wheel") / "src"
    source.mkdir()
    for name in SOURCES:
        path = REPO_ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(path, source / name)
    return source


@pytest.fixture(scope="module")
def wheel(source: Path) -> Path:
    """The project's wheel, built with this environment's setuptools (no download)."""
    out = source.parent / "dist"
    built = run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(source),
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
        ],
        cwd=source.parent,
    )
    assert built.returncode == 0, built.stderr[-4000:]
    (found,) = out.glob("llm_gateway_contract-*.whl")
    return found


@pytest.fixture(scope="module")
def full(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """The suite (which brings the reference, its default target) and pytest, as a vendor's CI has them."""
    return make_venv(tmp_path_factory.mktemp("venv") / "full", f"{wheel}[suite]", "pytest")


@pytest.fixture(scope="module")
def sdk_only(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """The base install: the SDK and the generated client, nothing of the suite or the reference."""
    return make_venv(tmp_path_factory.mktemp("venv") / "sdk", str(wheel))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def reference(env: Venv, cwd: Path, api_key: str) -> Iterator[str]:
    """``python -m llmgw_reference`` of the installed package on a free port; yields its base URL."""
    port = free_port()
    log = (cwd / "reference.log").open("w")
    proc = subprocess.Popen(
        [
            env.python,
            "-m",
            "llmgw_reference",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--api-key",
            api_key,
        ],
        cwd=cwd,
        env=clean_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, (cwd / "reference.log").read_text()
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the reference did not answer /healthz within 60 s"
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def test_the_wheel_holds_only_our_packages_and_the_contract(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        (record,) = (n for n in names if n.endswith(".dist-info/RECORD"))
        metadata = Parser().parsestr(archive.read(record.replace("RECORD", "METADATA")).decode())
        recorded = [line.split(",")[0] for line in archive.read(record).decode().splitlines() if line]
    top_level = {name.split("/")[0] for name in recorded if not name.split("/")[0].endswith(".dist-info")}
    assert top_level == OUR_PACKAGES
    for data in ("openapi/common.yaml", "openapi/control.yaml", "openapi/data.yaml"):
        assert f"llmgw_contracts/data/{data}" in names
    assert "llmgw_contracts/data/requirements.yaml" in names
    assert "llmgw_contracts/data/report.schema.yaml" in names
    assert "llmgw_conformance/report/templates/report.html.j2" in names
    # Ranges, not pins; the base install is the SDK's: no server or suite dependency without an extra.
    base = [r for r in metadata.get_all("Requires-Dist") or [] if "extra ==" not in r]
    assert base and not [r for r in base if "==" in r]
    assert not [
        r for r in base if r.split("<")[0].split(">")[0].strip() in {"fastapi", "schemathesis", "uvicorn"}
    ]
    assert {"suite", "reference"} <= set(metadata.get_all("Provides-Extra") or [])


def test_the_console_script_judges_the_embedded_reference_from_anywhere(
    full: Venv, source: Path, tmp_path: Path
) -> None:
    reports = tmp_path / "reports"
    result = run(
        [str(full.bin / "llm-gateway-conformance"), "run", "--report-dir", str(reports)], cwd=tmp_path
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    assert "Traceback" not in result.stderr
    report = json.loads((reports / "report.json").read_text())
    # The installed suite judged against the contract it carries: the one it was built from.
    built_from = LoadedContract(source / "contracts")
    assert report["contract"]["hash"] == built_from.hash
    assert len(report["requirements"]) == len(built_from.requirement_list)
    assert (reports / "junit.xml").is_file() and (reports / "report.html").is_file()
    listed = run([full.python, "-m", "llmgw_conformance", "list", "requirements"], cwd=tmp_path)
    assert listed.returncode == 0 and "SSE-DATA-JSON" in listed.stdout, listed.stderr


def test_the_installed_reference_answers_from_its_contract(full: Venv, tmp_path: Path) -> None:
    key = "sk-wheel-test"
    with reference(full, tmp_path, key) as base:
        auth = {"Authorization": f"Bearer {key}"}
        models = httpx.get(f"{base}/v1/models", headers=auth, timeout=10)
        assert models.status_code == 200, models.text
        model = models.json()["data"][0]["id"]
        chat = {"model": model, "messages": [{"role": "user", "content": "hi"}], "max_tokens": 4}
        answer = httpx.post(f"{base}/v1/chat/completions", json=chat, headers=auth, timeout=30)
        assert answer.status_code == 200, answer.text
        # Bad input is judged by the contract's own schema (read from the packaged files): 400, not 500.
        bad = httpx.post(
            f"{base}/v1/chat/completions", json={**chat, "max_tokens": "4"}, headers=auth, timeout=10
        )
        assert bad.status_code == 400, bad.text
        assert httpx.get(f"{base}/v1/models", timeout=10).status_code == 401


def test_pytest_starts_with_the_plugin_installed(full: Venv, tmp_path: Path) -> None:
    (tmp_path / "test_smoke.py").write_text("def test_smoke():\n    assert True\n")
    ran = run([full.python, "-m", "pytest", "-p", "no:cacheprovider", "test_smoke.py"], cwd=tmp_path)
    assert ran.returncode == 0, ran.stdout[-4000:]
    assert "INTERNALERROR" not in ran.stdout + ran.stderr
    helped = run([full.python, "-m", "pytest", "--help"], cwd=tmp_path)
    assert "--conformance-target" in helped.stdout


def test_the_sdk_installs_alone_and_talks_to_the_reference(
    sdk_only: Venv, full: Venv, tmp_path: Path
) -> None:
    for absent in ("fastapi", "schemathesis", "uvicorn", "hypothesis", "yaml"):
        probe = run([sdk_only.python, "-c", f"import {absent}"], cwd=tmp_path)
        assert probe.returncode != 0 and "ModuleNotFoundError" in probe.stderr, absent
    # A fraction of the full install (both measured as the whole virtualenv, pip included).
    sdk_bytes, full_bytes = sdk_only.installed_bytes(), full.installed_bytes()
    print(f"installed size: SDK only {sdk_bytes / 1e6:.0f} MB, suite and pytest {full_bytes / 1e6:.0f} MB")
    assert sdk_bytes < full_bytes / 2
    script = (
        "import sys\n"
        "from llmgw_sdk import GatewayClient\n"
        "with GatewayClient(sys.argv[1], api_key=sys.argv[2]) as client:\n"
        "    print(client.list_models().data[0].id)\n"
    )
    with reference(full, tmp_path, "sk-sdk-test") as base:
        listed = run([sdk_only.python, "-c", script, base, "sk-sdk-test"], cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr[-4000:]
    assert listed.stdout.strip()
    # A user's own pytest run is not broken by our plugin, though the suite's extras are missing.
    added = run(
        [sdk_only.python, "-m", "pip", "install", "-q", "-c", str(CONSTRAINTS), "pytest"], cwd=tmp_path
    )
    assert added.returncode == 0, added.stderr[-4000:]
    (tmp_path / "test_user.py").write_text("def test_user():\n    assert True\n")
    ran = run([sdk_only.python, "-m", "pytest", "-p", "no:cacheprovider", "test_user.py"], cwd=tmp_path)
    assert ran.returncode == 0 and "INTERNALERROR" not in ran.stdout, ran.stdout[-4000:]
    wanted = run(
        [sdk_only.python, "-m", "pytest", "--conformance-target", "http://127.0.0.1:9"], cwd=tmp_path
    )
    assert wanted.returncode == 4 and "llm-gateway-contract[suite" in wanted.stderr, wanted.stderr[-2000:]
