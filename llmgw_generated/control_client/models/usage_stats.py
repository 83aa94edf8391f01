from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="UsageStats")


@_attrs_define
class UsageStats:
    """Totals over a period (seed 002 `UsageStats`).

    Attributes:
        total_requests (int): Billable requests logged in the period.
        total_tokens (int): Sum of their total_tokens.
        total_credits_used (float): Sum of their credits_charged.
        period_start (datetime.datetime): Start of the period.
        period_end (datetime.datetime): End of the period (now).
    """

    total_requests: int
    total_tokens: int
    total_credits_used: float
    period_start: datetime.datetime
    period_end: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        total_requests = self.total_requests

        total_tokens = self.total_tokens

        total_credits_used = self.total_credits_used

        period_start = self.period_start.isoformat()

        period_end = self.period_end.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "total_requests": total_requests,
                "total_tokens": total_tokens,
                "total_credits_used": total_credits_used,
                "period_start": period_start,
                "period_end": period_end,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        total_requests = d.pop("total_requests")

        total_tokens = d.pop("total_tokens")

        total_credits_used = d.pop("total_credits_used")

        period_start = datetime.datetime.fromisoformat(d.pop("period_start"))

        period_end = datetime.datetime.fromisoformat(d.pop("period_end"))

        usage_stats = cls(
            total_requests=total_requests,
            total_tokens=total_tokens,
            total_credits_used=total_credits_used,
            period_start=period_start,
            period_end=period_end,
        )

        usage_stats.additional_properties = d
        return usage_stats

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
