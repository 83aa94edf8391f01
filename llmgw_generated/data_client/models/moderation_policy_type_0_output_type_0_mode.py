from enum import StrEnum


class ModerationPolicyType0OutputType0Mode(StrEnum):
    BLOCK = "block"
    SCORE = "score"

    def __str__(self) -> str:
        return str(self.value)
