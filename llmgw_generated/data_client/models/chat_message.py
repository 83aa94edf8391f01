from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.chat_role import ChatRole
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.assistant_audio_ref import AssistantAudioRef
    from ..models.chat_audio_part import ChatAudioPart
    from ..models.chat_file_part import ChatFilePart
    from ..models.chat_image_part import ChatImagePart
    from ..models.chat_refusal_part import ChatRefusalPart
    from ..models.chat_text_part import ChatTextPart
    from ..models.legacy_function_call import LegacyFunctionCall
    from ..models.tool_call import ToolCall


T = TypeVar("T", bound="ChatMessage")


@_attrs_define
class ChatMessage:
    """One message of the conversation (the union of OpenAI's per-role message types).

    Attributes:
        role (ChatRole): Author of a message; `developer` is treated as `system`; `function` is a replayed legacy
            function result (treated as `tool`).
        content (list[ChatAudioPart | ChatFilePart | ChatImagePart | ChatRefusalPart | ChatTextPart] | None | str |
            Unset): Text, content parts, or null (assistant turns with tool calls; a replayed function result).
        name (str | Unset): Participant name; the function's name on a `function` message.
        refusal (None | str | Unset): A replayed assistant refusal.
        audio (AssistantAudioRef | None | Unset): A reference to an earlier audio answer (assistant messages); a gateway
            without audio output refuses a non-null value.
        tool_call_id (str | Unset): Required when `role` is `tool`.
        tool_calls (list[ToolCall] | Unset): Tool calls of an assistant turn.
        function_call (LegacyFunctionCall | None | Unset): A replayed legacy function call (assistant messages).
    """

    role: ChatRole
    content: (
        list[ChatAudioPart | ChatFilePart | ChatImagePart | ChatRefusalPart | ChatTextPart]
        | None
        | str
        | Unset
    ) = UNSET
    name: str | Unset = UNSET
    refusal: None | str | Unset = UNSET
    audio: AssistantAudioRef | None | Unset = UNSET
    tool_call_id: str | Unset = UNSET
    tool_calls: list[ToolCall] | Unset = UNSET
    function_call: LegacyFunctionCall | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.assistant_audio_ref import AssistantAudioRef  # noqa: PLC0415
        from ..models.chat_audio_part import ChatAudioPart  # noqa: PLC0415
        from ..models.chat_file_part import ChatFilePart  # noqa: PLC0415
        from ..models.chat_image_part import ChatImagePart  # noqa: PLC0415
        from ..models.chat_text_part import ChatTextPart  # noqa: PLC0415
        from ..models.legacy_function_call import LegacyFunctionCall  # noqa: PLC0415

        role = self.role.value

        content: list[dict[str, Any]] | None | str | Unset
        if isinstance(self.content, Unset):
            content = UNSET
        elif isinstance(self.content, list):
            content = []
            for content_type_1_item_data in self.content:
                content_type_1_item: dict[str, Any]
                if isinstance(content_type_1_item_data, ChatTextPart):
                    content_type_1_item = content_type_1_item_data.to_dict()
                elif isinstance(content_type_1_item_data, ChatImagePart):
                    content_type_1_item = content_type_1_item_data.to_dict()
                elif isinstance(content_type_1_item_data, ChatAudioPart):
                    content_type_1_item = content_type_1_item_data.to_dict()
                elif isinstance(content_type_1_item_data, ChatFilePart):
                    content_type_1_item = content_type_1_item_data.to_dict()
                else:
                    content_type_1_item = content_type_1_item_data.to_dict()

                content.append(content_type_1_item)

        else:
            content = self.content

        name = self.name

        refusal: None | str | Unset
        if isinstance(self.refusal, Unset):
            refusal = UNSET
        else:
            refusal = self.refusal

        audio: dict[str, Any] | None | Unset
        if isinstance(self.audio, Unset):
            audio = UNSET
        elif isinstance(self.audio, AssistantAudioRef):
            audio = self.audio.to_dict()
        else:
            audio = self.audio

        tool_call_id = self.tool_call_id

        tool_calls: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.tool_calls, Unset):
            tool_calls = []
            for tool_calls_item_data in self.tool_calls:
                tool_calls_item = tool_calls_item_data.to_dict()
                tool_calls.append(tool_calls_item)

        function_call: dict[str, Any] | None | Unset
        if isinstance(self.function_call, Unset):
            function_call = UNSET
        elif isinstance(self.function_call, LegacyFunctionCall):
            function_call = self.function_call.to_dict()
        else:
            function_call = self.function_call

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "role": role,
            }
        )
        if content is not UNSET:
            field_dict["content"] = content
        if name is not UNSET:
            field_dict["name"] = name
        if refusal is not UNSET:
            field_dict["refusal"] = refusal
        if audio is not UNSET:
            field_dict["audio"] = audio
        if tool_call_id is not UNSET:
            field_dict["tool_call_id"] = tool_call_id
        if tool_calls is not UNSET:
            field_dict["tool_calls"] = tool_calls
        if function_call is not UNSET:
            field_dict["function_call"] = function_call

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.assistant_audio_ref import AssistantAudioRef  # noqa: PLC0415
        from ..models.chat_audio_part import ChatAudioPart  # noqa: PLC0415
        from ..models.chat_file_part import ChatFilePart  # noqa: PLC0415
        from ..models.chat_image_part import ChatImagePart  # noqa: PLC0415
        from ..models.chat_refusal_part import ChatRefusalPart  # noqa: PLC0415
        from ..models.chat_text_part import ChatTextPart  # noqa: PLC0415
        from ..models.legacy_function_call import LegacyFunctionCall  # noqa: PLC0415
        from ..models.tool_call import ToolCall  # noqa: PLC0415

        d = dict(src_dict)
        role = ChatRole(d.pop("role"))

        def _parse_content(
            data: object,
        ) -> (
            list[ChatAudioPart | ChatFilePart | ChatImagePart | ChatRefusalPart | ChatTextPart]
            | None
            | str
            | Unset
        ):
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                content_type_1 = []
                _content_type_1 = data
                for content_type_1_item_data in _content_type_1:

                    def _parse_content_type_1_item(
                        data: object,
                    ) -> ChatAudioPart | ChatFilePart | ChatImagePart | ChatRefusalPart | ChatTextPart:
                        try:
                            if not isinstance(data, dict):
                                raise TypeError()
                            componentsschemas_chat_content_part_type_0 = ChatTextPart.from_dict(data)

                            return componentsschemas_chat_content_part_type_0
                        except (TypeError, ValueError, AttributeError, KeyError):
                            pass
                        try:
                            if not isinstance(data, dict):
                                raise TypeError()
                            componentsschemas_chat_content_part_type_1 = ChatImagePart.from_dict(data)

                            return componentsschemas_chat_content_part_type_1
                        except (TypeError, ValueError, AttributeError, KeyError):
                            pass
                        try:
                            if not isinstance(data, dict):
                                raise TypeError()
                            componentsschemas_chat_content_part_type_2 = ChatAudioPart.from_dict(data)

                            return componentsschemas_chat_content_part_type_2
                        except (TypeError, ValueError, AttributeError, KeyError):
                            pass
                        try:
                            if not isinstance(data, dict):
                                raise TypeError()
                            componentsschemas_chat_content_part_type_3 = ChatFilePart.from_dict(data)

                            return componentsschemas_chat_content_part_type_3
                        except (TypeError, ValueError, AttributeError, KeyError):
                            pass
                        if not isinstance(data, dict):
                            raise TypeError()
                        componentsschemas_chat_content_part_type_4 = ChatRefusalPart.from_dict(data)

                        return componentsschemas_chat_content_part_type_4

                    content_type_1_item = _parse_content_type_1_item(content_type_1_item_data)

                    content_type_1.append(content_type_1_item)

                return content_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                list[ChatAudioPart | ChatFilePart | ChatImagePart | ChatRefusalPart | ChatTextPart]
                | None
                | str
                | Unset,
                data,
            )

        content = _parse_content(d.pop("content", UNSET))

        name = d.pop("name", UNSET)

        def _parse_refusal(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        refusal = _parse_refusal(d.pop("refusal", UNSET))

        def _parse_audio(data: object) -> AssistantAudioRef | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                audio_type_0 = AssistantAudioRef.from_dict(data)

                return audio_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AssistantAudioRef | None | Unset, data)

        audio = _parse_audio(d.pop("audio", UNSET))

        tool_call_id = d.pop("tool_call_id", UNSET)

        _tool_calls = d.pop("tool_calls", UNSET)
        tool_calls: list[ToolCall] | Unset = UNSET
        if _tool_calls is not UNSET:
            tool_calls = []
            for tool_calls_item_data in _tool_calls:
                tool_calls_item = ToolCall.from_dict(tool_calls_item_data)

                tool_calls.append(tool_calls_item)

        def _parse_function_call(data: object) -> LegacyFunctionCall | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                function_call_type_0 = LegacyFunctionCall.from_dict(data)

                return function_call_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LegacyFunctionCall | None | Unset, data)

        function_call = _parse_function_call(d.pop("function_call", UNSET))

        chat_message = cls(
            role=role,
            content=content,
            name=name,
            refusal=refusal,
            audio=audio,
            tool_call_id=tool_call_id,
            tool_calls=tool_calls,
            function_call=function_call,
        )

        return chat_message
