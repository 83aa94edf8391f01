from enum import StrEnum


class ModelTier(StrEnum):
    NANO = "NANO"
    PREMIUM = "PREMIUM"
    PRO = "PRO"
    STANDARD = "STANDARD"

    def __str__(self) -> str:
        return str(self.value)
