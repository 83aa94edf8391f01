from enum import StrEnum


class ChatCompletionRequestModalitiesType0Item(StrEnum):
    AUDIO = "audio"
    TEXT = "text"

    def __str__(self) -> str:
        return str(self.value)
