"""RESP-SCHEMA on the answers to the cheapest valid request of each OpenAI-compatible operation.

Why: the schema-driven check judges what schemathesis generates, and against a real server nearly
every generated request is refused (a model it does not serve, a parameter it does not take), so a
short run may judge not one 200 answer of ``createChatCompletion``: a body missing a key the schema
requires (``choices[].message.refusal``) then passes unseen. Here one valid request per operation
the target claims (the model the run uses, one output token) is sent, and its 2xx answer is judged
against the schema the contract gives for that operation's answer. A refusal of that request is
not judged here: the surface checks own a refused valid request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from llmgw_conformance.context import CheckContext
from llmgw_conformance.probes.openai_answers import tiny_chat
from llmgw_conformance.probes.target_claims import claims, model_for
from llmgw_conformance.probes.verdicts import Verdicts
from llmgw_conformance.registry import check

#: operationId -> (profile that claims it, body of its cheapest valid request; None: a GET).
PROBES: Final[dict[str, tuple[str, Callable[[CheckContext], dict[str, Any] | None]]]] = {
    "createChatCompletion": ("openai-chat", lambda ctx: tiny_chat(ctx)),
    "listModels": ("openai-chat", lambda ctx: None),
    "createEmbeddings": (
        "embeddings",
        lambda ctx: {"model": model_for(ctx, "embedding")[0], "input": ["hello"]},
    ),
    "createRerank": (
        "rerank",
        lambda ctx: {"model": model_for(ctx, "rerank")[0], "query": "hello", "documents": ["hello", "world"]},
    ),
}


def answer_schema(operation: Mapping[str, Any]) -> str | None:
    """The component name of an operation's 200 JSON answer (``#/components/schemas/X`` -> X)."""
    content = ((operation.get("responses") or {}).get("200") or {}).get("content") or {}
    ref = ((content.get("application/json") or {}).get("schema") or {}).get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


@check(
    "answer-schemas",
    requirements=["RESP-SCHEMA"],
    profiles=["openai-chat", "embeddings", "rerank"],
)
def answer_schemas(ctx: CheckContext) -> None:
    """The 2xx answer to a valid chat, models, embeddings and rerank request matches its schema."""
    verdicts = Verdicts(ctx, ["RESP-SCHEMA"])
    for operation_id, (profile, body_of) in PROBES.items():
        if not claims(ctx, profile):
            continue
        operation = ctx.contract.operation(operation_id)
        schema = answer_schema(operation)
        if schema is None:
            continue
        method, path = str(operation["method"]).upper(), str(operation["path"])
        body = body_of(ctx)
        response = ctx.request(method, path, json=body)
        if not 200 <= response.status < 300:
            verdicts.skip("RESP-SCHEMA", f"{operation_id}: the valid request was answered {response.status}")
            continue
        try:
            document = response.json()
        except ValueError:
            verdicts.fail(
                "RESP-SCHEMA",
                f"{operation_id} ({method} {path}) answered {response.status} with a body that is not JSON",
                expected=f"a JSON body matching {schema}",
                received=response.text[:300],
                exchanges=[response.exchange],
            )
            continue
        problems = ctx.contract.schema_errors(schema, document)
        if problems:
            verdicts.fail(
                "RESP-SCHEMA",
                f"{operation_id} ({method} {path}): the {response.status} answer does not match {schema}: "
                + "; ".join(problems[:5])
                + (f" (+{len(problems) - 5} more)" if len(problems) > 5 else ""),
                expected=f"a body matching components/schemas/{schema}",
                received=response.text[:600],
                exchanges=[response.exchange],
            )
        else:
            verdicts.observed("RESP-SCHEMA", response.exchange)
    verdicts.finish()
