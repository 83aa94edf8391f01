"""Command line of the fidelity check (see the package docstring for the usage)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import yaml

from tools.openai_fidelity.compare import Difference, compare
from tools.openai_fidelity.contract import contract_shape
from tools.openai_fidelity.decisions import Verdict, collect, judge
from tools.openai_fidelity.extract import dump, extract
from tools.openai_fidelity.facts import FACTS_FILE, Facts, FactsError, entry_shape, load_facts
from tools.specs import ALL_SPECS, OPENAPI_DIR, ContractError, SpecSet


def differences(facts: Facts, specs: SpecSet) -> list[Difference]:
    """Every difference between the facts' roots and the contract schemas they map to."""
    found: list[Difference] = []
    for root in facts.roots:
        try:
            ours = contract_shape(specs, root.ours)
        except KeyError as exc:
            raise ContractError([f"{root.ours}: missing (mapped from {root.official}): {exc}"]) from exc
        found += compare(entry_shape(facts, root.official), ours, root.official)
    return found


def check(facts: Facts, openapi_dir: Path) -> Verdict:
    """Compare and judge: the whole check, without printing."""
    specs = SpecSet(openapi_dir)
    return judge(differences(facts, specs), collect(specs, ALL_SPECS))


def report(verdict: Verdict, facts: Facts, list_all: bool) -> list[str]:
    """The lines to print: undecided differences (all of them with ``list_all``), stale, invalid."""
    lines: list[str] = []
    for difference, reason in verdict.judged:
        if reason is None:
            lines.append(f"UNDECIDED  {difference.line()}")
        elif list_all:
            lines.append(f"decided    {difference.line()}  -- {reason}")
    lines += [f"STALE      {entry}: decides no difference" for entry in verdict.stale]
    lines += [f"INVALID    {problem}" for problem in verdict.invalid]
    decided = len(verdict.judged) - len(verdict.undecided)
    lines.append(
        f"openai-fidelity: official OpenAI description {facts.version}: {len(verdict.judged)} differences, "
        f"{decided} decided, {len(verdict.undecided)} undecided, {len(verdict.stale)} stale decisions, "
        f"{len(verdict.invalid)} malformed"
    )
    return lines


def run_extract(args: argparse.Namespace) -> int:
    facts = load_facts(args.facts)
    official = yaml.safe_load(Path(args.extract).read_text(encoding="utf-8"))
    document, ignored = extract(official, facts, args.commit, args.commit_date)
    text = dump(document)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    if ignored:
        print(f"keywords not recorded (review): {', '.join(ignored)}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.openai_fidelity",
        description="Compare the contract's OpenAI surface with the official OpenAI description's facts.",
    )
    parser.add_argument("--list", action="store_true", help="print every difference, decided ones too")
    parser.add_argument("--facts", type=Path, default=FACTS_FILE, help="the facts file")
    parser.add_argument("--openapi-dir", type=Path, default=OPENAPI_DIR, help="folder of the contract files")
    parser.add_argument("--extract", metavar="OPENAPI_YAML", help="write facts from an official openapi.yaml")
    parser.add_argument("--commit", default="unknown", help="with --extract: the official commit")
    parser.add_argument("--commit-date", default="unknown", help="with --extract: the commit's date")
    parser.add_argument("--out", help="with --extract: write here instead of stdout")
    args = parser.parse_args(argv)
    try:
        if args.extract:
            return run_extract(args)
        facts = load_facts(args.facts)
        verdict = check(facts, args.openapi_dir)
    except (FactsError, ContractError, OSError, yaml.YAMLError) as exc:
        print(f"openai-fidelity: {exc}", file=sys.stderr)
        return 2
    for line in report(verdict, facts, args.list):
        print(line)
    return 0 if verdict.ok else 1
