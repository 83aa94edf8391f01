from enum import StrEnum


class Workload(StrEnum):
    COMPLETION = "completion"
    EMBEDDING = "embedding"
    RERANK = "rerank"

    def __str__(self) -> str:
        return str(self.value)
