from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.engine import Engine
from ..models.error_kind import ErrorKind
from ..models.error_reason import ErrorReason
from ..types import UNSET, Unset

T = TypeVar("T", bound="SSEError")


@_attrs_define
class SSEError:
    """Payload of the `error` event: the task failed after its stream started.

    Attributes:
        code (ErrorKind): Error class of an `ErrorEnvelope` or an `SSEError`. The rules per value are in `x-error-
            policy`.
        message (str): Human-readable explanation; never a stack trace.
        engine (Engine | Unset): Inference engine family. A deployment whose engine is none of these (a synthetic
            or test engine) reports, in `Capabilities.engines[].implementation`, `synthetic:
            true` and its own name, and uses in `engine` the value of the family whose wire
            behaviour it follows.
        reason (ErrorReason | Unset): Finer cause of an error, beside its `ErrorKind`. The table `x-error-reasons` on
            `ErrorKind` gives the code and status each reason goes with.
        retriable (bool | Unset): As `ErrorEnvelope.retriable`.
        policy_label (str | Unset): The policy that dropped the task (for `QUEUE_FULL_DROP_LRU`).
    """

    code: ErrorKind
    message: str
    engine: Engine | Unset = UNSET
    reason: ErrorReason | Unset = UNSET
    retriable: bool | Unset = UNSET
    policy_label: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code.value

        message = self.message

        engine: str | Unset = UNSET
        if not isinstance(self.engine, Unset):
            engine = self.engine.value

        reason: str | Unset = UNSET
        if not isinstance(self.reason, Unset):
            reason = self.reason.value

        retriable = self.retriable

        policy_label = self.policy_label

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
        if reason is not UNSET:
            field_dict["reason"] = reason
        if retriable is not UNSET:
            field_dict["retriable"] = retriable
        if policy_label is not UNSET:
            field_dict["policy_label"] = policy_label

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

        _reason = d.pop("reason", UNSET)
        reason: ErrorReason | Unset
        if isinstance(_reason, Unset):
            reason = UNSET
        else:
            reason = ErrorReason(_reason)

        retriable = d.pop("retriable", UNSET)

        policy_label = d.pop("policy_label", UNSET)

        sse_error = cls(
            code=code,
            message=message,
            engine=engine,
            reason=reason,
            retriable=retriable,
            policy_label=policy_label,
        )

        sse_error.additional_properties = d
        return sse_error

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
