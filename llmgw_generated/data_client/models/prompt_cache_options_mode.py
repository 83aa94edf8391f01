from enum import StrEnum


class PromptCacheOptionsMode(StrEnum):
    EXPLICIT = "explicit"
    IMPLICIT = "implicit"

    def __str__(self) -> str:
        return str(self.value)
