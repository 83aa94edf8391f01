"""Live reading over real HTTP (a scripted uvicorn server on 127.0.0.1): every termination happens, and
within bounded time, for both the sync and the async reader."""

from __future__ import annotations

import asyncio
import gzip
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from llmgw_conformance.sse import SSEParser, Transcript, aiter_events, aread_stream, iter_events, read_stream
from tests.sse.scripted_server import ABORT, ScriptedServer

Reader = Callable[..., Transcript]


def read_sync(url: str, **kwargs: Any) -> Transcript:
    with httpx.Client(timeout=10) as client, client.stream("GET", url) as response:
        return read_stream(response, **kwargs)


def read_async(url: str, **kwargs: Any) -> Transcript:
    async def main() -> Transcript:
        async with httpx.AsyncClient(timeout=10) as client, client.stream("GET", url) as response:
            return await aread_stream(response, **kwargs)

    return asyncio.run(main())


READERS = [pytest.param(read_sync, id="sync"), pytest.param(read_async, id="async")]
#: How long a scripted server stalls (cut short when the client leaves): far longer than any limit here.
STALL_S = 30.0
#: What "bounded" means in these tests: the readers' limits are 0.3-1 s, and a reader that waited for
#: the server would take STALL_S; a bound this generous only fails on that, never on a busy machine.
BOUND_S = 10.0


def timed(reader: Reader, url: str, **kwargs: Any) -> tuple[Transcript, float]:
    start = time.monotonic()
    tr = reader(url, **kwargs)
    return tr, time.monotonic() - start


@pytest.mark.parametrize("reader", READERS)
def test_eof(sse_server: ScriptedServer, reader: Reader) -> None:
    url = sse_server.route([b"data: a\n\n", 0.2, b": ping\n\ndata: b\n", b"\n"])
    tr, elapsed = timed(reader, url, idle_timeout=2, total_timeout=5)
    assert tr.termination == "eof"
    assert [e.data for e in tr.events] == ["a", "b"]
    assert tr.status_code == 200
    assert tr.headers["content-type"] == "text/event-stream"
    assert tr.comment_count == 1
    # Times are real arrival times, relative to the call.
    assert tr.events[1].t_last - tr.events[0].t_first >= 0.15
    assert 0 <= tr.events[0].t_first - tr.t0 < 1.0
    assert tr.t_end is not None and tr.t_end >= tr.events[1].t_last
    assert elapsed < BOUND_S


@pytest.mark.parametrize("reader", READERS)
def test_idle_timeout_against_a_server_that_stalls(sse_server: ScriptedServer, reader: Reader) -> None:
    url = sse_server.route([b"data: a\n\ndata: partial", STALL_S, b"\n\n"])
    tr, elapsed = timed(reader, url, idle_timeout=0.3, total_timeout=10)
    assert tr.termination == "idle_timeout"
    assert elapsed < BOUND_S
    assert [e.data for e in tr.events] == ["a"]
    assert tr.unterminated is not None and tr.unterminated.raw == b"data: partial"
    assert "unterminated_block" not in tr.anomaly_counts  # the client stopped; not the server's framing
    assert "limit 0.3s" in tr.termination_detail


@pytest.mark.parametrize("reader", READERS)
def test_idle_timeout_before_the_first_byte(sse_server: ScriptedServer, reader: Reader) -> None:
    url = sse_server.route([STALL_S, b"data: late\n\n"])
    tr, elapsed = timed(reader, url, idle_timeout=0.3, total_timeout=10)
    assert (tr.termination, tr.events, tr.total_bytes) == ("idle_timeout", [], 0)
    assert elapsed < BOUND_S


@pytest.mark.parametrize("reader", READERS)
def test_total_timeout_against_a_server_that_dribbles(sse_server: ScriptedServer, reader: Reader) -> None:
    url = sse_server.route([b": tick\n\n", 0.1] * 100)
    tr, elapsed = timed(reader, url, idle_timeout=1.0, total_timeout=0.6)
    assert tr.termination == "total_timeout"
    assert 0.55 < elapsed < BOUND_S
    assert 1 <= tr.comment_count <= 9  # one tick per 0.1 s at most; a busy machine may deliver fewer


@pytest.mark.parametrize("reader", READERS)
def test_total_budget_counts_from_t0(sse_server: ScriptedServer, reader: Reader) -> None:
    url = sse_server.route([b"data: a\n\n", STALL_S])
    tr, elapsed = timed(reader, url, idle_timeout=20.0, total_timeout=6.0, t0=time.monotonic() - 5.7)
    assert tr.termination == "total_timeout"
    # About 0.3 s from the call; a budget counted from the call instead of t0 would take the full 6 s.
    assert elapsed < 5.0


@pytest.mark.parametrize("reader", READERS)
def test_closed_by_client_after_n_events(sse_server: ScriptedServer, reader: Reader) -> None:
    url = sse_server.route([b"data: 1\n\n", 0.1, b"data: 2\n\n", STALL_S, b"data: 3\n\n"])
    tr, elapsed = timed(reader, url, idle_timeout=3, total_timeout=10, stop_after_events=2)
    assert tr.termination == "closed_by_client"
    assert [e.data for e in tr.events] == ["1", "2"]
    assert elapsed < BOUND_S
    assert sse_server.script_for(url).disconnected.wait(3)  # the server saw the client go


@pytest.mark.parametrize("reader", READERS)
def test_closed_by_client_on_a_predicate(sse_server: ScriptedServer, reader: Reader) -> None:
    url = sse_server.route([b"event: ping\ndata: {}\n\n", 0.05, b"data: token\n\n", STALL_S])
    tr, elapsed = timed(
        reader, url, idle_timeout=3, total_timeout=10, stop_when=lambda e: e.event == "message"
    )
    assert tr.termination == "closed_by_client"
    assert tr.termination_detail == "stop_when matched event #1"
    assert elapsed < BOUND_S


@pytest.mark.parametrize("reader", READERS)
def test_connection_error_when_the_server_drops_mid_body(sse_server: ScriptedServer, reader: Reader) -> None:
    url = sse_server.route([b"data: a\n\ndata: b", 0.05, ABORT])
    tr, elapsed = timed(reader, url, idle_timeout=3, total_timeout=10)
    assert tr.termination == "connection_error"
    assert tr.termination_detail.startswith("RemoteProtocolError")
    assert [e.data for e in tr.events] == ["a"]
    assert tr.unterminated is not None and tr.unterminated.raw == b"data: b"
    assert elapsed < BOUND_S


@pytest.mark.parametrize("reader", READERS)
def test_limit_exceeded_stops_a_hostile_stream(sse_server: ScriptedServer, reader: Reader) -> None:
    url = sse_server.route([b"data: x\n\n" * 5, STALL_S])
    tr, elapsed = timed(reader, url, idle_timeout=3, total_timeout=10, parser=SSEParser(max_events=3))
    assert tr.termination == "limit_exceeded"
    assert tr.limit == {"limit_name": "max_events", "limit": 3, "observed": 4, "offset": 27}
    assert len(tr.events) == 3
    assert elapsed < BOUND_S


@pytest.mark.parametrize("reader", READERS)
def test_endless_line_hits_the_line_cap(sse_server: ScriptedServer, reader: Reader) -> None:
    url = sse_server.route([b"data: "] + [b"x" * 4096, 0.01] * 200)
    tr, elapsed = timed(
        reader, url, idle_timeout=3, total_timeout=10, parser=SSEParser(max_line_length=10_000)
    )
    assert tr.termination == "limit_exceeded"
    assert tr.limit is not None and tr.limit["limit_name"] == "max_line_length"
    assert elapsed < BOUND_S


@pytest.mark.parametrize("reader", READERS)
def test_compressed_body_is_read_decoded(sse_server: ScriptedServer, reader: Reader) -> None:
    body = gzip.compress(b"data: a\n\ndata: b\n\n")
    url = sse_server.route([body], headers={"content-encoding": "gzip"})
    tr = reader(url, idle_timeout=3, total_timeout=10)
    assert (tr.termination, [e.data for e in tr.events]) == ("eof", ["a", "b"])
    assert tr.headers["content-encoding"] == "gzip"


def test_responses_that_are_not_live_streams_still_read() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=httpx.ByteStream(b"data: a\n\n"))

    bare = httpx.Response(200, stream=httpx.ByteStream(b"data: a\n\n"))  # no request, no timeout extension
    assert [e.data for e in read_stream(bare, idle_timeout=1, total_timeout=1).events] == ["a"]
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        with client.stream("GET", "http://x/") as response:
            assert read_stream(response).termination == "eof"
        already_read = client.get("http://x/")
        tr = read_stream(already_read)
        assert (tr.termination, [e.data for e in tr.events], len(tr.chunks)) == ("eof", ["a"], 1)


def test_async_reader_on_an_already_read_response() -> None:
    response = httpx.Response(200, content=b"data: a\n\ndata: b")
    tr = asyncio.run(aread_stream(response))
    assert (tr.termination, [e.data for e in tr.events]) == ("eof", ["a"])
    assert tr.unterminated is not None


def test_iter_events_over_a_live_response(sse_server: ScriptedServer) -> None:
    url = sse_server.route([b"data: a\n\n", 0.05, b"data: b\n\ndata: tail"])
    parser = SSEParser()
    with httpx.Client(timeout=10) as client, client.stream("GET", url) as response:
        assert [e.data for e in iter_events(response, parser)] == ["a", "b"]
    tr = parser.transcript
    assert tr.termination == "eof"
    assert tr.anomaly_counts["unterminated_block"] == 1


def test_iter_events_stopped_early_closes_the_parser_without_eof() -> None:
    parser = SSEParser()
    events = iter_events([b"data: a\n\n", b"data: b\n\n", b"data: c"], parser)
    assert next(events).data == "a"
    events.close()
    assert parser.closed
    assert parser.transcript.termination is None


def test_aiter_events_over_a_live_response(sse_server: ScriptedServer) -> None:
    url = sse_server.route([b"data: a\r\n\r\n", 0.05, b"data: b\r\n\r\n"])

    async def main() -> list[str]:
        async with httpx.AsyncClient(timeout=10) as client, client.stream("GET", url) as response:
            return [e.data async for e in aiter_events(response)]

    assert asyncio.run(main()) == ["a", "b"]


@pytest.mark.parametrize("reader", READERS)
def test_an_exception_in_stop_when_propagates_after_closing(
    sse_server: ScriptedServer, reader: Reader
) -> None:
    url = sse_server.route([b"data: a\n\n", STALL_S])

    def explode(event: object) -> bool:
        raise LookupError("check bug")

    start = time.monotonic()
    with pytest.raises(LookupError, match="check bug"):
        reader(url, idle_timeout=3, total_timeout=10, stop_when=explode)
    assert time.monotonic() - start < BOUND_S
    assert sse_server.script_for(url).disconnected.wait(3)
