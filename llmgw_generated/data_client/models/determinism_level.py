from enum import StrEnum


class DeterminismLevel(StrEnum):
    BEST_EFFORT = "best_effort"
    STRICT = "strict"

    def __str__(self) -> str:
        return str(self.value)
