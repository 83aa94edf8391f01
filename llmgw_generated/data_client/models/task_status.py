from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.task_state import TaskState
from ..models.workload import Workload
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.completion_result import CompletionResult
    from ..models.embedding_result import EmbeddingResult
    from ..models.error_envelope import ErrorEnvelope
    from ..models.rerank_result import RerankResult


T = TypeVar("T", bound="TaskStatus")


@_attrs_define
class TaskStatus:
    """State of a task, and its result once it succeeded.

    Attributes:
        task_id (str): The task id.
        state (TaskState): Lifecycle of a task.
        workload (Workload): Kind of work a task asks for.
        session_id (str | Unset): The session of the task.
        pool_id (None | str | Unset): The pool it was placed in.
        worker_id (None | str | Unset): The worker running or that ran it.
        queue_position (int | None | Unset): Position in the queue while queued.
        tokens_out (int | Unset): Tokens generated so far.
        result (CompletionResult | EmbeddingResult | RerankResult | Unset): The result, once `state` is `succeeded`.
        error (ErrorEnvelope | Unset): The one error body of every non-2xx answer of a native operation.
    """

    task_id: str
    state: TaskState
    workload: Workload
    session_id: str | Unset = UNSET
    pool_id: None | str | Unset = UNSET
    worker_id: None | str | Unset = UNSET
    queue_position: int | None | Unset = UNSET
    tokens_out: int | Unset = UNSET
    result: CompletionResult | EmbeddingResult | RerankResult | Unset = UNSET
    error: ErrorEnvelope | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.completion_result import CompletionResult  # noqa: PLC0415
        from ..models.embedding_result import EmbeddingResult  # noqa: PLC0415

        task_id = self.task_id

        state = self.state.value

        workload = self.workload.value

        session_id = self.session_id

        pool_id: None | str | Unset
        if isinstance(self.pool_id, Unset):
            pool_id = UNSET
        else:
            pool_id = self.pool_id

        worker_id: None | str | Unset
        if isinstance(self.worker_id, Unset):
            worker_id = UNSET
        else:
            worker_id = self.worker_id

        queue_position: int | None | Unset
        if isinstance(self.queue_position, Unset):
            queue_position = UNSET
        else:
            queue_position = self.queue_position

        tokens_out = self.tokens_out

        result: dict[str, Any] | Unset
        if isinstance(self.result, Unset):
            result = UNSET
        elif isinstance(self.result, CompletionResult):
            result = self.result.to_dict()
        elif isinstance(self.result, EmbeddingResult):
            result = self.result.to_dict()
        else:
            result = self.result.to_dict()

        error: dict[str, Any] | Unset = UNSET
        if not isinstance(self.error, Unset):
            error = self.error.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "task_id": task_id,
                "state": state,
                "workload": workload,
            }
        )
        if session_id is not UNSET:
            field_dict["session_id"] = session_id
        if pool_id is not UNSET:
            field_dict["pool_id"] = pool_id
        if worker_id is not UNSET:
            field_dict["worker_id"] = worker_id
        if queue_position is not UNSET:
            field_dict["queue_position"] = queue_position
        if tokens_out is not UNSET:
            field_dict["tokens_out"] = tokens_out
        if result is not UNSET:
            field_dict["result"] = result
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.completion_result import CompletionResult  # noqa: PLC0415
        from ..models.embedding_result import EmbeddingResult  # noqa: PLC0415
        from ..models.error_envelope import ErrorEnvelope  # noqa: PLC0415
        from ..models.rerank_result import RerankResult  # noqa: PLC0415

        d = dict(src_dict)
        task_id = d.pop("task_id")

        state = TaskState(d.pop("state"))

        workload = Workload(d.pop("workload"))

        session_id = d.pop("session_id", UNSET)

        def _parse_pool_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        pool_id = _parse_pool_id(d.pop("pool_id", UNSET))

        def _parse_worker_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        worker_id = _parse_worker_id(d.pop("worker_id", UNSET))

        def _parse_queue_position(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        queue_position = _parse_queue_position(d.pop("queue_position", UNSET))

        tokens_out = d.pop("tokens_out", UNSET)

        def _parse_result(data: object) -> CompletionResult | EmbeddingResult | RerankResult | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_0 = CompletionResult.from_dict(data)

                return result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_1 = EmbeddingResult.from_dict(data)

                return result_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            result_type_2 = RerankResult.from_dict(data)

            return result_type_2

        result = _parse_result(d.pop("result", UNSET))

        _error = d.pop("error", UNSET)
        error: ErrorEnvelope | Unset
        if isinstance(_error, Unset):
            error = UNSET
        else:
            error = ErrorEnvelope.from_dict(_error)

        task_status = cls(
            task_id=task_id,
            state=state,
            workload=workload,
            session_id=session_id,
            pool_id=pool_id,
            worker_id=worker_id,
            queue_position=queue_position,
            tokens_out=tokens_out,
            result=result,
            error=error,
        )

        task_status.additional_properties = d
        return task_status

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
