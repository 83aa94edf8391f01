from enum import StrEnum


class ImageQuality(StrEnum):
    FAST = "fast"
    HD = "hd"
    HIGH = "high"
    LOW = "low"
    MEDIUM = "medium"
    STANDARD = "standard"
    ULTRA = "ultra"

    def __str__(self) -> str:
        return str(self.value)
