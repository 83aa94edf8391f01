"""llama.cpp's C++ ``llama-server``, built from the llama.cpp source vendored in the
llama-cpp-python sdist (pinned), serving a tiny random GGUF written by scripts/tiny_gguf.py.

Why that source: PyPI is the one registry this project uses, and the sdist carries a known
llama.cpp commit. Only the ``llama-server`` cmake target is built (static, no web UI download,
no OpenSSL): about 7-11 min on 2 cores, once per cache folder. The build uses the compiler's
defaults for this machine (llama.cpp's GGML_NATIVE), so a cache is reused only on the same kind of
machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from collections.abc import Mapping
from pathlib import Path

import httpx

from tools.matrix.cache import Cache
from tools.matrix.processes import listener_command
from tools.matrix.recipe import Launch, port_of

LLAMA_CPP_PYTHON = "0.3.36"
GGUF = "0.19.0"
MODEL_ALIAS = "tiny-llama"
SCRIPTS = Path(__file__).resolve().parent / "scripts"
CMAKE_OPTIONS = (
    "-DCMAKE_BUILD_TYPE=Release",
    "-DBUILD_SHARED_LIBS=OFF",
    "-DLLAMA_USE_PREBUILT_UI=OFF",  # else configure downloads the web UI
    "-DLLAMA_BUILD_UI=OFF",
    "-DLLAMA_OPENSSL=OFF",
    "-DLLAMA_BUILD_TESTS=OFF",
    "-DLLAMA_BUILD_EXAMPLES=OFF",
)


class LlamaServer:
    """The llama.cpp server recipe."""

    name = "llama-server"
    title = "llama.cpp llama-server"
    pinned = (
        f"llama.cpp vendored in the llama-cpp-python=={LLAMA_CPP_PYTHON} sdist; "
        f"model GGUF written with gguf=={GGUF}"
    )

    def source(self, cache: Cache) -> Path:
        return cache.path("src", f"llama_cpp_python-{LLAMA_CPP_PYTHON}", "vendor", "llama.cpp")

    def binary(self, cache: Cache) -> Path:
        return self.source(cache) / "build" / "bin" / "llama-server"

    def model_file(self, cache: Cache) -> Path:
        return cache.path("models", "tiny-llama.gguf")

    def install(self, cache: Cache) -> None:
        if not self.binary(cache).is_file():
            self._build(cache)
        model = self.model_file(cache)
        if not model.is_file():
            python = cache.venv("venv-gguf", [f"gguf=={GGUF}"])
            model.parent.mkdir(parents=True, exist_ok=True)
            script = str(SCRIPTS / "tiny_gguf.py")
            cache.run_step(f"write {model}", [str(python), script, str(model)], log_name="tiny-gguf.log")

    def _build(self, cache: Cache) -> None:
        downloads = cache.path("dl")
        sdist = downloads / f"llama_cpp_python-{LLAMA_CPP_PYTHON}.tar.gz"
        if not sdist.is_file():
            pip = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:"]
            cache.run_step(
                f"download llama-cpp-python=={LLAMA_CPP_PYTHON} sdist",
                [*pip, f"llama-cpp-python=={LLAMA_CPP_PYTHON}", "-d", str(downloads)],
                log_name="llama-server-build.log",
            )
        with tarfile.open(sdist) as archive:
            archive.extractall(cache.path("src"), filter="data")
        src, build = self.source(cache), self.source(cache) / "build"
        cache.run_step(
            "cmake configure llama.cpp",
            ["cmake", "-S", str(src), "-B", str(build), *CMAKE_OPTIONS],
            log_name="llama-server-build.log",
        )
        jobs = str(os.cpu_count() or 1)
        cache.run_step(
            "cmake build llama-server (several minutes)",
            ["cmake", "--build", str(build), "--target", "llama-server", "-j", jobs],
            log_name="llama-server-build.log",
        )

    def launch(self, cache: Cache, port: int, backends: Mapping[str, str]) -> Launch:
        argv = [str(self.binary(cache)), "-m", str(self.model_file(cache)), "--alias", MODEL_ALIAS]
        argv += ["--host", "127.0.0.1", "--port", str(port), "-c", "2048", "-t", "2", "--jinja"]
        return Launch(argv=argv, cwd=cache.root, start_timeout_s=60.0)

    def version(self, base_url: str, model: str) -> str:
        """``/props`` build_info, and ``llama-server --version`` of the binary serving the port."""
        parts: list[str] = []
        try:
            props = httpx.get(base_url.rstrip("/") + "/props", timeout=5.0).json()
            if isinstance(props, dict) and props.get("build_info"):
                parts.append(f"build {props['build_info']} (/props)")
        except (httpx.HTTPError, ValueError):
            pass
        command = listener_command(port_of(base_url))
        if command:
            try:
                done = subprocess.run(
                    [command[0], "--version"], capture_output=True, text=True, timeout=20, check=False
                )
                line = next(
                    (x for x in (done.stderr + done.stdout).splitlines() if x.startswith("version")), ""
                )
                if line:
                    parts.append(f"{line.strip()} (--version)")
            except (OSError, subprocess.TimeoutExpired):
                pass
        return "; ".join(parts) or "unknown (no /props build_info, no binary found)"
