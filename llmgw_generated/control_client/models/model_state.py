from enum import StrEnum


class ModelState(StrEnum):
    ACTIVE = "Active"
    RETIRED = "Retired"

    def __str__(self) -> str:
        return str(self.value)
