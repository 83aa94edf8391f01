from enum import StrEnum


class KVHint(StrEnum):
    COLD = "cold"
    REUSE = "reuse"

    def __str__(self) -> str:
        return str(self.value)
