from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.log_status import LogStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="UsageLog")


@_attrs_define
class UsageLog:
    """One billable request (seed 002 `UsageLog`, plus `request_id`).

    Attributes:
        id (str): Entry id.
        request_id (str): The request's X-Request-Id.
        endpoint (str): The operation's path.
        model (str): The model asked for.
        prompt_tokens (int): As the answer's usage reported.
        completion_tokens (int): As the answer's usage reported.
        total_tokens (int): As the answer's usage reported.
        credits_charged (float): Credits the answer cost (0 when not answered).
        latency_ms (int | None): Time to the answer's end.
        status (LogStatus): Outcome of a logged request.
        error_code (None | str): The error's code or reason when status is not SUCCESS.
        created_at (datetime.datetime): When it was logged.
        api_key_prefix (str | Unset): Prefix of the key that sent it (absent for an access token).
    """

    id: str
    request_id: str
    endpoint: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    credits_charged: float
    latency_ms: int | None
    status: LogStatus
    error_code: None | str
    created_at: datetime.datetime
    api_key_prefix: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        request_id = self.request_id

        endpoint = self.endpoint

        model = self.model

        prompt_tokens = self.prompt_tokens

        completion_tokens = self.completion_tokens

        total_tokens = self.total_tokens

        credits_charged = self.credits_charged

        latency_ms: int | None
        latency_ms = self.latency_ms

        status = self.status.value

        error_code: None | str
        error_code = self.error_code

        created_at = self.created_at.isoformat()

        api_key_prefix = self.api_key_prefix

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "request_id": request_id,
                "endpoint": endpoint,
                "model": model,
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": total_tokens,
                "credits_charged": credits_charged,
                "latency_ms": latency_ms,
                "status": status,
                "error_code": error_code,
                "created_at": created_at,
            }
        )
        if api_key_prefix is not UNSET:
            field_dict["api_key_prefix"] = api_key_prefix

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        request_id = d.pop("request_id")

        endpoint = d.pop("endpoint")

        model = d.pop("model")

        prompt_tokens = d.pop("prompt_tokens")

        completion_tokens = d.pop("completion_tokens")

        total_tokens = d.pop("total_tokens")

        credits_charged = d.pop("credits_charged")

        def _parse_latency_ms(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        latency_ms = _parse_latency_ms(d.pop("latency_ms"))

        status = LogStatus(d.pop("status"))

        def _parse_error_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error_code = _parse_error_code(d.pop("error_code"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        api_key_prefix = d.pop("api_key_prefix", UNSET)

        usage_log = cls(
            id=id,
            request_id=request_id,
            endpoint=endpoint,
            model=model,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            total_tokens=total_tokens,
            credits_charged=credits_charged,
            latency_ms=latency_ms,
            status=status,
            error_code=error_code,
            created_at=created_at,
            api_key_prefix=api_key_prefix,
        )

        usage_log.additional_properties = d
        return usage_log

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
