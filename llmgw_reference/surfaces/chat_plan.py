"""From a validated chat request to a plan the runtime can execute: pure, so it is unit-tested alone.

The schema (checked before this) settles types and ranges; what it cannot say is here: ``n > 1``
with streaming, the ``best_of`` rules, ``top_logprobs`` against ``logprobs``, ``stream_options``
without streaming, a ``tool`` message without ``tool_call_id``, and which tools get called.

Determinism: a choice's seed is ``(seed + choice_index) mod 2**64``; without a seed, temperature 0
(greedy decoding on a real engine) uses seed 0 so that it is deterministic too.  Without either
the candidates are random.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from llmgw_generated.models.common import ErrorReason
from llmgw_generated.models.data import ChatCompletionRequest, ChatMessage
from llmgw_reference.errors import ApiError, bad_request
from llmgw_reference.surfaces.json_body import unsupported_field
from llmgw_reference.surfaces.task_runs import SEED_SPACE

MAX_PARALLEL_TOOL_CALLS = 4
#: OpenAI's renamed roles: `developer` is `system`, a replayed legacy `function` result is a `tool` one.
RENDERED_ROLES = {"developer": "system", "function": "tool"}


@dataclass(frozen=True)
class ChatPlan:
    """Everything the chat surface needs to run a request, decided before anything runs."""

    model: str
    prompt: str
    max_tokens: int | None
    n: int
    seeds: tuple[int | None, ...]  # one per candidate; len == best_of
    logprobs: bool
    top_logprobs: int
    stop: tuple[str, ...]
    stream: bool
    include_usage: bool
    tool_calls: tuple[str, ...] = ()  # names of the functions each choice calls, in call order
    tool_parameters: dict[str, Any] = field(default_factory=dict)
    lora_adapter: str | None = None
    json_output: bool = False  # response_format json_object or json_schema
    output_schema: Any = None  # the JSON Schema of json_schema output (None: any object)
    deadline_ms: int | None = None  # the gateway extension (feature `deadlines`), from receipt
    legacy_functions: bool = False  # asked with `functions`: answered with `function_call`

    @property
    def best_of(self) -> int:
        """How many candidates run; the best ``n`` by cumulative logprob are returned."""
        return len(self.seeds)


def unwrap(value: Any) -> Any:
    """The plain value inside the RootModels codegen may wrap a union in (``str | [str]``, ...)."""
    while hasattr(value, "root"):
        value = value.root
    return value


def message_text(message: ChatMessage) -> str:
    """A message's text: a string, or its text parts concatenated."""
    content = unwrap(message.content)
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    # Text parts give their text, a replayed refusal part its refusal (other parts are refused before).
    return "".join(str(getattr(p, "text", None) or getattr(p, "refusal", "")) for p in map(unwrap, content))


def render_prompt(messages: list[ChatMessage]) -> str:
    """The prompt the engine sees; ``developer`` is rendered exactly as ``system`` (OpenAI's rename),
    a legacy ``function`` message as a ``tool`` one."""
    lines = []
    for message in messages:
        role = RENDERED_ROLES.get(str(message.role), str(message.role))
        text = message_text(message)
        if message.tool_calls:
            calls = ", ".join(f"{c.function.name}({c.function.arguments})" for c in message.tool_calls)
            text = f"{text} [calls: {calls}]".strip()
        lines.append(f"<|{role}|>{text}")
    lines.append("<|assistant|>")
    return "\n".join(lines)


def _check_messages(messages: list[ChatMessage]) -> None:
    for i, message in enumerate(messages):
        if message.role == "tool" and not message.tool_call_id:
            raise bad_request(
                "a message with role tool needs tool_call_id", param=f"messages[{i}].tool_call_id"
            )


def _seeds(request: ChatCompletionRequest, count: int) -> tuple[int | None, ...]:
    base = request.seed
    if base is None and request.temperature == 0:
        base = 0
    if base is None:
        return tuple(None for _ in range(count))
    return tuple((base + i) % SEED_SPACE for i in range(count))


def _logprob_settings(request: ChatCompletionRequest) -> tuple[bool, int]:
    top = request.top_logprobs or 0
    if top > 0 and request.logprobs is False:
        raise bad_request("top_logprobs above 0 needs logprobs true", param="top_logprobs")
    return bool(request.logprobs) or top > 0, top


def _last_user_text(messages: list[ChatMessage]) -> str:
    for message in reversed(messages):
        if message.role == "user":
            return message_text(message)
    return ""


def _named(choice: Any) -> bool:
    """A named-function tool choice (an object with ``function.name``), not a mode string."""
    return hasattr(choice, "function")


def plan_tool_calls(request: ChatCompletionRequest) -> tuple[tuple[str, ...], dict[str, Any]]:
    """Which functions each choice calls, decided deterministically.

    ``none`` calls nothing; ``auto`` (the default with tools) calls the tools whose name appears in
    the last user message; ``required`` calls those, or the first tool when none is named; a named
    choice calls that function.  ``parallel_tool_calls: false`` keeps only the first call.
    """
    tools = request.tools or []
    choice = unwrap(request.tool_choice)
    parameters = {tool.function.name: tool.function.parameters or {} for tool in tools}
    if not tools:
        if choice == "required" or _named(choice):
            raise bad_request("tool_choice needs tools", param="tool_choice")
        return (), {}
    if choice == "none":
        return (), parameters
    if _named(choice):
        if choice.function.name not in parameters:
            raise bad_request(
                f"tool_choice names {choice.function.name!r}, which is not in tools",
                param="tool_choice.function.name",
            )
        return (choice.function.name,), parameters
    text = _last_user_text(request.messages)
    mentioned = [tool.function.name for tool in tools if tool.function.name in text]
    names = list(dict.fromkeys(mentioned))
    if not names and choice == "required":
        names = [tools[0].function.name]
    limit = 1 if request.parallel_tool_calls is False else MAX_PARALLEL_TOOL_CALLS
    return tuple(names[:limit]), parameters


def output_format(request: ChatCompletionRequest) -> tuple[bool, Any]:
    """Whether the content must be JSON, and the schema it must follow (OpenAI's ``json_schema``
    object ``{name, schema, strict}``; without ``schema``, any JSON object)."""
    fmt = request.response_format
    kind = str(unwrap(fmt.type)) if fmt is not None else "text"
    if kind == "json_object":
        return True, None
    if kind != "json_schema" or fmt is None:
        return False, None
    if fmt.json_schema is None:
        raise bad_request(
            "response_format json_schema needs json_schema", param="response_format.json_schema"
        )
    return True, fmt.json_schema.schema_


def plan_chat(
    request: ChatCompletionRequest, known_lora_adapters: list[str] | None, *, logprobs_available: bool = True
) -> ChatPlan:
    """Check the rules the schema cannot express and decide how the request runs.

    ``logprobs_available`` is false where the runtime cannot know real log-probabilities (the
    gateway role: the native stream from a worker carries only token texts); then ``logprobs``,
    ``top_logprobs`` and ``best_of`` above ``n`` (ranked by logprob) are refused, never faked.
    """
    _check_messages(request.messages)
    stream = bool(request.stream)
    n = request.n or 1
    if n > 1 and stream:
        raise bad_request("n above 1 cannot be streamed", param="n")
    best_of = request.best_of or n
    if best_of < n:
        raise bad_request("best_of must be at least n", param="best_of")
    if best_of > 1 and stream:
        raise bad_request("best_of above 1 cannot be streamed", param="best_of")
    if request.stream_options is not None and not stream:
        raise bad_request("stream_options is only allowed with stream true", param="stream_options")
    logprobs, top_logprobs = _logprob_settings(request)
    if not logprobs_available:
        for field, wanted in (("logprobs", logprobs), ("best_of", best_of > n)):
            if wanted:
                raise unsupported_field(field, f"{field}: log-probabilities are not available in this role")
    if request.lora_adapter is not None and request.lora_adapter not in (known_lora_adapters or []):
        raise bad_request(
            f"unknown lora_adapter {request.lora_adapter!r}",
            param="lora_adapter",
            reason=ErrorReason.UNKNOWN_LORA,
        )
    stop = unwrap(request.stop)
    stops = (stop,) if isinstance(stop, str) else tuple(str(s) for s in stop or ())
    tool_calls, tool_parameters = plan_tool_calls(request)
    json_output, output_schema = output_format(request)
    return ChatPlan(
        model=request.model,
        prompt=render_prompt(request.messages),
        max_tokens=request.max_completion_tokens or request.max_tokens,
        n=n,
        seeds=_seeds(request, best_of),
        logprobs=logprobs,
        top_logprobs=top_logprobs,
        stop=tuple(s for s in stops if s),
        stream=stream,
        include_usage=bool(stream and request.stream_options and request.stream_options.include_usage),
        tool_calls=tool_calls,
        tool_parameters=tool_parameters,
        lora_adapter=request.lora_adapter,
        json_output=json_output,
        output_schema=output_schema,
        deadline_ms=request.deadline_ms,
    )


__all__ = ["ApiError", "ChatPlan", "plan_chat", "render_prompt", "unsupported_field"]
