from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SessionInfo")


@_attrs_define
class SessionInfo:
    """State of a session. Budgets never increase except by `putSession`.

    Attributes:
        ttl_ms_remaining (int): Milliseconds until the session expires.
        turns (int): Tasks of the session that reached a terminal event.
        kv_bytes (int): Bytes of KV cache held for the session.
        kv_warmth (bool): True when the session's KV cache is held warm (after a task with `kv_hint: reuse`).
        session_id (UUID | Unset): The session id.
        tokens_budget_remaining (int | Unset): Output tokens left, when a tokens budget is set.
        time_budget_remaining_ms (int | Unset): Decode milliseconds left, when a time budget is set.
        cost_budget_remaining (float | Unset): Cost units left, when a cost budget is set.
        active_tasks (int | Unset): Tasks of the session running or queued now.
    """

    ttl_ms_remaining: int
    turns: int
    kv_bytes: int
    kv_warmth: bool
    session_id: UUID | Unset = UNSET
    tokens_budget_remaining: int | Unset = UNSET
    time_budget_remaining_ms: int | Unset = UNSET
    cost_budget_remaining: float | Unset = UNSET
    active_tasks: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ttl_ms_remaining = self.ttl_ms_remaining

        turns = self.turns

        kv_bytes = self.kv_bytes

        kv_warmth = self.kv_warmth

        session_id: str | Unset = UNSET
        if not isinstance(self.session_id, Unset):
            session_id = str(self.session_id)

        tokens_budget_remaining = self.tokens_budget_remaining

        time_budget_remaining_ms = self.time_budget_remaining_ms

        cost_budget_remaining = self.cost_budget_remaining

        active_tasks = self.active_tasks

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ttl_ms_remaining": ttl_ms_remaining,
                "turns": turns,
                "kv_bytes": kv_bytes,
                "kv_warmth": kv_warmth,
            }
        )
        if session_id is not UNSET:
            field_dict["session_id"] = session_id
        if tokens_budget_remaining is not UNSET:
            field_dict["tokens_budget_remaining"] = tokens_budget_remaining
        if time_budget_remaining_ms is not UNSET:
            field_dict["time_budget_remaining_ms"] = time_budget_remaining_ms
        if cost_budget_remaining is not UNSET:
            field_dict["cost_budget_remaining"] = cost_budget_remaining
        if active_tasks is not UNSET:
            field_dict["active_tasks"] = active_tasks

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ttl_ms_remaining = d.pop("ttl_ms_remaining")

        turns = d.pop("turns")

        kv_bytes = d.pop("kv_bytes")

        kv_warmth = d.pop("kv_warmth")

        _session_id = d.pop("session_id", UNSET)
        session_id: UUID | Unset
        if isinstance(_session_id, Unset):
            session_id = UNSET
        else:
            session_id = UUID(_session_id)

        tokens_budget_remaining = d.pop("tokens_budget_remaining", UNSET)

        time_budget_remaining_ms = d.pop("time_budget_remaining_ms", UNSET)

        cost_budget_remaining = d.pop("cost_budget_remaining", UNSET)

        active_tasks = d.pop("active_tasks", UNSET)

        session_info = cls(
            ttl_ms_remaining=ttl_ms_remaining,
            turns=turns,
            kv_bytes=kv_bytes,
            kv_warmth=kv_warmth,
            session_id=session_id,
            tokens_budget_remaining=tokens_budget_remaining,
            time_budget_remaining_ms=time_budget_remaining_ms,
            cost_budget_remaining=cost_budget_remaining,
            active_tasks=active_tasks,
        )

        session_info.additional_properties = d
        return session_info

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
