"""The transcript's report rendering and JSON form, and the benchmark script."""

from __future__ import annotations

import base64
import json

import pytest

from llmgw_conformance.sse import SSEParser, Transcript, escape_bytes, parse_bytes
from tools.bench import reader_micro


def long_stream(n: int) -> Transcript:
    parser = SSEParser(t0=10.0)
    for i in range(n):
        parser.feed(f"data: {i}\r\n\r\n".encode(), 10.0 + i / 100)
    parser.feed(b": bye\n\ndata: [DONE]", 11.5)
    parser.close(12.0)
    return parser.transcript


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (b"data: a\r\n\r\n", "data: a\\r\\n\\r\\n"),
        (b"caf\xc3\xa9 \xe2\x82\xac", "café €"),
        (b"bad \xff\xfe end", "bad \\xff\\xfe end"),
        (b"back\\slash", "back\\\\slash"),
        (b"nul\x00 tab\t del\x7f", "nul\\x00 tab\\t del\\x7f"),
        (b"\xef\xbb\xbfbom", "\\ufeffbom"),
        (b"line\xe2\x80\xa8sep", "line\\u2028sep"),
    ],
)
def test_escape_bytes_makes_line_ends_controls_and_bad_bytes_visible(raw: bytes, shown: str) -> None:
    assert escape_bytes(raw) == shown


def test_escape_bytes_truncates_on_a_character_boundary() -> None:
    assert escape_bytes(b"abcdef", 3) == "abc...(+3 bytes)"
    assert escape_bytes("aé€".encode(), 4) == "aé...(+3 bytes)"  # does not cut the euro sign in half
    assert escape_bytes(b"abc", 3) == "abc"


def test_render_shows_summary_first_and_last_events_and_anomalies() -> None:
    text = long_stream(30).render(first=3, last=2)
    lines = text.splitlines()
    assert lines[0].startswith("SSE stream: ")
    assert "30 events, 1 comments, 1 empty blocks; termination=eof after 2.000s" in lines[0]
    assert "line endings: lf=2, crlf=60" in text
    assert "anomalies: comment=1, mixed_line_endings=1, unterminated_block=1" in text
    event_lines = [line for line in lines if line.startswith("  #")]
    assert [line.split()[0] for line in event_lines] == ["#0", "#1", "#2", "#28", "#29"]
    assert "  ... 25 events not shown ..." in lines
    assert event_lines[1] == "  #1 +0.010s..+0.010s bytes 11-21 event='message': data: 1\\r\\n\\r\\n"
    assert "unterminated block at bytes 357-368 (+1.500s): data: [DONE]" in text


def test_render_truncates_long_raw_blocks_and_anomaly_lists() -> None:
    tr = parse_bytes(b"data: " + b"x" * 1000 + b"\n\n" + b":\n" * 30 + b"\n")
    text = tr.render(max_raw=20, max_anomalies=5)
    assert "data: xxxxxxxxxxxxxx...(+988 bytes)" in text
    assert "  ... 25 more ..." in text


def test_render_of_a_short_stream_shows_every_event_and_the_http_status() -> None:
    tr = parse_bytes(b"id: 1\nretry: 5\nerror: x\ndata: a\n\n")
    tr.status_code = 200
    tr.headers = {"content-type": "text/event-stream"}
    text = tr.render()
    assert "HTTP 200 content-type='text/event-stream'" in text
    assert "#0 +0.000s..+0.000s bytes 0-32 event='message' id='1' retry=5 unknown=['error']:" in text
    assert "not shown" not in text


def test_to_json_is_json_and_rebuilds_the_exact_bytes() -> None:
    tr = long_stream(5)
    doc = json.loads(json.dumps(tr.to_json()))
    assert doc["termination"] == "eof"
    assert doc["duration_s"] == 2.0
    assert doc["total_bytes"] == len(tr.stream)
    assert [e["data"] for e in doc["events"]] == ["0", "1", "2", "3", "4"]
    assert doc["events"][1]["t_first"] == 0.01
    assert doc["events"][1]["raw"] == "data: 1\\r\\n\\r\\n"
    assert doc["anomaly_counts"] == {"comment": 1, "mixed_line_endings": 1, "unterminated_block": 1}
    assert doc["blocks"][-1]["kind"] == "unterminated_block"
    rebuilt = b"".join(base64.b64decode(c["data_b64"]) for c in doc["chunks"])
    assert rebuilt == bytes(tr.stream)
    assert [c["offset"] for c in doc["chunks"]] == tr.chunk_offsets
    assert "chunks" not in tr.to_json(include_chunks=False)
    assert json.loads(tr.dumps())["events"] == doc["events"]


def test_time_at_maps_offsets_to_chunk_arrival_times() -> None:
    parser = SSEParser(t0=0.0)
    parser.feed(b"abc", 1.0)
    parser.feed(b"de", 2.0)
    tr = parser.transcript
    assert [tr.time_at(i) for i in range(5)] == [1.0, 1.0, 1.0, 2.0, 2.0]


def test_benchmark_runs_and_reports_ratios(capsys: pytest.CaptureFixture[str]) -> None:
    results = reader_micro.run(200, repeat=1)
    assert set(results) == {"per-event chunks", "64 KiB chunks"}
    for figures in results.values():
        assert figures["ours"] > 0 and figures["httpx_sse"] > 0
        assert figures["ratio_vs_httpx_sse"] == pytest.approx(figures["ours"] / figures["httpx_sse"])
    assert "201 events" in capsys.readouterr().out


def test_benchmark_stream_is_openai_shaped() -> None:
    stream = reader_micro.make_stream(3)
    tr = parse_bytes(stream)
    assert [json.loads(e.data)["object"] for e in tr.events[:3]] == ["chat.completion.chunk"] * 3
    assert tr.events[-1].data == "[DONE]"
    assert not tr.anomalies


def test_anomalies_are_reported_in_stream_order() -> None:
    tr = parse_bytes(b"error: x\ndata: \xff\n\n")
    assert [a.kind for a in tr.sorted_anomalies()] == ["unknown_field", "invalid_utf8"]
    assert [a["kind"] for a in tr.to_json()["anomalies"]] == ["unknown_field", "invalid_utf8"]
    text = tr.render()
    assert text.index("unknown_field @0") < text.index("invalid_utf8 @15")
