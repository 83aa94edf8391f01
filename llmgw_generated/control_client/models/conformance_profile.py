from enum import StrEnum


class ConformanceProfile(StrEnum):
    AUTH = "auth"
    BACKPRESSURE = "backpressure"
    CONTROL = "control"
    CONTROL_ADMIN = "control-admin"
    DETERMINISM = "determinism"
    EMBEDDINGS = "embeddings"
    GENERATE = "generate"
    OPENAI_CHAT = "openai-chat"
    OPENAI_EXTENDED = "openai-extended"
    RERANK = "rerank"
    TASKS = "tasks"

    def __str__(self) -> str:
        return str(self.value)
