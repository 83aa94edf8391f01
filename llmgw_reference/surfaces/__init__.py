"""The OpenAI-compatible and generate surfaces of the reference server.

``routes()`` is what ``llmgw_reference.app`` mounts.  Handlers find the runtime at request time
(``request.app.state.runtime``), so the routes can be built before the runtime exists; the
``runtime`` argument is accepted for the interface's signature and not needed.

What the synthetic engine does where a real model would decide (all deterministic):

* Each chat candidate is one native task (workload completion, priority interactive, deadline
  120 s, or what is left of the request's ``deadline_ms``), so admission, deadlines, cancellation
  and fault modes apply to every surface.
* Seeds: choice ``i`` uses ``(seed + i) mod 2**64``; without a seed, temperature 0 means seed 0
  (greedy is deterministic); otherwise candidates are random.  ``best_of`` runs that many
  candidates and returns the ``n`` with the highest cumulative logprob.
* Tools: ``tool_choice`` ``none`` calls nothing; ``auto`` (the default) calls the tools whose
  name appears in the last user message; ``required`` calls those, or the first tool; a named
  choice calls that function; ``parallel_tool_calls: false`` keeps the first call.  Arguments are
  built from the function's ``parameters`` schema, seeded by the generated text.
* ``response_format`` ``json_object`` gives ``{"text": <generated text>}``; ``json_schema`` a value
  of the schema (OpenAI's ``{name, schema}`` wrapper or a bare schema).
* A choice cut by the token limit finishes ``length`` even when it carries tool calls or JSON.
* Usage: ``prompt_tokens`` counts the rendered prompt once; ``completion_tokens`` sums the
  returned choices (as OpenAI does), so with ``n > 1`` it may exceed the per-choice limit.
"""

from __future__ import annotations

from starlette.routing import Route

from llmgw_reference.surfaces.generate import generate
from llmgw_reference.surfaces.openai_chat import create_chat_completion
from llmgw_reference.surfaces.openai_embeddings import create_embeddings
from llmgw_reference.surfaces.openai_models import list_models
from llmgw_reference.surfaces.rerank import create_rerank


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
