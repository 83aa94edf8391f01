from enum import StrEnum


class UserStatus(StrEnum):
    ACTIVE = "ACTIVE"
    BANNED = "BANNED"
    DELETED = "DELETED"
    SUSPENDED = "SUSPENDED"

    def __str__(self) -> str:
        return str(self.value)
