"""The reference runtime: admission queues, worker slots, tasks, sessions, catalog and pools."""

from llmgw_reference.runtime.core import Runtime
from llmgw_reference.runtime.records import TaskEvent, TaskRecord

__all__ = ["Runtime", "TaskEvent", "TaskRecord"]
