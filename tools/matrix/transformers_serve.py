"""``transformers serve`` (pinned, CPU torch) serving a tiny random Llama written by
scripts/tiny_hf_llama.py.

The server is pinned to the model folder given on its command line and answers only requests
naming that folder's path; it lists no model on ``/v1/models``. ``HF_HOME`` must exist (else
``/v1/models`` is a 500: it scans the hub cache) and ``HF_HUB_OFFLINE=1`` keeps it off the hub.
It says no version over HTTP, so the version is read from the interpreter serving the port.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from tools.matrix.cache import Cache, package_versions
from tools.matrix.processes import listener_command
from tools.matrix.recipe import Launch, port_of

TRANSFORMERS = "5.23.0"
TORCH = "2.13.0"
SCRIPTS = Path(__file__).resolve().parent / "scripts"
OFFLINE = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}


class TransformersServe:
    """The transformers serve recipe."""

    name = "transformers"
    title = "transformers serve"
    pinned = f"transformers[serving]=={TRANSFORMERS}, torch=={TORCH} (CPU)"

    def python(self, cache: Cache) -> Path:
        return cache.path("venv-transformers", "bin", "python")

    def model_dir(self, cache: Cache) -> Path:
        return cache.path("models", "tiny-hf-llama")

    def install(self, cache: Cache) -> None:
        python = cache.venv(
            "venv-transformers", [f"torch=={TORCH}", f"transformers[serving]=={TRANSFORMERS}"]
        )
        model = self.model_dir(cache)
        if not (model / "config.json").is_file():
            model.parent.mkdir(parents=True, exist_ok=True)
            cache.run_step(
                f"write {model}",
                [str(python), str(SCRIPTS / "tiny_hf_llama.py"), str(model)],
                log_name="tiny-hf-llama.log",
                env=OFFLINE,
            )

    def launch(self, cache: Cache, port: int, backends: Mapping[str, str]) -> Launch:
        hf_home = cache.path("hf-home")
        (hf_home / "hub").mkdir(parents=True, exist_ok=True)
        argv = [
            str(cache.path("venv-transformers", "bin", "transformers")),
            "serve",
            str(self.model_dir(cache)),
        ]
        argv += ["--host", "127.0.0.1", "--port", str(port), "--device", "cpu", "--log-level", "info"]
        return Launch(
            argv=argv, cwd=cache.root, env={"HF_HOME": str(hf_home), **OFFLINE}, start_timeout_s=180.0
        )

    def version(self, base_url: str, model: str) -> str:
        """transformers and torch as the interpreter serving the port imports them."""
        command = listener_command(port_of(base_url))
        if not command:
            return f"unknown (no local process serves {base_url})"
        python = Path(command[0])
        if "python" not in python.name:  # started through a console script with a shebang
            python = python.parent / "python"
        found = package_versions(python, ["transformers", "torch"])
        if not found:
            return f"unknown (could not ask {python})"
        return ", ".join(f"{name} {version}" for name, version in found.items()) + f" ({python})"
