"""The OpenAI-compatible and generate surfaces of the reference server.

``routes()`` is what ``reference.app`` mounts.  Handlers find the runtime at request time
(``request.app.state.runtime``), so the routes can be built before the runtime exists; the
``runtime`` argument is accepted for the interface's signature and not needed.
"""

from __future__ import annotations

from starlette.routing import Route

from reference.surfaces.generate import generate
from reference.surfaces.openai_chat import create_chat_completion
from reference.surfaces.openai_embeddings import create_embeddings
from reference.surfaces.openai_models import list_models
from reference.surfaces.rerank import create_rerank


def routes(runtime: object | None = None) -> list[Route]:
    """The surface routes: chat completions, models, embeddings, rerank and generate."""
    del runtime  # handlers read request.app.state.runtime
    return [
        Route("/v1/chat/completions", create_chat_completion, methods=["POST"]),
        Route("/v1/models", list_models, methods=["GET"]),
        Route("/v1/embeddings", create_embeddings, methods=["POST"]),
        Route("/v1/rerank", create_rerank, methods=["POST"]),
        Route("/v1/generate/{model}", generate, methods=["POST"]),
    ]
