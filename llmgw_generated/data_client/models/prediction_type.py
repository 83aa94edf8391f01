from enum import StrEnum


class PredictionType(StrEnum):
    CONTENT = "content"

    def __str__(self) -> str:
        return str(self.value)
