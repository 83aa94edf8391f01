from enum import StrEnum


class WebSearchUserLocationType(StrEnum):
    APPROXIMATE = "approximate"

    def __str__(self) -> str:
        return str(self.value)
