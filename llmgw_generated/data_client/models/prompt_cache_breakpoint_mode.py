from enum import StrEnum


class PromptCacheBreakpointMode(StrEnum):
    EXPLICIT = "explicit"

    def __str__(self) -> str:
        return str(self.value)
