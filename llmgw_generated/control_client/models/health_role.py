from enum import StrEnum


class HealthRole(StrEnum):
    COMBINED = "combined"
    GATEWAY = "gateway"
    WORKER = "worker"

    def __str__(self) -> str:
        return str(self.value)
