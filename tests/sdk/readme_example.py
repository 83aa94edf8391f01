"""The SDK example of docs/sdk.md, kept here so that it is proven twice: it is type-checked
by ``mypy --strict`` (test_typing_example.py) and run against the real reference gateway
(test_reference_live.py).  Run it by hand against ``make serve``:

    LLMGW_API_KEY=sk-local-dev .venv/bin/python -m tests.sdk.readme_example
"""

from __future__ import annotations

import asyncio
import sys

from llmgw_generated.models.data import ChatCompletionRequest, ChatMessage, ChatRole
from llmgw_sdk import (
    AsyncGatewayClient,
    BackpressureError,
    GatewayClient,
    RetryPolicy,
    StreamError,
    TaskEnd,
    TaskToken,
    acollect_chat_stream,
)


def stream_chat_and_task(base_url: str) -> tuple[str, str]:
    """Stream a chat completion, then a native task; return both texts."""
    chat_text: list[str] = []
    task_text: list[str] = []
    # The API key comes from LLMGW_API_KEY (or GATEWAY_API_KEY); retries wait out model loading
    # for at most 30 s.
    with GatewayClient(base_url, retry=RetryPolicy(budget_s=30.0)) as client:
        request = ChatCompletionRequest(
            model="synth-small",
            messages=[ChatMessage(role=ChatRole.user, content="Say hello")],
            max_tokens=16,
        )
        with client.stream_chat(request) as chunks:
            for chunk in chunks:
                for choice in chunk.choices:
                    if choice.delta.content:
                        chat_text.append(choice.delta.content)
                        print(choice.delta.content, end="", flush=True)
        print()

        task = {
            "workload": "completion", "model_ref": "synth-small", "engine": "vllm", "ctx": 512,
            "priority": "interactive", "prompt": "Say hello", "max_tokens": 16, "deadline_ms": 10_000,
        }  # fmt: skip
        try:
            with client.run_task(task) as events:  # task_id and session_id are filled in
                for event in events:
                    match event:
                        case TaskToken(data=token):
                            task_text.append(token.t)
                            print(token.t, end="", flush=True)
                        case TaskEnd(data=end):
                            print(f"\n[finish: {end.finish_reason}, {end.tokens_out} tokens]")
        except BackpressureError as busy:
            print(f"gateway busy ({busy.policy_label}); retry after {busy.retry_after} s")
        except StreamError as failed:
            print(f"task failed mid-stream: {failed.code}: {failed.message}")
    return "".join(chat_text), "".join(task_text)


async def chat_summary_async(base_url: str) -> float | None:
    """The async client, and a stream turned into one result with its time to first token."""
    async with AsyncGatewayClient(base_url) as client:
        request = {"model": "synth-small", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 8}
        result = await acollect_chat_stream(await client.stream_chat(request))
    print(f"{result.text!r}: {result.finish_reason}, ttft {result.ttft_ms:.1f} ms" if result.ttft_ms else "")
    return result.ttft_ms


if __name__ == "__main__":
    url = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080"
    stream_chat_and_task(url)
    asyncio.run(chat_summary_async(url))
