from enum import StrEnum


class ConformanceProfile(StrEnum):
    ACCOUNTS_KEYS = "accounts-keys"
    ACCOUNTS_USAGE = "accounts-usage"
    AUTH = "auth"
    BACKPRESSURE = "backpressure"
    CONTROL = "control"
    CONTROL_ADMIN = "control-admin"
    DETERMINISM = "determinism"
    EMBEDDINGS = "embeddings"
    GENERATE = "generate"
    IMAGES = "images"
    OPENAI_CHAT = "openai-chat"
    OPENAI_EXTENDED = "openai-extended"
    RERANK = "rerank"
    TASKS = "tasks"

    def __str__(self) -> str:
        return str(self.value)
