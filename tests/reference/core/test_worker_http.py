"""The gateway and worker roles as real processes: a worker killed mid-stream gives WORKER_RESET.

Two workers and one gateway are started with `python -m llmgw_reference`; the gateway's slots on
`w-l4-0` run on the first worker and `w-l4-1` on the second. Killing the first ends its task's
stream with a retriable `WORKER_RESET` error event while the task on the second ends normally.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.reference.conftest import DEV_KEY, free_port
from tests.reference.core.native_client import StreamResult, read_stream, submit

REPO = Path(__file__).resolve().parents[3]
CHAT_STREAM = {
    "model": "synth-small",
    "messages": [{"role": "user", "content": "Tell me about the river and the stone."}],
    "seed": 9,  # natural length 47 for this prompt
    "max_tokens": 48,
    "stream": True,
}
LONG_SEED = 12  # natural length 48 for the default prompt: the stream runs ~2.4 s at 20 tokens/s


def _spawn(*args: str, port: int | None = None) -> tuple[subprocess.Popen[bytes], str]:
    port = port or free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "llmgw_reference", "--port", str(port), *args],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=0.5).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"reference {args} did not start")


@pytest.fixture
def cluster() -> Iterator[tuple[list[subprocess.Popen[bytes]], str, str]]:
    first, first_url = _spawn("--role", "worker", "--tokens-per-s", "20")
    second, second_url = _spawn("--role", "worker", "--tokens-per-s", "20")
    config = REPO / "build" / f"gateway-{os.getpid()}.yaml"
    config.parent.mkdir(exist_ok=True)
    config.write_text("machine_profiles: {l4: 2}\nslots_per_worker: 4\n")
    gateway, gateway_url = _spawn(
        "--role", "gateway", "--config", str(config), "--worker-url", first_url, "--worker-url", second_url
    )
    processes = [first, second, gateway]
    yield processes, gateway_url, first_url
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
    config.unlink(missing_ok=True)


def test_gateway_streams_from_workers_and_survives_a_dead_one(
    cluster: tuple[list[subprocess.Popen[bytes]], str, str],
) -> None:
    (first_worker, _, _), url, first_url = cluster
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {DEV_KEY}"}, timeout=20) as client:
        assert client.get("/healthz").json()["role"] == "gateway"
        _, doomed = submit(client, max_tokens=48, seed=LONG_SEED)
        _, survivor = submit(client, max_tokens=48, seed=LONG_SEED)
        placed = {tid: client.get(f"/v1/tasks/{tid}").json()["worker_id"] for tid in (doomed, survivor)}
        assert placed == {doomed: "w-l4-0", survivor: "w-l4-1"}
        results: dict[str, StreamResult] = {}

        def read(task_id: str) -> None:
            with httpx.Client(
                base_url=url, headers={"Authorization": f"Bearer {DEV_KEY}"}, timeout=20
            ) as own:
                results[task_id] = read_stream(own, task_id)

        chat: list[bytes] = []
        chat_started = threading.Event()

        def read_chat() -> None:  # placed third: on the doomed worker too, its chunks forwarded as framed
            with (
                httpx.Client(base_url=url, headers={"Authorization": f"Bearer {DEV_KEY}"}, timeout=20) as own,
                own.stream("POST", "/v1/chat/completions", json=CHAT_STREAM) as response,
            ):
                for piece in response.iter_raw():
                    chat.append(piece)
                    chat_started.set()

        readers = [threading.Thread(target=read, args=(tid,)) for tid in (doomed, survivor)]
        readers.append(threading.Thread(target=read_chat))
        for reader in readers:
            reader.start()
        assert chat_started.wait(20)
        time.sleep(0.4)
        first_worker.kill()
        for reader in readers:
            reader.join(20)
        # The forwarded chat stream still ends with exactly one terminal: an error chunk, then [DONE].
        *chunks, error_chunk, done, rest = b"".join(chat).split(b"\n\n")
        assert done == b"data: [DONE]" and rest == b"" and b"[DONE]" not in b"".join(chunks)
        assert "error" in json.loads(error_chunk.removeprefix(b"data: "))
        assert 1 < len([c for c in chunks if b'"content":"' in c]) < 47
        broken, intact = results[doomed], results[survivor]
        assert broken.names()[-1] == "error"
        error = broken.of("error")[0]
        assert error["code"] == "WORKER_RESET" and error["retriable"] is True
        assert 0 < len(broken.of("token")) < 48
        assert [t["i"] for t in broken.of("token")] == list(range(len(broken.of("token"))))
        assert intact.names()[-1] == "end"
        assert intact.of("end")[0]["tokens_out"] == len(intact.of("token"))
        # Same seed, same prompt: the surviving stream matches what the dead one had sent so far.
        sent = [t["t"] for t in broken.of("token")]
        assert [t["t"] for t in intact.of("token")][: len(sent)] == sent
        capacity = client.get("/v1/capacity").json()
        states = {w["id"]: w["state"] for w in capacity["workers"]}
        assert states["w-l4-0"] == "down" and states["w-l4-1"] != "down"
        assert client.get(f"/v1/tasks/{doomed}").json()["state"] == "failed"
        # A worker that comes back on its address is probed up again and takes work.
        revived, _ = _spawn("--role", "worker", port=int(first_url.rsplit(":", 1)[1]))
        cluster[0].append(revived)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            workers = client.get("/v1/capacity").json()["workers"]
            if all(w["state"] != "down" for w in workers):
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the revived worker was not probed up")
        _, again = submit(client, max_tokens=4)
        assert read_stream(client, again).names()[-1] == "end"
