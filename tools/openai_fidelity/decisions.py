"""``x-openai-fidelity``: a difference our contract keeps on purpose, with its reason.

Written on a schema node of the contract, in one of these forms (reasons are non-empty strings)::

    x-openai-fidelity: <reason>                    # every difference of this value
    x-openai-fidelity: {<aspect>: <reason>, ...}   # the named aspects of this value
    x-openai-fidelity:                             # on an object: about its fields, incl. absent ones
      properties: {<field>: <reason> | {<aspect>: <reason>, ...}}

The aspects are those of :data:`~tools.openai_fidelity.compare.ASPECTS`: ``type``, ``nullable``,
``enum``, ``default``, a constraint keyword (``minimum`` ... ``maxProperties``, ``pattern``),
``closed``, ``missing``, ``extra`` and ``required``.  A decision on a value covers that value's own
aspects and those of its array items and map values, never the fields of an object inside it (they
carry their own).  A field's difference may be decided on the field's schema or, under
``properties``, on the object holding it; a field the contract lacks can only be decided there.

Every entry must decide at least one difference: one that decides nothing is stale (the contract
was fixed, or the entry names the wrong field or aspect) and is reported like an undecided
difference.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tools.openai_fidelity.compare import ASPECTS, Difference
from tools.specs import Location, SpecSet, to_pointer, walk

EXTENSION = "x-openai-fidelity"
Keys = tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    """One reason written in the contract: the node, the keys under the extension, the reason."""

    location: Location
    keys: Keys
    reason: str

    def __str__(self) -> str:
        suffix = "".join(f".{k}" for k in self.keys)
        return f"{self.location}  {EXTENSION}{suffix}"


@dataclass
class Verdict:
    """The differences with their reasons (None: undecided), the stale entries and the malformed ones."""

    judged: list[tuple[Difference, str | None]] = field(default_factory=list)
    stale: list[Entry] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)

    @property
    def undecided(self) -> list[Difference]:
        return [difference for difference, reason in self.judged if reason is None]

    @property
    def ok(self) -> bool:
        return not (self.undecided or self.stale or self.invalid)


def _aspect_entries(location: Location, keys: Keys, value: Any) -> tuple[list[Entry], list[str]]:
    """Entries of a ``<reason>`` or ``{<aspect>: <reason>}`` value."""
    where = f"{location}  {EXTENSION}{''.join('.' + k for k in keys)}"
    if isinstance(value, str):
        if not value.strip():
            return [], [f"{where}: empty reason"]
        return [Entry(location, keys, value.strip())], []
    if not isinstance(value, dict) or not value:
        return [], [f"{where}: must be a reason or a mapping of aspect to reason"]
    entries: list[Entry] = []
    problems: list[str] = []
    for aspect, reason in value.items():
        if aspect not in ASPECTS:
            problems.append(f"{where}: unknown aspect {aspect!r} (one of {', '.join(ASPECTS)})")
        elif not isinstance(reason, str) or not reason.strip():
            problems.append(f"{where}.{aspect}: the reason must be a non-empty string")
        else:
            entries.append(Entry(location, (*keys, str(aspect)), reason.strip()))
    return entries, problems


def parse_entries(location: Location, value: Any) -> tuple[list[Entry], list[str]]:
    """The entries of one ``x-openai-fidelity`` value found at ``location``, and its problems."""
    if not isinstance(value, dict) or "properties" not in value:
        return _aspect_entries(location, (), value)
    entries: list[Entry] = []
    problems: list[str] = []
    rest = {k: v for k, v in value.items() if k != "properties"}
    if rest:
        more, bad = _aspect_entries(location, (), rest)
        entries += more
        problems += bad
    fields = value["properties"]
    if not isinstance(fields, dict) or not fields:
        problems.append(f"{location}  {EXTENSION}.properties: must map field names to decisions")
        return entries, problems
    for name, decision in fields.items():
        more, bad = _aspect_entries(location, ("properties", str(name)), decision)
        entries += more
        problems += bad
    return entries, problems


def collect(specs: SpecSet, files: Sequence[str]) -> dict[Location, Any]:
    """Every ``x-openai-fidelity`` value in ``files``, by the location of the node carrying it."""
    found: dict[Location, Any] = {}
    for file in files:
        for parts, node in walk(specs.doc(file)):
            if isinstance(node, dict) and EXTENSION in node:
                found[Location(file, to_pointer(parts))] = node[EXTENSION]
    return found


def _matching(difference: Difference, entries: Mapping[tuple[Location, Keys], Entry]) -> list[Entry]:
    matches: list[Entry] = []
    for anchor in difference.anchors:
        base: Keys = () if anchor.field is None else ("properties", anchor.field)
        for keys in (base, (*base, difference.aspect)):
            entry = entries.get((anchor.location, keys))
            if entry is not None and entry not in matches:
                matches.append(entry)
    return matches


def judge(differences: Iterable[Difference], decisions: Mapping[Location, Any]) -> Verdict:
    """Decide each difference from the entries in ``decisions``; report unused and malformed entries."""
    verdict = Verdict()
    entries: dict[tuple[Location, Keys], Entry] = {}
    for location, value in decisions.items():
        parsed, problems = parse_entries(location, value)
        verdict.invalid += problems
        entries.update(((e.location, e.keys), e) for e in parsed)
    used: set[Entry] = set()
    seen: set[tuple[tuple[str, str, str, str, str], bool]] = set()
    for difference in differences:
        matches = _matching(difference, entries)
        used.update(matches)
        reason = matches[0].reason if matches else None
        key = (difference.key, reason is None)
        if key not in seen:
            seen.add(key)
            verdict.judged.append((difference, reason))
    verdict.stale = [entry for entry in entries.values() if entry not in used]
    return verdict
