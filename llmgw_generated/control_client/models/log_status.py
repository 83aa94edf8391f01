from enum import StrEnum


class LogStatus(StrEnum):
    ERROR = "ERROR"
    RATE_LIMITED = "RATE_LIMITED"
    SUCCESS = "SUCCESS"

    def __str__(self) -> str:
        return str(self.value)
