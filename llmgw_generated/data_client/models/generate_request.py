from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="GenerateRequest")


@_attrs_define
class GenerateRequest:
    """Native generate request.

    Attributes:
        prompt (str): The prompt.
        max_new_tokens (int): Hard cap on output tokens.
        temperature (float | Unset): Sampling temperature.
        top_p (float | Unset): Nucleus cutoff.
        stop (list[str] | Unset): Stop strings.
        seed (int | Unset): Sampling seed.
        stream (bool | Unset): Stream `GenerateChunk` events.
        gpu (str | Unset): Machine profile, or `pool/profile`, e.g. `l4` or `eval-bench/l4`.
        deadline_ms (int | Unset): Milliseconds from receipt by which generation must be complete (feature `deadlines`);
            a stream still generating at the deadline ends with an error chunk (`DEADLINE_UNMET`), `done` true, then `data
            [DONE]`.
    """

    prompt: str
    max_new_tokens: int
    temperature: float | Unset = UNSET
    top_p: float | Unset = UNSET
    stop: list[str] | Unset = UNSET
    seed: int | Unset = UNSET
    stream: bool | Unset = UNSET
    gpu: str | Unset = UNSET
    deadline_ms: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        max_new_tokens = self.max_new_tokens

        temperature = self.temperature

        top_p = self.top_p

        stop: list[str] | Unset = UNSET
        if not isinstance(self.stop, Unset):
            stop = self.stop

        seed = self.seed

        stream = self.stream

        gpu = self.gpu

        deadline_ms = self.deadline_ms

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "prompt": prompt,
                "max_new_tokens": max_new_tokens,
            }
        )
        if temperature is not UNSET:
            field_dict["temperature"] = temperature
        if top_p is not UNSET:
            field_dict["top_p"] = top_p
        if stop is not UNSET:
            field_dict["stop"] = stop
        if seed is not UNSET:
            field_dict["seed"] = seed
        if stream is not UNSET:
            field_dict["stream"] = stream
        if gpu is not UNSET:
            field_dict["gpu"] = gpu
        if deadline_ms is not UNSET:
            field_dict["deadline_ms"] = deadline_ms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        prompt = d.pop("prompt")

        max_new_tokens = d.pop("max_new_tokens")

        temperature = d.pop("temperature", UNSET)

        top_p = d.pop("top_p", UNSET)

        stop = cast(list[str], d.pop("stop", UNSET))

        seed = d.pop("seed", UNSET)

        stream = d.pop("stream", UNSET)

        gpu = d.pop("gpu", UNSET)

        deadline_ms = d.pop("deadline_ms", UNSET)

        generate_request = cls(
            prompt=prompt,
            max_new_tokens=max_new_tokens,
            temperature=temperature,
            top_p=top_p,
            stop=stop,
            seed=seed,
            stream=stream,
            gpu=gpu,
            deadline_ms=deadline_ms,
        )

        return generate_request
