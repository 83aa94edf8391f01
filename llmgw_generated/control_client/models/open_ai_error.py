from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.error_kind import ErrorKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="OpenAIError")


@_attrs_define
class OpenAIError:
    """The `error` object of the OpenAI-compatible surface.

    Attributes:
        message (str): Human-readable explanation; never a stack trace.
        type_ (str): OpenAI error type, e.g. `invalid_request_error`, `authentication_error`, `rate_limit_error`,
            `server_error`.
        param (None | str): The request field the error is about, or null.
        code (None | str): Machine-readable code (OpenAI's own code where it defines one, such as `model_not_found`;
            else the lower-case reason or ErrorKind), or null. Always a string, never an integer.
        kind (ErrorKind | Unset): Error class of an `ErrorEnvelope` or an `SSEError`. The rules per value are in
            `x-error-policy`.
        retriable (bool | Unset): As `ErrorEnvelope.retriable`.
        retry_after_ms (int | Unset): As `ErrorEnvelope.retry_after_ms`.
        policy_label (str | Unset): As `ErrorEnvelope.policy_label`.
        credits_remaining (float | Unset): As `ErrorEnvelope.credits_remaining`.
    """

    message: str
    type_: str
    param: None | str
    code: None | str
    kind: ErrorKind | Unset = UNSET
    retriable: bool | Unset = UNSET
    retry_after_ms: int | Unset = UNSET
    policy_label: str | Unset = UNSET
    credits_remaining: float | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        message = self.message

        type_ = self.type_

        param: None | str
        param = self.param

        code: None | str
        code = self.code

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind.value

        retriable = self.retriable

        retry_after_ms = self.retry_after_ms

        policy_label = self.policy_label

        credits_remaining = self.credits_remaining

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "message": message,
                "type": type_,
                "param": param,
                "code": code,
            }
        )
        if kind is not UNSET:
            field_dict["kind"] = kind
        if retriable is not UNSET:
            field_dict["retriable"] = retriable
        if retry_after_ms is not UNSET:
            field_dict["retry_after_ms"] = retry_after_ms
        if policy_label is not UNSET:
            field_dict["policy_label"] = policy_label
        if credits_remaining is not UNSET:
            field_dict["credits_remaining"] = credits_remaining

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        message = d.pop("message")

        type_ = d.pop("type")

        def _parse_param(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        param = _parse_param(d.pop("param"))

        def _parse_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        code = _parse_code(d.pop("code"))

        _kind = d.pop("kind", UNSET)
        kind: ErrorKind | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = ErrorKind(_kind)

        retriable = d.pop("retriable", UNSET)

        retry_after_ms = d.pop("retry_after_ms", UNSET)

        policy_label = d.pop("policy_label", UNSET)

        credits_remaining = d.pop("credits_remaining", UNSET)

        open_ai_error = cls(
            message=message,
            type_=type_,
            param=param,
            code=code,
            kind=kind,
            retriable=retriable,
            retry_after_ms=retry_after_ms,
            policy_label=policy_label,
            credits_remaining=credits_remaining,
        )

        open_ai_error.additional_properties = d
        return open_ai_error

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
