"""The reference runtime: admission queues, worker slots, tasks, sessions, catalog and pools."""

from reference.runtime.core import Runtime
from reference.runtime.records import TaskEvent, TaskRecord

__all__ = ["Runtime", "TaskEvent", "TaskRecord"]
