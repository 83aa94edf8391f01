from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SSEMetrics")


@_attrs_define
class SSEMetrics:
    """Payload of a `metrics` event. Open to additional fields: clients ignore fields they do not know.

    Attributes:
        on_time_probability (float | Unset): Estimated probability of finishing before the deadline.
        queue_depth (int | Unset): Tasks waiting in the task's queue.
        kv_warmth (bool | Unset): Whether the session's KV cache is warm.
        tokens_budget_remaining (int | Unset): Session tokens budget left.
        time_budget_remaining_ms (int | Unset): Session time budget left.
        cost_budget_remaining (float | Unset): Session cost budget left.
    """

    on_time_probability: float | Unset = UNSET
    queue_depth: int | Unset = UNSET
    kv_warmth: bool | Unset = UNSET
    tokens_budget_remaining: int | Unset = UNSET
    time_budget_remaining_ms: int | Unset = UNSET
    cost_budget_remaining: float | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        on_time_probability = self.on_time_probability

        queue_depth = self.queue_depth

        kv_warmth = self.kv_warmth

        tokens_budget_remaining = self.tokens_budget_remaining

        time_budget_remaining_ms = self.time_budget_remaining_ms

        cost_budget_remaining = self.cost_budget_remaining

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if on_time_probability is not UNSET:
            field_dict["on_time_probability"] = on_time_probability
        if queue_depth is not UNSET:
            field_dict["queue_depth"] = queue_depth
        if kv_warmth is not UNSET:
            field_dict["kv_warmth"] = kv_warmth
        if tokens_budget_remaining is not UNSET:
            field_dict["tokens_budget_remaining"] = tokens_budget_remaining
        if time_budget_remaining_ms is not UNSET:
            field_dict["time_budget_remaining_ms"] = time_budget_remaining_ms
        if cost_budget_remaining is not UNSET:
            field_dict["cost_budget_remaining"] = cost_budget_remaining

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        on_time_probability = d.pop("on_time_probability", UNSET)

        queue_depth = d.pop("queue_depth", UNSET)

        kv_warmth = d.pop("kv_warmth", UNSET)

        tokens_budget_remaining = d.pop("tokens_budget_remaining", UNSET)

        time_budget_remaining_ms = d.pop("time_budget_remaining_ms", UNSET)

        cost_budget_remaining = d.pop("cost_budget_remaining", UNSET)

        sse_metrics = cls(
            on_time_probability=on_time_probability,
            queue_depth=queue_depth,
            kv_warmth=kv_warmth,
            tokens_budget_remaining=tokens_budget_remaining,
            time_budget_remaining_ms=time_budget_remaining_ms,
            cost_budget_remaining=cost_budget_remaining,
        )

        sse_metrics.additional_properties = d
        return sse_metrics

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
