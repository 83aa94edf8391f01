from enum import StrEnum


class ModelLoadState(StrEnum):
    FAILED = "failed"
    LOADED = "loaded"
    LOADING = "loading"
    NOT_LOADED = "not_loaded"

    def __str__(self) -> str:
        return str(self.value)
