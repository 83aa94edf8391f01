from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Limits")


@_attrs_define
class Limits:
    """Numbers a client and the conformance suite need to know.

    Attributes:
        max_tokens (int | Unset): Largest `max_tokens` accepted.
        max_body_bytes (int | Unset): Largest request body accepted; larger is 413.
        queue_capacity (int | Unset): Tasks that can wait in the admission queue of each pool.
        cancel_budget_ms (int | Unset): Time within which a cancel or a client disconnect stops generation and frees the
            slot (the contract's budget is 100 ms at most).
        attach_timeout_ms (int | Unset): How long an admitted completion task waits for a client on its event stream
            before it is cancelled.
        session_ttl_ms (int | Unset): TTL of a session opened implicitly by a task.
        heartbeat_ms (int | Unset): Longest gap between two stream writes (events or comments) while a stream is open.
        max_api_keys (int | Unset): Most keys an account may hold that are not REVOKED or EXPIRED; a create beyond it is
            409.
    """

    max_tokens: int | Unset = UNSET
    max_body_bytes: int | Unset = UNSET
    queue_capacity: int | Unset = UNSET
    cancel_budget_ms: int | Unset = UNSET
    attach_timeout_ms: int | Unset = UNSET
    session_ttl_ms: int | Unset = UNSET
    heartbeat_ms: int | Unset = UNSET
    max_api_keys: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        max_tokens = self.max_tokens

        max_body_bytes = self.max_body_bytes

        queue_capacity = self.queue_capacity

        cancel_budget_ms = self.cancel_budget_ms

        attach_timeout_ms = self.attach_timeout_ms

        session_ttl_ms = self.session_ttl_ms

        heartbeat_ms = self.heartbeat_ms

        max_api_keys = self.max_api_keys

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if max_tokens is not UNSET:
            field_dict["max_tokens"] = max_tokens
        if max_body_bytes is not UNSET:
            field_dict["max_body_bytes"] = max_body_bytes
        if queue_capacity is not UNSET:
            field_dict["queue_capacity"] = queue_capacity
        if cancel_budget_ms is not UNSET:
            field_dict["cancel_budget_ms"] = cancel_budget_ms
        if attach_timeout_ms is not UNSET:
            field_dict["attach_timeout_ms"] = attach_timeout_ms
        if session_ttl_ms is not UNSET:
            field_dict["session_ttl_ms"] = session_ttl_ms
        if heartbeat_ms is not UNSET:
            field_dict["heartbeat_ms"] = heartbeat_ms
        if max_api_keys is not UNSET:
            field_dict["max_api_keys"] = max_api_keys

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        max_tokens = d.pop("max_tokens", UNSET)

        max_body_bytes = d.pop("max_body_bytes", UNSET)

        queue_capacity = d.pop("queue_capacity", UNSET)

        cancel_budget_ms = d.pop("cancel_budget_ms", UNSET)

        attach_timeout_ms = d.pop("attach_timeout_ms", UNSET)

        session_ttl_ms = d.pop("session_ttl_ms", UNSET)

        heartbeat_ms = d.pop("heartbeat_ms", UNSET)

        max_api_keys = d.pop("max_api_keys", UNSET)

        limits = cls(
            max_tokens=max_tokens,
            max_body_bytes=max_body_bytes,
            queue_capacity=queue_capacity,
            cancel_budget_ms=cancel_budget_ms,
            attach_timeout_ms=attach_timeout_ms,
            session_ttl_ms=session_ttl_ms,
            heartbeat_ms=heartbeat_ms,
            max_api_keys=max_api_keys,
        )

        limits.additional_properties = d
        return limits

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
