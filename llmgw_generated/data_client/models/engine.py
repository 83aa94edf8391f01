from enum import StrEnum


class Engine(StrEnum):
    LLAMACPP = "llamacpp"
    TGI = "tgi"
    TRITON = "triton"
    VLLM = "vllm"

    def __str__(self) -> str:
        return str(self.value)
