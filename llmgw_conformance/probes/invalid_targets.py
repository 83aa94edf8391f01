"""Which operations the invalid-request corpus is sent to, with a valid body each to derive it from.

Why here and not in invalid_corpus.py: choosing operations needs the run (selected and claimed
profiles, the target's models), while the corpus itself is pure. The valid bodies are the smallest
the contract accepts (one token of output), checked against the request schema before use, so a
refusal of a mutated body is about its mutation. State-changing operations (control-admin) are left
to schema-driven, which cleans up what its cases create.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from llmgw_conformance.context import CheckContext
from llmgw_conformance.invalid_corpus import InvalidCase, field_cases, whole_body_cases
from llmgw_conformance.probes.target_claims import claimed_profiles, model_for, selected_profiles
from llmgw_conformance.probes.task_requests import task_body

#: Statuses a contract may document for refusing a malformed request.
REFUSAL_STATUSES = ("400", "413", "415", "422")


@dataclass(frozen=True)
class Operation:
    """One operation under test: where to send, whether native, what it documents, its cases."""

    operation_id: str
    method: str
    path: str
    native: bool
    documented: frozenset[str]
    cases: tuple[InvalidCase, ...]

    @property
    def is_chat(self) -> bool:
        return self.operation_id == "createChatCompletion"

    @property
    def refusals(self) -> list[str]:
        return [s for s in REFUSAL_STATUSES if s in self.documented]


def _bases(ctx: CheckContext) -> dict[str, tuple[str, Callable[[], dict[str, Any]]]]:
    """operationId -> (path, valid body builder)."""
    model = ctx.target.model
    generate_path = f"/v1/generate/{quote(model, safe='')}"
    return {
        "submitTask": ("/v1/tasks", lambda: task_body(ctx, max_tokens=1)),
        "createChatCompletion": (
            "/v1/chat/completions",
            lambda: {"model": model, "messages": [{"role": "user", "content": "Say hi."}], "max_tokens": 1},
        ),
        "createEmbeddings": (
            "/v1/embeddings",
            lambda: {"model": model_for(ctx, "embedding")[0], "input": "conformance"},
        ),
        "createRerank": (
            "/v1/rerank",
            lambda: {
                "model": model_for(ctx, "rerank")[0],
                "query": "rivers",
                "documents": ["a river", "a hill"],
            },
        ),
        "generate": (generate_path, lambda: {"prompt": "Say hi.", "max_new_tokens": 1}),
    }


def operations_under_test(ctx: CheckContext) -> tuple[list[Operation], list[str]]:
    """The operations to send the corpus to, and why others were left out."""
    active = selected_profiles(ctx) & claimed_profiles(ctx)
    bases = _bases(ctx)
    out: list[Operation] = []
    skipped: list[str] = []
    for op in ctx.contract.operations():
        operation_id = str(op.get("operationId"))
        if operation_id not in bases or not set(op.get("x-profiles", ())) & active:
            continue
        path, build = bases[operation_id]
        schema_name, schema = _request_schema(ctx, op)
        body = build()
        if schema_name is None or ctx.contract.schema_errors(schema_name, body):
            skipped.append(f"{operation_id}: no valid base request (is a model known?)")
            continue
        out.append(
            Operation(
                operation_id=operation_id,
                method=str(op["method"]),
                path=path,
                native="openai" not in op.get("tags", ()),
                documented=frozenset(str(s) for s in op.get("responses", {})),
                cases=tuple(_cases(ctx, op, schema_name, schema, body)),
            )
        )
    return out, skipped


def _cases(
    ctx: CheckContext,
    op: Mapping[str, Any],
    schema_name: str,
    schema: Mapping[str, Any],
    body: dict[str, Any],
) -> list[InvalidCase]:
    native = "openai" not in op.get("tags", ())
    spec = str(op.get("spec", "data.yaml"))
    properties = {k: _resolve(ctx, spec, v) for k, v in (schema.get("properties") or {}).items()}
    lenient = set() if native else _ignorable(schema, properties)

    def is_valid(candidate: Any) -> bool:
        return not ctx.contract.schema_errors(schema_name, candidate)

    cases = whole_body_cases(body)
    if not native:  # OpenAI's API does not forbid a JSON body sent under another Content-Type
        cases = [
            InvalidCase(c.name, c.kind, c.field, c.body, c.content, c.content_type, must_refuse=False)
            if c.kind == "content-type"
            else c
            for c in cases
        ]
    return cases + field_cases(
        body,
        properties,
        is_valid,
        required=frozenset(schema.get("required", ())),
        optional_ok=lambda name: name in lenient,
    )


def _ignorable(schema: Mapping[str, Any], properties: Mapping[str, Mapping[str, Any]]) -> set[str]:
    """Optional OpenAI-surface fields a server may not know: gateway extensions, and fields with an
    ``x-if-not-honoured`` policy (ignore or refuse: features a server may lack; whether it refuses
    one it lacks is judged where that policy is checked, not by the corpus)."""
    fidelity = (schema.get("x-openai-fidelity") or {}).get("properties") or {}
    out = {name for name, why in fidelity.items() if str(why).startswith("Gateway extension")}
    for name, prop in properties.items():
        policy = prop.get("x-if-not-honoured")
        if isinstance(policy, Mapping) and policy.get("action") in ("ignore", "refuse"):
            out.add(name)
    return out


def _request_schema(ctx: CheckContext, op: Mapping[str, Any]) -> tuple[str | None, Mapping[str, Any]]:
    """``spec:Name`` of the JSON request body and its schema (resolved), or (None, {})."""
    content = ((op.get("requestBody") or {}).get("content") or {}).get("application/json") or {}
    ref = (content.get("schema") or {}).get("$ref", "")
    spec = str(op.get("spec", "data.yaml"))
    if not ref:
        return None, {}
    file, _, pointer = ref.partition("#")
    spec = file or spec
    name = pointer.rsplit("/", 1)[-1]
    return f"{spec}:{name}", _resolve(ctx, spec, {"$ref": f"{spec}#{pointer}"})


def _resolve(ctx: CheckContext, spec: str, schema: Mapping[str, Any]) -> Mapping[str, Any]:
    """``schema`` with one ``$ref`` (local or to another spec file) replaced by its target."""
    ref = schema.get("$ref")
    if not isinstance(ref, str):
        return schema
    file, _, pointer = ref.partition("#")
    specs: Mapping[str, Any] = ctx.contract.specs
    node: Any = specs.get(file or spec, {})
    for part in pointer.strip("/").split("/"):
        node = node.get(part, {}) if isinstance(node, Mapping) else {}
    return node if isinstance(node, Mapping) else {}
