"""The LiteLLM proxy (pinned), serving ``mock-gpt`` (a canned ``mock_response``, no backend) and,
when a llama-server runs, ``tiny-llama`` passed through to it.

Why the pin and the .pth check: the pin predates the compromised 1.82.7/1.82.8 uploads of March
2026, whose payload was a ``.pth`` file in site-packages (run at every interpreter start); the
venv is refused if any ``.pth`` file but setuptools' own appears, after install and before every
start. ``LITELLM_LOCAL_MODEL_COST_MAP=True`` keeps the proxy from fetching its cost map.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx
import yaml

from tools.matrix.cache import Cache, InstallFailed, site_packages
from tools.matrix.recipe import Launch

LITELLM = "1.80.5"
MOCK_MODEL = "mock-gpt"
PASS_THROUGH_MODEL = "tiny-llama"
MOCK_REPLY = "Hello! This is a mocked reply from the LiteLLM proxy."
#: .pth files a clean venv may hold (setuptools' own).
ALLOWED_PTH = frozenset({"distutils-precedence.pth"})


def unexpected_pth(python: Path) -> list[Path]:
    """The .pth files in the venv of ``python`` that are not setuptools' own."""
    return [p for sp in site_packages(python) for p in sp.glob("*.pth") if p.name not in ALLOWED_PTH]


def proxy_config(backend: str | None) -> dict[str, Any]:
    """The proxy's config.yaml: the mock model, and the pass-through model when a backend runs."""
    models: list[dict[str, Any]] = [
        {
            "model_name": MOCK_MODEL,
            "litellm_params": {
                "model": f"openai/{MOCK_MODEL}",
                "api_key": "sk-fake",
                "api_base": "http://127.0.0.1:9/v1",  # discard port: the mock never calls it
                "mock_response": MOCK_REPLY,
            },
        }
    ]
    if backend:
        models.append(
            {
                "model_name": PASS_THROUGH_MODEL,
                "litellm_params": {
                    "model": f"openai/{PASS_THROUGH_MODEL}",
                    "api_key": "sk-none",
                    "api_base": backend.rstrip("/") + "/v1",
                },
            }
        )
    return {"model_list": models, "litellm_settings": {"telemetry": False}}


class LiteLLMProxy:
    """The LiteLLM proxy recipe."""

    name = "litellm"
    title = "LiteLLM proxy"
    pinned = f"litellm[proxy]=={LITELLM}"

    def python(self, cache: Cache) -> Path:
        return cache.path("venv-litellm", "bin", "python")

    def install(self, cache: Cache) -> None:
        python = cache.venv("venv-litellm", [f"litellm[proxy]=={LITELLM}"])
        self._refuse_pth(python)

    @staticmethod
    def _refuse_pth(python: Path) -> None:
        found = unexpected_pth(python)
        if found:
            raise InstallFailed(f"unexpected .pth file(s) in the litellm venv: {', '.join(map(str, found))}")

    def launch(self, cache: Cache, port: int, backends: Mapping[str, str]) -> Launch:
        self._refuse_pth(self.python(cache))
        folder = cache.path("litellm")
        folder.mkdir(parents=True, exist_ok=True)
        config = folder / "config.yaml"
        config.write_text(yaml.safe_dump(proxy_config(backends.get("llama-server")), sort_keys=False))
        argv = [str(cache.path("venv-litellm", "bin", "litellm")), "--config", str(config)]
        argv += ["--host", "127.0.0.1", "--port", str(port)]
        return Launch(
            argv=argv, cwd=folder, env={"LITELLM_LOCAL_MODEL_COST_MAP": "True"}, start_timeout_s=180.0
        )

    def version(self, base_url: str, model: str) -> str:
        """The ``x-litellm-version`` header of a one-token chat answer (else /health/readiness)."""
        body = {"model": model, "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 1}
        try:
            answer = httpx.post(base_url.rstrip("/") + "/v1/chat/completions", json=body, timeout=30.0)
            if answer.headers.get("x-litellm-version"):
                return f"{answer.headers['x-litellm-version']} (x-litellm-version header)"
            ready = httpx.get(base_url.rstrip("/") + "/health/readiness", timeout=10.0).json()
            if isinstance(ready, dict) and ready.get("litellm_version"):
                return f"{ready['litellm_version']} (/health/readiness)"
        except (httpx.HTTPError, ValueError):
            pass
        return "unknown (no x-litellm-version header)"
