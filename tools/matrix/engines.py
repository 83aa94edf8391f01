"""The matrix rows: which server, which model, and which other servers a row needs running.

A row is one (server, model) pair the suite judges: LiteLLM is judged twice, once on its mock
model (the proxy's own answers) and once passing through to llama-server (the proxy's rewriting of
a real engine's answers), because the two show different defects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from tools.matrix.cache import Cache
from tools.matrix.litellm_proxy import MOCK_MODEL, PASS_THROUGH_MODEL, LiteLLMProxy
from tools.matrix.llama_cpp import MODEL_ALIAS, LlamaServer
from tools.matrix.recipe import ServerRecipe
from tools.matrix.transformers_serve import TransformersServe

SERVERS: dict[str, ServerRecipe] = {
    recipe.name: recipe for recipe in (LlamaServer(), LiteLLMProxy(), TransformersServe())
}


@dataclass(frozen=True)
class Row:
    """One engine of the matrix: a server judged with one model."""

    name: str
    server: str
    model: str
    description: str
    #: Servers that must run before this one starts (passed to its launch as backends).
    needs: tuple[str, ...] = ()
    #: Extra options for ``python -m llmgw_conformance run`` (declarations, limits).
    suite_args: tuple[str, ...] = field(default=())


def rows(cache: Cache, models: Mapping[str, str] | None = None) -> list[Row]:
    """Every row, in document order; ``models`` overrides a row's model (``--model ROW=MODEL``)."""
    tf_model = str(TransformersServe().model_dir(cache))
    base = [
        Row("llama-server", "llama-server", MODEL_ALIAS, "llama.cpp's C++ server, tiny random GGUF"),
        Row("litellm-mock", "litellm", MOCK_MODEL, "LiteLLM proxy, canned mock_response model (no backend)"),
        Row(
            "litellm-tiny",
            "litellm",
            PASS_THROUGH_MODEL,
            "LiteLLM proxy passing tiny-llama through to the llama-server row",
            needs=("llama-server",),
        ),
        Row("transformers", "transformers", tf_model, "transformers serve, tiny random Llama (folder path)"),
    ]
    chosen = models or {}
    return [
        Row(r.name, r.server, chosen.get(r.name, r.model), r.description, r.needs, r.suite_args) for r in base
    ]


def row_names() -> list[str]:
    return [r.name for r in rows(Cache.from_env())]
