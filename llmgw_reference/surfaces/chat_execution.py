"""Running the candidates of a chat request and turning them into choices.

Why separate from the route: the JSON answer and the stream share the task setup (model, token
limits, one task per candidate) and the tool-call synthesis, and this is where ``best_of``
selection and the usage arithmetic live.
"""

from __future__ import annotations

import asyncio
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import Any

from llmgw_generated.models.common import Engine, ErrorKind
from llmgw_reference.engine.synthetic import GeneratedToken
from llmgw_reference.errors import ApiError, bad_request
from llmgw_reference.runtime.records import TokenFrame
from llmgw_reference.surfaces.chat_chunks import ToolCallOut
from llmgw_reference.surfaces.chat_plan import ChatPlan
from llmgw_reference.surfaces.chat_tools import build_arguments, build_structured_output, call_id
from llmgw_reference.surfaces.task_runs import (
    RunEnd,
    RunError,
    TextPiece,
    completion_task,
    run_items,
)

OPERATION_ID = "createChatCompletion"
CANDIDATE_CONCURRENCY = 8
DEFAULT_CTX_MAX = 8192


@dataclass(frozen=True)
class TaskSetup:
    """The per-request facts every candidate task shares."""

    model: str
    engine: Engine
    prompt: str
    prompt_tokens: int
    max_tokens: int
    #: The request's ``deadline_ms`` (feature ``deadlines``) and when it arrived (``time.monotonic``).
    deadline_ms: int | None = None
    received_at: float = 0.0


@dataclass
class Candidate:
    """One finished candidate: its text, tokens and why it ended."""

    task_id: str
    text: str = ""
    finish_reason: str = "stop"
    completion_tokens: int = 0
    tokens: list[GeneratedToken] = field(default_factory=list)

    @property
    def cumulative_logprob(self) -> float:
        return sum(token.logprob for token in self.tokens)


def token_limit(
    *, requested: int | None, requested_param: str, prompt_tokens: int, ctx_max: int | None, limit: int
) -> int:
    """The max tokens of each task: the request's, or what fits in the context; 400 when impossible."""
    ctx = ctx_max or DEFAULT_CTX_MAX
    if requested is not None and requested > limit:
        raise bad_request(f"{requested_param} is above this server's limit of {limit}", param=requested_param)
    if prompt_tokens >= ctx:
        raise bad_request(
            f"the prompt has {prompt_tokens} tokens; the model's context is {ctx}", param="messages"
        )
    if requested is None:
        return max(1, min(limit, ctx - prompt_tokens))
    if prompt_tokens + requested > ctx:
        raise bad_request(
            f"{prompt_tokens} prompt tokens plus {requested_param} {requested} exceed the context of {ctx}",
            param=requested_param,
        )
    return requested


def setup_for(
    runtime: Any, plan: ChatPlan, catalog_model: Any, requested_param: str, received_at: float
) -> TaskSetup:
    """The shared task setup of a chat request, after the token-limit checks."""
    prompt_tokens = runtime.engine.count_tokens(plan.prompt)
    max_tokens = token_limit(
        requested=plan.max_tokens,
        requested_param=requested_param,
        prompt_tokens=prompt_tokens,
        ctx_max=getattr(catalog_model, "ctx_max", None),
        limit=int(getattr(runtime.config, "max_tokens", 4096)),
    )
    engine = getattr(catalog_model, "engine", None) or Engine.vllm
    return TaskSetup(
        plan.model, Engine(engine), plan.prompt, prompt_tokens, max_tokens, plan.deadline_ms, received_at
    )


async def submit_candidate(
    runtime: Any, principal: Any, setup: TaskSetup, seed: int | None, token_frame: TokenFrame | None = None
) -> str:
    """Admit one candidate task; admission errors propagate as ``ApiError``.

    ``token_frame``: the task's tokens come framed so (see ``Runtime.submit``).

    Each candidate's task gets what is left of the request's deadline when it is submitted (with
    ``best_of`` some wait for a free candidate slot), so the whole answer keeps the deadline.
    """
    task = completion_task(
        model=setup.model,
        engine=setup.engine,
        prompt=setup.prompt,
        prompt_tokens=setup.prompt_tokens,
        max_tokens=setup.max_tokens,
        seed=seed,
        prompt_param="messages",
        deadline_ms=setup.deadline_ms,
        received_at=setup.received_at,
    )
    if token_frame is None:
        await runtime.submit(task, principal)
    else:
        await runtime.submit(task, principal, token_frame=token_frame)
    return str(task.task_id)


async def run_candidate(
    runtime: Any, principal: Any, setup: TaskSetup, plan: ChatPlan, seed: int | None
) -> Candidate:
    """Submit and run one candidate to its end; a mid-run error is raised as ``ApiError``."""
    task_id = await submit_candidate(runtime, principal, setup, seed)
    candidate = Candidate(task_id=task_id)
    want_tokens = plan.logprobs or plan.best_of > plan.n
    parts: list[str] = []
    async with aclosing(
        run_items(runtime, task_id, stops=plan.stop, operation_id=OPERATION_ID, want_tokens=want_tokens)
    ) as items:
        async for item in items:
            if isinstance(item, TextPiece):
                parts.append(item.text)
                if item.token is not None:
                    candidate.tokens.append(item.token)
            elif isinstance(item, RunEnd):
                candidate.finish_reason = item.finish_reason
                candidate.completion_tokens = item.completion_tokens
            elif isinstance(item, RunError):
                raise item.error
    if candidate.finish_reason == "cancelled":
        raise ApiError(ErrorKind.INTERNAL, "the task was cancelled before it finished", status=502)
    candidate.text = "".join(parts)
    return candidate


async def run_candidates(runtime: Any, principal: Any, setup: TaskSetup, plan: ChatPlan) -> list[Candidate]:
    """All ``best_of`` candidates (a few at a time, so one request cannot flood its queue)."""
    gate = asyncio.Semaphore(CANDIDATE_CONCURRENCY)

    async def one(seed: int | None) -> Candidate:
        async with gate:
            return await run_candidate(runtime, principal, setup, plan, seed)

    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(one(seed)) for seed in plan.seeds]
    except* ApiError as errors:
        raise errors.exceptions[0] from None
    return [task.result() for task in tasks]


def pick_best(candidates: list[Candidate], n: int) -> list[Candidate]:
    """The ``n`` candidates with the highest cumulative logprob (all of them when ``best_of == n``)."""
    if len(candidates) <= n:
        return candidates
    return sorted(candidates, key=lambda c: c.cumulative_logprob, reverse=True)[:n]


def tool_calls_for(plan: ChatPlan, task_id: str, text: str) -> list[ToolCallOut]:
    """The tool calls a choice makes, with arguments built from each function's schema."""
    return [
        ToolCallOut(
            call_id(task_id, index), name, build_arguments(name, plan.tool_parameters.get(name), text)
        )
        for index, name in enumerate(plan.tool_calls)
    ]


def choice_content(plan: ChatPlan, text: str) -> str:
    """The content of a text choice: the generated text, or JSON when ``response_format`` asks."""
    return build_structured_output(plan.output_schema, text) if plan.json_output else text


def chat_finish_reason(run_finish: str, has_tool_calls: bool) -> str:
    """``length`` when the token limit cut the choice, else ``tool_calls`` or ``stop``."""
    if run_finish == "length":
        return "length"
    return "tool_calls" if has_tool_calls else "stop"
