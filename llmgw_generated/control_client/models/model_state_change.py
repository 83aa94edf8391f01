from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.model_state import ModelState

T = TypeVar("T", bound="ModelStateChange")


@_attrs_define
class ModelStateChange:
    """The state to move a model to.

    Attributes:
        state (ModelState): Catalog lifecycle state.
    """

    state: ModelState

    def to_dict(self) -> dict[str, Any]:
        state = self.state.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "state": state,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        state = ModelState(d.pop("state"))

        model_state_change = cls(
            state=state,
        )

        return model_state_change
