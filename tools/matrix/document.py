"""Rendering docs/compatibility.md from the rows' report.json and engine.json and the hand checks.

Pure: takes what was read, returns Markdown. Every failure is shown with a one-line evidence (the
suite's message and the curl that replays it) and its hand check; a failure with no hand check is
marked as such, so the document never claims more checking than was done.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tools.matrix.hand_checks import SUITE_AT_FAULT, HandCheck, hand_check_for
from tools.matrix.reports import CELL, Failure, RowReport
from tools.matrix.suite_run import EngineInfo

#: Longest received/expected text shown inline.
SHORT = 240
#: Longest curl line shown; a longer one (a generated case) is cut, the report keeps it whole.
CURL_LIMIT = 700


@dataclass(frozen=True)
class RowResult:
    """One row as the document sees it: its engine facts and report, or why there is none."""

    name: str
    info: EngineInfo | None
    report: RowReport | None
    problem: str = ""


@dataclass(frozen=True)
class Tally:
    """How the failures of the document were checked."""

    deviations: int
    suite_bugs: int
    unchecked: int
    #: Deviations the suite filed under a requirement whose text does not say them.
    misfiled: int = 0

    @property
    def total(self) -> int:
        """Distinct failures (consequences of another not counted)."""
        return self.deviations + self.misfiled + self.suite_bugs + self.unchecked

    #: Failures reported "caused by" another: the same defect, checked under its cause.
    consequences: int = 0


def first_line(text: str, limit: int = SHORT) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def grouped_problems(message: str) -> list[str]:
    """The distinct problems of a grouped finding ("12 of 96 requests broke it:" then one "- problem
    [cases]" line each, then the curl of each case), or [] for a plain message."""
    lines = [x.strip() for x in message.strip().splitlines() if x.strip()]
    if not lines or not lines[0].endswith(":"):
        return []
    out = []
    for line in lines[1:]:
        if not line.startswith("- "):
            break
        out.append(line[2:])
    return out


def one_line(message: str, limit: int = SHORT) -> str:
    """A finding's message on one line; a grouped one as its head, its first problem and how many more."""
    problems = grouped_problems(message)
    if problems:
        head = message.strip().splitlines()[0].strip()
        more = f" (+{len(problems) - 1} more problems)" if len(problems) > 1 else ""
        return f"{head} {first_line(problems[0], limit)}{more}"
    return first_line(message, limit)


def printable(text: str) -> str:
    """Control characters (a generated body may hold NUL or ESC) as visible escapes."""
    return "".join(ch if ch.isprintable() or ch == " " else ascii(ch)[1:-1] for ch in text)


def code(text: str) -> str:
    """``text`` as an inline code span, whatever backticks it holds."""
    text = printable(text)
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def cell_text(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _checks_of(row: RowResult, checks: Sequence[HandCheck]) -> list[tuple[Failure, HandCheck | None]]:
    if row.report is None:
        return []
    return [(f, hand_check_for(checks, row.name, f)) for f in row.report.failures]


def tally(rows: Sequence[RowResult], checks: Sequence[HandCheck]) -> Tally:
    every = [p for row in rows for p in _checks_of(row, checks)]
    pairs = [(f, c) for f, c in every if not f.caused_by]
    return Tally(
        deviations=sum(1 for _, c in pairs if c is not None and c.verdict == "deviation"),
        suite_bugs=sum(1 for _, c in pairs if c is not None and c.verdict == "suite-bug"),
        misfiled=sum(1 for _, c in pairs if c is not None and c.verdict == "misfiled"),
        unchecked=sum(1 for _, c in pairs if c is None),
        consequences=len(every) - len(pairs),
    )


def _grid_cell(row: RowResult, req: str, checks: Sequence[HandCheck]) -> str:
    if row.report is None:
        return "—"
    outcome = row.report.outcomes.get(req)
    if outcome is None:
        return "—"
    if outcome != "failed":
        return CELL.get(outcome, outcome)
    pairs = [(f, c) for f, c in _checks_of(row, checks) if f.requirement == req]
    causes = sorted({f.caused_by for f, _ in pairs if f.caused_by})
    if pairs and all(f.caused_by for f, _ in pairs):
        return "↳ " + ", ".join(causes)
    verdicts = [c.verdict if c else "unchecked" for f, c in pairs if not f.caused_by]
    if "unchecked" in verdicts:
        return "**FAIL?**"
    if verdicts and all(v == "suite-bug" for v in verdicts):
        return "FAIL†"
    if verdicts and all(v == "misfiled" for v in verdicts):
        return "**FAIL**‡"
    return "**FAIL**"


def summary_table(rows: Sequence[RowResult], checks: Sequence[HandCheck]) -> list[str]:
    lines = [
        "| engine | version | model | verdict | profiles served (how decided) "
        "| MUST failed | SHOULD failed |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        info, rep = row.info, row.report
        version = cell_text(info.version) if info else "?"
        model = code(info.model) if info else "?"
        if rep is None:
            lines.append(f"| {row.name} | {version} | {model} | not run: {cell_text(row.problem)} | | | |")
            continue
        hows = sorted({p.how for p in rep.profiles if p.supported})
        names = ", ".join(p.name for p in rep.profiles if p.supported)
        served = f"{names} ({', '.join(hows)})" if names else ""
        caused = f" (+{rep.must_caused} caused by those)" if rep.must_caused else ""
        lines.append(
            f"| {row.name} | {version} | {model} | {rep.verdict} | {served or 'none'} "
            f"| {rep.must_failed}{caused} | {rep.should_failed} |"
        )
    return lines


def grid(rows: Sequence[RowResult], checks: Sequence[HandCheck]) -> list[str]:
    """Requirements judged on at least one row, down; rows across."""
    reports = [r.report for r in rows if r.report is not None]
    order: list[str] = []
    for rep in reports:
        order += [req for req in rep.outcomes if req not in order]
    judged = [
        req
        for req in order
        if any(rep.outcomes.get(req, "not_supported") != "not_supported" for rep in reports)
    ]
    level = {req: next(rep.levels[req] for rep in reports if req in rep.levels) for req in judged}
    lines = [
        "| requirement | level | " + " | ".join(r.name for r in rows) + " |",
        "|---|---|" + "---|" * len(rows),
    ]
    for req in judged:
        cells = " | ".join(_grid_cell(r, req, checks) for r in rows)
        lines.append(f"| {req} | {level[req]} | {cells} |")
    return lines


def verdict_words(check: HandCheck) -> str:
    if check.verdict == "deviation":
        return "deviation"
    if check.verdict == "misfiled":
        return f"deviation, **filed under the wrong requirement** (suite bug in `{check.suite_module}`)"
    return f"**not a deviation (suite bug in `{check.suite_module}`)**"


def _failure_lines(failure: Failure, check: HandCheck | None, shown: dict[HandCheck, str]) -> list[str]:
    caused = f" (caused by {failure.caused_by}: not counted again)" if failure.caused_by else ""
    head = f"- **{failure.requirement}** ({failure.level}, check `{failure.check}`){caused}"
    problems = grouped_problems(failure.message)
    if problems:
        lines = [f"{head}: {first_line(failure.message)}"]
        lines += [f"  - {first_line(problem, 2 * SHORT)}" for problem in problems]
    else:
        lines = [f"{head}: {one_line(failure.message)}"]
    if failure.received and not failure.received.lstrip().startswith("- "):  # not a grouped case list
        lines.append(f"  - received: {code(first_line(failure.received))}")
    if failure.curl:
        curl = failure.curl
        cut = len(curl) > CURL_LIMIT
        replay = (
            code(curl[:CURL_LIMIT] + "…") + " (cut here; whole in the row's report.json)"
            if cut
            else code(curl)
        )
        lines.append(f"  - reproduce: {replay}")
    if failure.caused_by:
        lines.append(f"  - hand check: the same defect as {failure.caused_by} (checked there)")
    elif check is None:
        lines.append("  - hand check: **not checked by hand yet**")
    elif check in shown:
        lines.append(f"  - hand check: {verdict_words(check)}, as checked above ({shown[check]})")
    else:
        lines.append(
            f"  - hand check: {verdict_words(check)}. Raw answer: {check.raw} Reference: {check.reference}"
        )
    return lines


def row_section(row: RowResult, checks: Sequence[HandCheck]) -> list[str]:
    info, rep = row.info, row.report
    lines = [f"## {row.name}", ""]
    if info:
        lines += [
            f"- engine: {info.title} — {info.description}",
            f"- version: {info.version}",
            f"- installed as: {info.pinned}",
            f"- server: {info.url}, {info.started}; model {code(info.model)}",
            f"- suite: {code(info.suite_command)} (exit {info.suite_exit}, {info.suite_seconds:.0f} s)",
        ]
    if rep is None:
        return [*lines, f"- not run: {row.problem}", ""]
    lines += [f"- verdict: **{rep.verdict}**; contract {rep.contract}; run {rep.date}", ""]
    lines += ["| profile | result | how decided | evidence or reason |", "|---|---|---|---|"]
    for p in rep.profiles:
        why = "; ".join(x for x in (p.evidence, p.reason) if x)
        lines.append(f"| {p.name} | {p.result} | {p.how} | {cell_text(why)} |")
    lines += [""]
    if rep.feature_decisions:
        lines += ["| feature | decided | how | evidence or reason |", "|---|---|---|---|"]
        for d in rep.feature_decisions:
            why = "; ".join(x for x in (d.evidence, d.reason) if x)
            lines.append(f"| {d.name} | {d.result} | {d.how} | {cell_text(why)} |")
        lines.append("")
    else:
        lines += [f"Features: {', '.join(rep.features) or 'none'}.", ""]
    if rep.suite_errors:
        lines += [f"Suite errors: {'; '.join(first_line(e) for e in rep.suite_errors)}", ""]
    pairs = _checks_of(row, checks)
    lines += [f"Failures ({len(pairs)}):" if pairs else "No failures.", ""]
    shown: dict[HandCheck, str] = {}
    for failure, check in pairs:
        lines += _failure_lines(failure, check, shown)
        if check is not None and check not in shown and not failure.caused_by:
            shown[check] = f"{failure.requirement}, check `{failure.check}`"
    return [*lines, ""]


def suite_bug_table(rows: Sequence[RowResult], checks: Sequence[HandCheck]) -> list[str]:
    found = [
        (row.name, f, c)
        for row in rows
        for f, c in _checks_of(row, checks)
        if c and c.verdict in SUITE_AT_FAULT
    ]
    if not found:
        return ["None: every failure above was checked and is a deviation.", ""]
    lines = [
        "| engine | requirement | the suite said | why it cannot be defended as reported | check at fault |",
        "|---|---|---|---|---|",
    ]
    for name, f, c in found:
        lines.append(
            f"| {name} | {f.requirement} | {cell_text(one_line(f.message, 160))} "
            f"| {cell_text(c.reference)} | `{c.suite_module}` |"
        )
    return [*lines, ""]


def render(
    rows: Sequence[RowResult],
    checks: Sequence[HandCheck],
    *,
    generated: str,
    suite_commit: str,
    how_checked: str,
) -> str:
    """The whole docs/compatibility.md."""
    counts = tally(rows, checks)
    contract = next((r.report.contract for r in rows if r.report), "?")
    lines = [
        "# Engine compatibility",
        "",
        f"What the conformance suite says about real OpenAI-compatible servers, generated by `make matrix` "
        f"(`tools/matrix`) on {generated} from suite commit `{suite_commit}` (contract {contract}). "
        "Do not edit by hand: the hand checks live in `tools/matrix/hand_checks.yaml`, the prose of "
        "*How this was checked* in `tools/matrix/how_checked.md`; `python -m tools.matrix --render-only` "
        "re-renders from `reports/matrix/`.",
        "",
        f"Failures reported: {counts.total} distinct "
        f"(+{counts.consequences} reported as caused by one of them); checked by hand: "
        f"{counts.deviations} deviations, {counts.misfiled} deviations filed under the wrong requirement "
        f"(marked ‡), {counts.suite_bugs} not defended (suite bugs, marked †); "
        f"not yet checked: {counts.unchecked}.",
        "",
        "## Summary",
        "",
        *summary_table(rows, checks),
        "",
        "## Requirements by engine",
        "",
        "Every requirement judged on at least one engine. **FAIL**: a deviation checked by hand; FAIL†: "
        "reported, but not a deviation (a suite bug, see the list below); **FAIL**‡: a deviation, but the "
        "requirement's text does not say it (listed below too); **FAIL?**: not checked by hand; "
        "↳ X: failed only as a consequence of X's failure (same request, same cause; counted once, under X); "
        "n/s: not supported (profile or feature not served); skip: not observable on this run.",
        "",
        *grid(rows, checks),
        "",
    ]
    for row in rows:
        lines += row_section(row, checks)
    lines += ["## Reported failures the suite cannot defend as reported (suite bugs)", ""]
    lines += suite_bug_table(rows, checks)
    lines += ["## How this was checked", "", how_checked.strip(), ""]
    return "\n".join(lines)
