from enum import StrEnum


class ChatTextPartType(StrEnum):
    INPUT_TEXT = "input_text"
    TEXT = "text"

    def __str__(self) -> str:
        return str(self.value)
