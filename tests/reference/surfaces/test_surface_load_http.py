"""Many concurrent surface requests on one server: every stream ends properly, every refusal is documented."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx

CHAT = "/v1/chat/completions"


async def _one_stream(client: httpx.AsyncClient, seed: int) -> tuple[int, list[str]]:
    body = {
        "model": "synth-small",
        "messages": [{"role": "user", "content": f"request {seed}"}],
        "seed": seed,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    async with client.stream("POST", CHAT, json=body) as response:
        raw = (await response.aread()).decode()
    data = [line[6:] for line in raw.split("\n") if line.startswith("data: ")]
    return response.status_code, data


def test_concurrent_streams_all_end_with_usage_and_done(reference_server: Any) -> None:
    async def run() -> list[tuple[int, list[str]]]:
        headers = {"Authorization": "Bearer sk-local-dev"}
        limits = httpx.Limits(max_connections=100)
        async with httpx.AsyncClient(
            base_url=reference_server.url, headers=headers, limits=limits, timeout=60
        ) as c:
            return await asyncio.gather(*(_one_stream(c, seed) for seed in range(80)))

    results = asyncio.run(run())
    statuses = [status for status, _ in results]
    assert set(statuses) <= {200, 429} and statuses.count(200) >= 64
    for status, data in results:
        if status != 200:
            continue
        assert data[-1] == "[DONE]" and data.count("[DONE]") == 1
        chunks = [json.loads(d) for d in data[:-1]]
        assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["completion_tokens"] > 0
        finishes = [c["choices"][0]["finish_reason"] for c in chunks[:-1]]
        assert finishes[-1] == "stop" and all(f is None for f in finishes[:-1])
    runtime = reference_server.runtime
    assert all(r.terminal for r in runtime.tasks.values())
    assert all(w.free_slots == w.slots for w in runtime.cluster.workers)  # every slot came back
