from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tool_call_delta import ToolCallDelta
    from ..models.tool_call_delta_function import ToolCallDeltaFunction


T = TypeVar("T", bound="ChatDelta")


@_attrs_define
class ChatDelta:
    """Incremental part of a streamed choice.

    Attributes:
        role (Literal['assistant'] | Unset): On the first delta of each choice only.
        content (None | str | Unset): A text fragment.
        refusal (None | str | Unset): A fragment of the model's refusal.
        tool_calls (list[ToolCallDelta] | Unset): Tool-call fragments.
        function_call (ToolCallDeltaFunction | Unset): Partial function of a streamed tool call.
    """

    role: Literal["assistant"] | Unset = UNSET
    content: None | str | Unset = UNSET
    refusal: None | str | Unset = UNSET
    tool_calls: list[ToolCallDelta] | Unset = UNSET
    function_call: ToolCallDeltaFunction | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        role = self.role

        content: None | str | Unset
        if isinstance(self.content, Unset):
            content = UNSET
        else:
            content = self.content

        refusal: None | str | Unset
        if isinstance(self.refusal, Unset):
            refusal = UNSET
        else:
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

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if role is not UNSET:
            field_dict["role"] = role
        if content is not UNSET:
            field_dict["content"] = content
        if refusal is not UNSET:
            field_dict["refusal"] = refusal
        if tool_calls is not UNSET:
            field_dict["tool_calls"] = tool_calls
        if function_call is not UNSET:
            field_dict["function_call"] = function_call

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tool_call_delta import ToolCallDelta  # noqa: PLC0415
        from ..models.tool_call_delta_function import ToolCallDeltaFunction  # noqa: PLC0415

        d = dict(src_dict)
        role = cast(Literal["assistant"] | Unset, d.pop("role", UNSET))
        if role != "assistant" and not isinstance(role, Unset):
            raise ValueError(f"role must match const 'assistant', got '{role}'")

        def _parse_content(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        content = _parse_content(d.pop("content", UNSET))

        def _parse_refusal(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        refusal = _parse_refusal(d.pop("refusal", UNSET))

        _tool_calls = d.pop("tool_calls", UNSET)
        tool_calls: list[ToolCallDelta] | Unset = UNSET
        if _tool_calls is not UNSET:
            tool_calls = []
            for tool_calls_item_data in _tool_calls:
                tool_calls_item = ToolCallDelta.from_dict(tool_calls_item_data)

                tool_calls.append(tool_calls_item)

        _function_call = d.pop("function_call", UNSET)
        function_call: ToolCallDeltaFunction | Unset
        if isinstance(_function_call, Unset):
            function_call = UNSET
        else:
            function_call = ToolCallDeltaFunction.from_dict(_function_call)

        chat_delta = cls(
            role=role,
            content=content,
            refusal=refusal,
            tool_calls=tool_calls,
            function_call=function_call,
        )

        chat_delta.additional_properties = d
        return chat_delta

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
