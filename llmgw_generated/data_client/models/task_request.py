from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.determinism_level import DeterminismLevel
from ..models.engine import Engine
from ..models.kv_hint import KVHint
from ..models.priority import Priority
from ..models.workload import Workload
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.placement_overrides import PlacementOverrides


T = TypeVar("T", bound="TaskRequest")


@_attrs_define
class TaskRequest:
    """A native task. `prompt` carries the text for `completion` (and the query for `rerank`); `inputs` the texts to embed
    or the documents to rerank.

        Attributes:
            task_id (UUID): Client-chosen id; a second task with the same id is 409.
            session_id (UUID): The session the task belongs to; opened implicitly if not open.
            workload (Workload): Kind of work a task asks for.
            model_ref (str): Catalog model id.
            engine (Engine): Inference engine family. A deployment whose engine is none of these (a synthetic
                or test engine) reports, in `Capabilities.engines[].implementation`, `synthetic:
                true` and its own name, and uses in `engine` the value of the family whose wire
                behaviour it follows.
            ctx (int): Context size the task needs (prompt plus output tokens); above the engine's `ctx_max` is 400.
            priority (Priority): Scheduling class; `interactive` tasks are dequeued before `batch` tasks.
            max_tokens (int): Most output tokens; `end.tokens_out` never exceeds it.
            deadline_ms (int): Milliseconds from receipt by which the task must reach its terminal event; one that cannot
                start in time is 504 `DEADLINE_UNMET`, one that runs past it ends with an `error` event `DEADLINE_UNMET`.
            prompt (str | Unset): Prompt text (completion) or query (rerank).
            inputs (list[str] | Unset): Texts to embed (embedding) or documents to rank (rerank).
            seed (int | Unset): Sampling seed.
            determinism (DeterminismLevel | Unset): With `strict` and a `seed`, the same request gives the same tokens;
                `best_effort` makes no promise.
            sampler_profile_version (str | Unset): Version of the sampler profile; part of what `strict` determinism holds
                constant.
            expected_tokens (int | Unset): The client's estimate of output tokens, used for admission estimates.
            kv_hint (KVHint | Unset): `reuse` asks to keep and reuse the session's KV cache (warm); `cold` asks for a fresh
                one.
            placement (PlacementOverrides | Unset): Where a task may run.
    """

    task_id: UUID
    session_id: UUID
    workload: Workload
    model_ref: str
    engine: Engine
    ctx: int
    priority: Priority
    max_tokens: int
    deadline_ms: int
    prompt: str | Unset = UNSET
    inputs: list[str] | Unset = UNSET
    seed: int | Unset = UNSET
    determinism: DeterminismLevel | Unset = UNSET
    sampler_profile_version: str | Unset = UNSET
    expected_tokens: int | Unset = UNSET
    kv_hint: KVHint | Unset = UNSET
    placement: PlacementOverrides | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        task_id = str(self.task_id)

        session_id = str(self.session_id)

        workload = self.workload.value

        model_ref = self.model_ref

        engine = self.engine.value

        ctx = self.ctx

        priority = self.priority.value

        max_tokens = self.max_tokens

        deadline_ms = self.deadline_ms

        prompt = self.prompt

        inputs: list[str] | Unset = UNSET
        if not isinstance(self.inputs, Unset):
            inputs = self.inputs

        seed = self.seed

        determinism: str | Unset = UNSET
        if not isinstance(self.determinism, Unset):
            determinism = self.determinism.value

        sampler_profile_version = self.sampler_profile_version

        expected_tokens = self.expected_tokens

        kv_hint: str | Unset = UNSET
        if not isinstance(self.kv_hint, Unset):
            kv_hint = self.kv_hint.value

        placement: dict[str, Any] | Unset = UNSET
        if not isinstance(self.placement, Unset):
            placement = self.placement.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "task_id": task_id,
                "session_id": session_id,
                "workload": workload,
                "model_ref": model_ref,
                "engine": engine,
                "ctx": ctx,
                "priority": priority,
                "max_tokens": max_tokens,
                "deadline_ms": deadline_ms,
            }
        )
        if prompt is not UNSET:
            field_dict["prompt"] = prompt
        if inputs is not UNSET:
            field_dict["inputs"] = inputs
        if seed is not UNSET:
            field_dict["seed"] = seed
        if determinism is not UNSET:
            field_dict["determinism"] = determinism
        if sampler_profile_version is not UNSET:
            field_dict["sampler_profile_version"] = sampler_profile_version
        if expected_tokens is not UNSET:
            field_dict["expected_tokens"] = expected_tokens
        if kv_hint is not UNSET:
            field_dict["kv_hint"] = kv_hint
        if placement is not UNSET:
            field_dict["placement"] = placement

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.placement_overrides import PlacementOverrides  # noqa: PLC0415

        d = dict(src_dict)
        task_id = UUID(d.pop("task_id"))

        session_id = UUID(d.pop("session_id"))

        workload = Workload(d.pop("workload"))

        model_ref = d.pop("model_ref")

        engine = Engine(d.pop("engine"))

        ctx = d.pop("ctx")

        priority = Priority(d.pop("priority"))

        max_tokens = d.pop("max_tokens")

        deadline_ms = d.pop("deadline_ms")

        prompt = d.pop("prompt", UNSET)

        inputs = cast(list[str], d.pop("inputs", UNSET))

        seed = d.pop("seed", UNSET)

        _determinism = d.pop("determinism", UNSET)
        determinism: DeterminismLevel | Unset
        if isinstance(_determinism, Unset):
            determinism = UNSET
        else:
            determinism = DeterminismLevel(_determinism)

        sampler_profile_version = d.pop("sampler_profile_version", UNSET)

        expected_tokens = d.pop("expected_tokens", UNSET)

        _kv_hint = d.pop("kv_hint", UNSET)
        kv_hint: KVHint | Unset
        if isinstance(_kv_hint, Unset):
            kv_hint = UNSET
        else:
            kv_hint = KVHint(_kv_hint)

        _placement = d.pop("placement", UNSET)
        placement: PlacementOverrides | Unset
        if isinstance(_placement, Unset):
            placement = UNSET
        else:
            placement = PlacementOverrides.from_dict(_placement)

        task_request = cls(
            task_id=task_id,
            session_id=session_id,
            workload=workload,
            model_ref=model_ref,
            engine=engine,
            ctx=ctx,
            priority=priority,
            max_tokens=max_tokens,
            deadline_ms=deadline_ms,
            prompt=prompt,
            inputs=inputs,
            seed=seed,
            determinism=determinism,
            sampler_profile_version=sampler_profile_version,
            expected_tokens=expected_tokens,
            kv_hint=kv_hint,
            placement=placement,
        )

        return task_request
