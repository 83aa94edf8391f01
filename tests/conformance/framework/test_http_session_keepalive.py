"""A kept-alive connection the target closes before answering: the request is sent once more.

llama.cpp's llama-server closes its connection after every streamed answer while still advertising
keep-alive; the suite's next request on that pooled connection got "Server disconnected without
sending a response" and whole groups of verdicts ended *skipped*. The server here does the same
deterministically: it answers the first request of each connection and closes the connection on
the second one without a byte, so without the retry every second request would get no answer.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from llmgw_conformance.live import make_context
from llmgw_conformance.options import SuiteOptions

BODY = b'{"ok": true}'
ANSWER = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: keep-alive\r\n"
    b"Keep-Alive: timeout=5, max=100\r\nContent-Length: " + str(len(BODY)).encode() + b"\r\n\r\n" + BODY
)


def _read_request(conn: socket.socket) -> bool:
    """Read one request head (the test sends no bodies); False when the peer closed."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return False
        data += chunk
    return True


def _serve_connection(conn: socket.socket, counts: dict[str, int]) -> None:
    with conn:
        if not _read_request(conn):
            return
        conn.sendall(ANSWER)
        counts["answered"] += 1
        if _read_request(conn):  # the pooled connection is reused: close it without an answer
            counts["dropped"] += 1


@pytest.fixture
def closing_server() -> Iterator[tuple[str, dict[str, int]]]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    counts = {"answered": 0, "dropped": 0}
    stop = threading.Event()

    def accept_loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=_serve_connection, args=(conn, counts), daemon=True).start()

    thread = threading.Thread(target=accept_loop, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}", counts
    stop.set()
    thread.join(timeout=2)
    listener.close()


def test_a_request_on_a_connection_closed_before_the_answer_is_sent_again(
    closing_server: tuple[str, dict[str, int]],
) -> None:
    url, counts = closing_server
    options = SuiteOptions(connect_timeout_s=1, read_timeout_s=2, idle_gap_s=1, stream_budget_s=3)
    ctx, _ = make_context(url, None, "keepalive", options)
    try:
        answers = [ctx.request("GET", "/v1/models") for _ in range(6)]
    finally:
        ctx.close()
    assert [a.status for a in answers] == [200] * 6, [a.error for a in answers]
    assert counts["dropped"] >= 1  # the server really closed reused connections
