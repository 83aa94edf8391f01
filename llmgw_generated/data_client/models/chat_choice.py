from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.chat_finish_reason import ChatFinishReason

if TYPE_CHECKING:
    from ..models.chat_response_message import ChatResponseMessage
    from ..models.choice_logprobs import ChoiceLogprobs


T = TypeVar("T", bound="ChatChoice")


@_attrs_define
class ChatChoice:
    """One choice of a completion; `logprobs` is always present (null when not requested), as OpenAI sends it.

    Attributes:
        index (int): Choice index, 0 to n-1.
        message (ChatResponseMessage): The assistant's message; `content` and `refusal` are always present, possibly
            null, as OpenAI sends them.
        finish_reason (ChatFinishReason): Why a choice ended; `function_call` when a legacy `functions` request made a
            call.
        logprobs (ChoiceLogprobs | None): Log-probabilities when requested, else null.
    """

    index: int
    message: ChatResponseMessage
    finish_reason: ChatFinishReason
    logprobs: ChoiceLogprobs | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.choice_logprobs import ChoiceLogprobs  # noqa: PLC0415

        index = self.index

        message = self.message.to_dict()

        finish_reason = self.finish_reason.value

        logprobs: dict[str, Any] | None
        if isinstance(self.logprobs, ChoiceLogprobs):
            logprobs = self.logprobs.to_dict()
        else:
            logprobs = self.logprobs

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "index": index,
                "message": message,
                "finish_reason": finish_reason,
                "logprobs": logprobs,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.chat_response_message import ChatResponseMessage  # noqa: PLC0415
        from ..models.choice_logprobs import ChoiceLogprobs  # noqa: PLC0415

        d = dict(src_dict)
        index = d.pop("index")

        message = ChatResponseMessage.from_dict(d.pop("message"))

        finish_reason = ChatFinishReason(d.pop("finish_reason"))

        def _parse_logprobs(data: object) -> ChoiceLogprobs | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                logprobs_type_0 = ChoiceLogprobs.from_dict(data)

                return logprobs_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ChoiceLogprobs | None, data)

        logprobs = _parse_logprobs(d.pop("logprobs"))

        chat_choice = cls(
            index=index,
            message=message,
            finish_reason=finish_reason,
            logprobs=logprobs,
        )

        chat_choice.additional_properties = d
        return chat_choice

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
