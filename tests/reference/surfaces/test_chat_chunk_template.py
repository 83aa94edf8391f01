"""The pre-built content chunk of the chat stream is byte for byte the chunk the dict path builds."""

from __future__ import annotations

import json

import pytest

from llmgw_generated.models.data import ChatCompletionChunk
from llmgw_reference.sse import json_data
from llmgw_reference.surfaces import chat_chunks


@pytest.mark.parametrize(
    "text",
    ["a", "", " word", 'quote " and \\ backslash', "line\nbreak\ttab", "é ü 漢字 🙂", "\u2028\u0000\x1f"],
)
@pytest.mark.parametrize("model", ["synth-chat", 'odd "model" é'])
def test_content_chunk_json_equals_the_dict_path(text: str, model: str) -> None:
    header = chat_chunks.ChunkHeader("chatcmpl-abc", 1_700_000_000, model)
    by_dict = json_data(header.chunk([chat_chunks.chunk_choice(0, {"content": text})]))
    assert header.content_chunk_json(text) == by_dict
    parsed = json.loads(header.content_chunk_json(text))
    assert parsed["choices"][0]["delta"]["content"] == text
    assert parsed["choices"][0]["finish_reason"] is None


def test_content_chunk_is_a_valid_stream_chunk() -> None:
    header = chat_chunks.ChunkHeader("chatcmpl-abc", 1_700_000_000, "synth-chat")
    chunk = ChatCompletionChunk.model_validate_json(header.content_chunk_json("hi"))
    assert chunk.choices[0].delta.content == "hi"
