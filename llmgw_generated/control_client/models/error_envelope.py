from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.engine import Engine
from ..models.error_kind import ErrorKind
from ..models.error_reason import ErrorReason
from ..types import UNSET, Unset

T = TypeVar("T", bound="ErrorEnvelope")


@_attrs_define
class ErrorEnvelope:
    """The one error body of every non-2xx answer of a native operation.

    Attributes:
        code (ErrorKind): Error class of an `ErrorEnvelope` or an `SSEError`. The rules per value are in `x-error-
            policy`.
        message (str): Human-readable explanation; never a stack trace.
        engine (Engine | Unset): Inference engine family. A deployment whose engine is none of these (a synthetic
            or test engine) reports, in `Capabilities.engines[].implementation`, `synthetic:
            true` and its own name, and uses in `engine` the value of the family whose wire
            behaviour it follows.
        retriable (bool | Unset): True when the same request sent again later can succeed; absent means false.
        retry_after_ms (int | Unset): Milliseconds to wait before retrying; present exactly when `retriable` is true.
        policy_label (str | Unset): Name of the admission policy that refused the work; required for backpressure codes.
        reason (ErrorReason | Unset): Finer cause of an error, beside its `ErrorKind`. The table `x-error-reasons` on
            `ErrorKind` gives the code and status each reason goes with.
        param (None | str | Unset): The request field the error is about, when there is one (JSON path, e.g.
            `placement.pin_pool_id`).
        request_id (str | Unset): Identifier of the request, equal to the `X-Request-Id` response header.
        credits_remaining (float | Unset): The caller's credit balance; sent with 402 (reason `INSUFFICIENT_CREDITS`).
    """

    code: ErrorKind
    message: str
    engine: Engine | Unset = UNSET
    retriable: bool | Unset = UNSET
    retry_after_ms: int | Unset = UNSET
    policy_label: str | Unset = UNSET
    reason: ErrorReason | Unset = UNSET
    param: None | str | Unset = UNSET
    request_id: str | Unset = UNSET
    credits_remaining: float | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code.value

        message = self.message

        engine: str | Unset = UNSET
        if not isinstance(self.engine, Unset):
            engine = self.engine.value

        retriable = self.retriable

        retry_after_ms = self.retry_after_ms

        policy_label = self.policy_label

        reason: str | Unset = UNSET
        if not isinstance(self.reason, Unset):
            reason = self.reason.value

        param: None | str | Unset
        if isinstance(self.param, Unset):
            param = UNSET
        else:
            param = self.param

        request_id = self.request_id

        credits_remaining = self.credits_remaining

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
            }
        )
        if engine is not UNSET:
            field_dict["engine"] = engine
        if retriable is not UNSET:
            field_dict["retriable"] = retriable
        if retry_after_ms is not UNSET:
            field_dict["retry_after_ms"] = retry_after_ms
        if policy_label is not UNSET:
            field_dict["policy_label"] = policy_label
        if reason is not UNSET:
            field_dict["reason"] = reason
        if param is not UNSET:
            field_dict["param"] = param
        if request_id is not UNSET:
            field_dict["request_id"] = request_id
        if credits_remaining is not UNSET:
            field_dict["credits_remaining"] = credits_remaining

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = ErrorKind(d.pop("code"))

        message = d.pop("message")

        _engine = d.pop("engine", UNSET)
        engine: Engine | Unset
        if isinstance(_engine, Unset):
            engine = UNSET
        else:
            engine = Engine(_engine)

        retriable = d.pop("retriable", UNSET)

        retry_after_ms = d.pop("retry_after_ms", UNSET)

        policy_label = d.pop("policy_label", UNSET)

        _reason = d.pop("reason", UNSET)
        reason: ErrorReason | Unset
        if isinstance(_reason, Unset):
            reason = UNSET
        else:
            reason = ErrorReason(_reason)

        def _parse_param(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        param = _parse_param(d.pop("param", UNSET))

        request_id = d.pop("request_id", UNSET)

        credits_remaining = d.pop("credits_remaining", UNSET)

        error_envelope = cls(
            code=code,
            message=message,
            engine=engine,
            retriable=retriable,
            retry_after_ms=retry_after_ms,
            policy_label=policy_label,
            reason=reason,
            param=param,
            request_id=request_id,
            credits_remaining=credits_remaining,
        )

        error_envelope.additional_properties = d
        return error_envelope

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
