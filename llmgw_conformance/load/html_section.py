"""The load section of report.html: latency figures and plots drawn as inline SVG.

Why hand-drawn SVG and not a plotting library: three line charts over at most a few thousand
points are a few dozen lines of SVG, and inline SVG keeps report.html one self-contained file
(no script, no network) that opens anywhere and prints. Refusals are marked in orange and answers
with a violation in red on every plot, so a reader sees at once when the target started refusing
and whether anything broke while it did.
"""

from __future__ import annotations

from html import escape
from typing import Any, Final

W, H, PAD = 760, 180, 40
_MARKS: Final = (("refused", "#d97706", "refusals"), ("violations", "#dc2626", "violations"))
_FIGURE_NAMES: Final = {
    "ttft_ms": "time to first token (ms)",
    "gap_ms": "time between tokens (ms)",
    "total_ms": "whole stream (ms)",
    "tokens_per_s": "tokens per second (per stream)",
}


def _polyline(rows: list[dict[str, Any]], key: str, top: float, colour: str) -> str:
    span = max(1, rows[-1]["t"] - rows[0]["t"]) if rows else 1
    points = [
        f"{PAD + (r['t'] - rows[0]['t']) / span * (W - 2 * PAD):.1f},"
        f"{H - PAD - (r[key] or 0) / top * (H - 2 * PAD):.1f}"
        for r in rows
        if r.get(key) is not None
    ]
    return f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(points)}"/>'


def _marks(rows: list[dict[str, Any]]) -> str:
    span = max(1, rows[-1]["t"] - rows[0]["t"])
    out = []
    for key, colour, label in _MARKS:
        for r in rows:
            if r.get(key):
                x = PAD + (r["t"] - rows[0]["t"]) / span * (W - 2 * PAD)
                out.append(
                    f'<line x1="{x:.1f}" y1="{PAD}" x2="{x:.1f}" y2="{H - PAD}" stroke="{colour}" '
                    f'stroke-opacity="0.35" stroke-width="4">'
                    f"<title>{r[key]} {label} at {r['t']} s</title></line>"
                )
    return "".join(out)


def plot(rows: list[dict[str, Any]], series: list[tuple[str, str, str]], title: str) -> str:
    """One SVG chart: ``series`` is (key, colour, label); x is seconds from the start."""
    if not rows:
        return f"<p>{escape(title)}: no data</p>"
    top = max([float(r[k] or 0) for r in rows for k, _, _ in series] + [1.0])
    lines = "".join(_polyline(rows, key, top, colour) for key, colour, _ in series)
    legend = (
        " ".join(f'<tspan fill="{c}">&#9632; {escape(label)}</tspan>' for _, c, label in series)
        + ' <tspan fill="#d97706">&#9646; refusals</tspan> <tspan fill="#dc2626">&#9646; violations</tspan>'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" role="img" '
        f'aria-label="{escape(title)}" class="load-plot">'
        f'<rect x="0" y="0" width="{W}" height="{H}" fill="#fafafa" stroke="#ddd"/>'
        f"{_marks(rows)}{lines}"
        f'<text x="{PAD}" y="16" font-size="13" font-weight="bold">{escape(title)}</text>'
        f'<text x="{PAD}" y="{H - 10}" font-size="11">{legend}</text>'
        f'<text x="4" y="{PAD + 4}" font-size="10">{top:g}</text>'
        f'<text x="{W - PAD}" y="{H - PAD + 14}" font-size="10">{rows[-1]["t"]} s</text>'
        "</svg>"
    )


def _latency_table(latency: dict[str, dict[str, Any]]) -> str:
    head = "<tr><th>figure</th><th>n</th><th>p50</th><th>p95</th><th>p99</th></tr>"
    rows = "".join(
        f"<tr><td>{escape(_FIGURE_NAMES.get(name, name))}</td><td>{v['n']}</td>"
        + "".join(f"<td>{'' if v[q] is None else f'{v[q]:.1f}'}</td>" for q in ("p50", "p95", "p99"))
        + "</tr>"
        for name, v in latency.items()
    )
    return f"<table>{head}{rows}</table>"


def render_section(load: dict[str, Any]) -> str:
    """The ``<section id="load">`` inserted into report.html before ``</body>``."""
    rows = load["timeline"]
    began = load.get("refusals_began")
    steps = (
        f"<p>Refusals began at step {began['step']} ({began['users']} users, {began['at_s']} s).</p>"
        if began
        else f"<p>Highest load reached: {load['highest_users']} users; the target refused "
        f"{sum(load['refusal_codes'].values())} requests.</p>"
    )
    recovery = load.get("recovery") or {}
    kinds = ", ".join(
        f"{kind} {'admitted' if k['recovered'] else 'still refused'} after {k['after_s']:g} s"
        for kind, k in recovery.get("kinds", {}).items()
    )
    recovered = (
        f"<p>After the load: {'recovered' if recovery.get('recovered') else 'did NOT recover'} "
        f"({escape(kinds)}).</p>"
        if recovery
        else ""
    )
    workers = f" by {load['workers']} workers" if load.get("workers") else ""
    streams = "; ".join(
        f"{kind}: " + ", ".join(f"{n} {status}" for status, n in sorted(by.items()))
        for kind, by in sorted(load["streams"].items())
    )
    codes = ", ".join(f"{code} {n}" for code, n in sorted(load["refusal_codes"].items())) or "none"
    return (
        '<section id="load"><h2>Conformance under load</h2>'
        f"<p>{load['judged']} answers judged in {load['duration_s']:g} s{workers} ({escape(streams)}); "
        f"refusals by code: {escape(codes)}; timing violations set aside (a late close or a gap "
        f"between writes on a saturated machine, judged by the normal run instead): "
        f"{load.get('timing_not_judged', 0)}.</p>"
        f"{steps}{recovered}{_latency_table(load['latency'])}"
        + plot(rows, [("users", "#2563eb", "users")], "load (users)")
        + plot(
            rows,
            [("requests", "#7c3aed", "requests/s"), ("completed", "#059669", "streams completed/s")],
            "throughput",
        )
        + plot(rows, [("ttft_ms", "#0891b2", "mean time to first token (ms)")], "latency")
        + "</section>"
    )
