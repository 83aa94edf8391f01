from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.legacy_function_call import LegacyFunctionCall
    from ..models.response_audio import ResponseAudio
    from ..models.tool_call import ToolCall
    from ..models.url_citation_annotation import UrlCitation


T = TypeVar("T", bound="ChatResponseMessage")


@_attrs_define
class ChatResponseMessage:
    """The assistant's message; `content` and `refusal` are always present, possibly null, as OpenAI sends them.

    Attributes:
        role (Literal['assistant']): Always `assistant`.
        content (None | str): The text, or null when the turn is tool calls only.
        refusal (None | str): The model's refusal, or null.
        tool_calls (list[ToolCall] | Unset): Tool calls.
        function_call (LegacyFunctionCall | Unset): A legacy (`functions` API) function call of a replayed assistant
            message or of an answer.
        annotations (list[UrlCitation] | Unset): Citations (web search).
        audio (None | ResponseAudio | Unset): Audio output, with `modalities` audio.
    """

    role: Literal["assistant"]
    content: None | str
    refusal: None | str
    tool_calls: list[ToolCall] | Unset = UNSET
    function_call: LegacyFunctionCall | Unset = UNSET
    annotations: list[UrlCitation] | Unset = UNSET
    audio: None | ResponseAudio | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.response_audio import ResponseAudio  # noqa: PLC0415

        role = self.role

        content: None | str
        content = self.content

        refusal: None | str
        refusal = self.refusal

        tool_calls: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.tool_calls, Unset):
            tool_calls = []
            for tool_calls_item_data in self.tool_calls:
                tool_calls_item = tool_calls_item_data.to_dict()
                tool_calls.append(tool_calls_item)

        function_call: dict[str, Any] | Unset = UNSET
        if not isinstance(self.function_call, Unset):
            function_call = self.function_call.to_dict()

        annotations: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.annotations, Unset):
            annotations = []
            for annotations_item_data in self.annotations:
                annotations_item = annotations_item_data.to_dict()
                annotations.append(annotations_item)

        audio: dict[str, Any] | None | Unset
        if isinstance(self.audio, Unset):
            audio = UNSET
        elif isinstance(self.audio, ResponseAudio):
            audio = self.audio.to_dict()
        else:
            audio = self.audio

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "role": role,
                "content": content,
                "refusal": refusal,
            }
        )
        if tool_calls is not UNSET:
            field_dict["tool_calls"] = tool_calls
        if function_call is not UNSET:
            field_dict["function_call"] = function_call
        if annotations is not UNSET:
            field_dict["annotations"] = annotations
        if audio is not UNSET:
            field_dict["audio"] = audio

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.legacy_function_call import LegacyFunctionCall  # noqa: PLC0415
        from ..models.response_audio import ResponseAudio  # noqa: PLC0415
        from ..models.tool_call import ToolCall  # noqa: PLC0415
        from ..models.url_citation_annotation import UrlCitation  # noqa: PLC0415

        d = dict(src_dict)
        role = cast(Literal["assistant"], d.pop("role"))
        if role != "assistant":
            raise ValueError(f"role must match const 'assistant', got '{role}'")

        def _parse_content(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        content = _parse_content(d.pop("content"))

        def _parse_refusal(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        refusal = _parse_refusal(d.pop("refusal"))

        _tool_calls = d.pop("tool_calls", UNSET)
        tool_calls: list[ToolCall] | Unset = UNSET
        if _tool_calls is not UNSET:
            tool_calls = []
            for tool_calls_item_data in _tool_calls:
                tool_calls_item = ToolCall.from_dict(tool_calls_item_data)

                tool_calls.append(tool_calls_item)

        _function_call = d.pop("function_call", UNSET)
        function_call: LegacyFunctionCall | Unset
        if isinstance(_function_call, Unset):
            function_call = UNSET
        else:
            function_call = LegacyFunctionCall.from_dict(_function_call)

        _annotations = d.pop("annotations", UNSET)
        annotations: list[UrlCitation] | Unset = UNSET
        if _annotations is not UNSET:
            annotations = []
            for annotations_item_data in _annotations:
                annotations_item = UrlCitation.from_dict(annotations_item_data)

                annotations.append(annotations_item)

        def _parse_audio(data: object) -> None | ResponseAudio | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                audio_type_0 = ResponseAudio.from_dict(data)

                return audio_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ResponseAudio | Unset, data)

        audio = _parse_audio(d.pop("audio", UNSET))

        chat_response_message = cls(
            role=role,
            content=content,
            refusal=refusal,
            tool_calls=tool_calls,
            function_call=function_call,
            annotations=annotations,
            audio=audio,
        )

        chat_response_message.additional_properties = d
        return chat_response_message

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
