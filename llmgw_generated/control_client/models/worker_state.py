from enum import StrEnum


class WorkerState(StrEnum):
    BUSY = "busy"
    DOWN = "down"
    READY = "ready"

    def __str__(self) -> str:
        return str(self.value)
