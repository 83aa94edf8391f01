from enum import StrEnum


class PlacementMode(StrEnum):
    AUTO = "auto"
    PIN = "pin"
    PREFER = "prefer"

    def __str__(self) -> str:
        return str(self.value)
