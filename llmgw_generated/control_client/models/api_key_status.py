from enum import StrEnum


class ApiKeyStatus(StrEnum):
    ACTIVE = "ACTIVE"
    EXPIRED = "EXPIRED"
    REVOKED = "REVOKED"
    SUSPENDED = "SUSPENDED"

    def __str__(self) -> str:
        return str(self.value)
