from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SessionCreateRequest")


@_attrs_define
class SessionCreateRequest:
    """TTL and budgets of a session.

    Attributes:
        ttl_ms (int | Unset): Time to live from now; each task of the session restarts it.
        tokens_budget (int | Unset): Output tokens the session may still produce.
        time_budget_ms (int | Unset): Decode time the session may still use.
        cost_budget (float | Unset): Cost units the session may still spend (one unit per 1,000 prompt plus output
            tokens).
    """

    ttl_ms: int | Unset = UNSET
    tokens_budget: int | Unset = UNSET
    time_budget_ms: int | Unset = UNSET
    cost_budget: float | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        ttl_ms = self.ttl_ms

        tokens_budget = self.tokens_budget

        time_budget_ms = self.time_budget_ms

        cost_budget = self.cost_budget

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if ttl_ms is not UNSET:
            field_dict["ttl_ms"] = ttl_ms
        if tokens_budget is not UNSET:
            field_dict["tokens_budget"] = tokens_budget
        if time_budget_ms is not UNSET:
            field_dict["time_budget_ms"] = time_budget_ms
        if cost_budget is not UNSET:
            field_dict["cost_budget"] = cost_budget

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ttl_ms = d.pop("ttl_ms", UNSET)

        tokens_budget = d.pop("tokens_budget", UNSET)

        time_budget_ms = d.pop("time_budget_ms", UNSET)

        cost_budget = d.pop("cost_budget", UNSET)

        session_create_request = cls(
            ttl_ms=ttl_ms,
            tokens_budget=tokens_budget,
            time_budget_ms=time_budget_ms,
            cost_budget=cost_budget,
        )

        return session_create_request
