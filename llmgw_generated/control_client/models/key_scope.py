from enum import StrEnum


class KeyScope(StrEnum):
    ACCOUNT = "account"
    INFERENCE = "inference"

    def __str__(self) -> str:
        return str(self.value)
