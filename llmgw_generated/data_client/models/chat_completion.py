from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.service_tier import ServiceTier
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.chat_choice import ChatChoice
    from ..models.chat_completion_metadata_type_0 import ChatCompletionMetadataType0
    from ..models.chat_completion_moderation_type_0 import ChatCompletionModerationType0
    from ..models.chat_usage import ChatUsage


T = TypeVar("T", bound="ChatCompletion")


@_attrs_define
class ChatCompletion:
    """A chat completion.

    Attributes:
        id (str): Completion id.
        object_ (Literal['chat.completion']): Always `chat.completion`.
        created (int): Unix seconds.
        model (str): Model id.
        choices (list[ChatChoice]): The choices, `index` 0 to n-1.
        usage (ChatUsage): Token usage; `total_tokens` equals `prompt_tokens + completion_tokens`.
        system_fingerprint (None | str | Unset): Backend configuration fingerprint.
        service_tier (None | ServiceTier | Unset): The tier that served the request.
        metadata (ChatCompletionMetadataType0 | None | Unset): The request's `metadata`, when stored.
        moderation (ChatCompletionModerationType0 | None | Unset): Moderation results, with `moderation` in the request
            (their shape is the moderator's).
    """

    id: str
    object_: Literal["chat.completion"]
    created: int
    model: str
    choices: list[ChatChoice]
    usage: ChatUsage
    system_fingerprint: None | str | Unset = UNSET
    service_tier: None | ServiceTier | Unset = UNSET
    metadata: ChatCompletionMetadataType0 | None | Unset = UNSET
    moderation: ChatCompletionModerationType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.chat_completion_metadata_type_0 import ChatCompletionMetadataType0  # noqa: PLC0415
        from ..models.chat_completion_moderation_type_0 import ChatCompletionModerationType0  # noqa: PLC0415

        id = self.id

        object_ = self.object_

        created = self.created

        model = self.model

        choices = []
        for choices_item_data in self.choices:
            choices_item = choices_item_data.to_dict()
            choices.append(choices_item)

        usage = self.usage.to_dict()

        system_fingerprint: None | str | Unset
        if isinstance(self.system_fingerprint, Unset):
            system_fingerprint = UNSET
        else:
            system_fingerprint = self.system_fingerprint

        service_tier: None | str | Unset
        if isinstance(self.service_tier, Unset):
            service_tier = UNSET
        elif isinstance(self.service_tier, ServiceTier):
            service_tier = self.service_tier.value
        else:
            service_tier = self.service_tier

        metadata: dict[str, Any] | None | Unset
        if isinstance(self.metadata, Unset):
            metadata = UNSET
        elif isinstance(self.metadata, ChatCompletionMetadataType0):
            metadata = self.metadata.to_dict()
        else:
            metadata = self.metadata

        moderation: dict[str, Any] | None | Unset
        if isinstance(self.moderation, Unset):
            moderation = UNSET
        elif isinstance(self.moderation, ChatCompletionModerationType0):
            moderation = self.moderation.to_dict()
        else:
            moderation = self.moderation

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "object": object_,
                "created": created,
                "model": model,
                "choices": choices,
                "usage": usage,
            }
        )
        if system_fingerprint is not UNSET:
            field_dict["system_fingerprint"] = system_fingerprint
        if service_tier is not UNSET:
            field_dict["service_tier"] = service_tier
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if moderation is not UNSET:
            field_dict["moderation"] = moderation

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.chat_choice import ChatChoice  # noqa: PLC0415
        from ..models.chat_completion_metadata_type_0 import ChatCompletionMetadataType0  # noqa: PLC0415
        from ..models.chat_completion_moderation_type_0 import ChatCompletionModerationType0  # noqa: PLC0415
        from ..models.chat_usage import ChatUsage  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        object_ = cast(Literal["chat.completion"], d.pop("object"))
        if object_ != "chat.completion":
            raise ValueError(f"object must match const 'chat.completion', got '{object_}'")

        created = d.pop("created")

        model = d.pop("model")

        choices = []
        _choices = d.pop("choices")
        for choices_item_data in _choices:
            choices_item = ChatChoice.from_dict(choices_item_data)

            choices.append(choices_item)

        usage = ChatUsage.from_dict(d.pop("usage"))

        def _parse_system_fingerprint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        system_fingerprint = _parse_system_fingerprint(d.pop("system_fingerprint", UNSET))

        def _parse_service_tier(data: object) -> None | ServiceTier | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                service_tier_type_0 = ServiceTier(data)

                return service_tier_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ServiceTier | Unset, data)

        service_tier = _parse_service_tier(d.pop("service_tier", UNSET))

        def _parse_metadata(data: object) -> ChatCompletionMetadataType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                metadata_type_0 = ChatCompletionMetadataType0.from_dict(data)

                return metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ChatCompletionMetadataType0 | None | Unset, data)

        metadata = _parse_metadata(d.pop("metadata", UNSET))

        def _parse_moderation(data: object) -> ChatCompletionModerationType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                moderation_type_0 = ChatCompletionModerationType0.from_dict(data)

                return moderation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ChatCompletionModerationType0 | None | Unset, data)

        moderation = _parse_moderation(d.pop("moderation", UNSET))

        chat_completion = cls(
            id=id,
            object_=object_,
            created=created,
            model=model,
            choices=choices,
            usage=usage,
            system_fingerprint=system_fingerprint,
            service_tier=service_tier,
            metadata=metadata,
            moderation=moderation,
        )

        chat_completion.additional_properties = d
        return chat_completion

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
