"""The rule set, as data: id, category, level and the sentence of each kind of change.

Ids follow oasdiff's check ids (``request-property-became-required``, ``response-status-removed``):
kebab-case, the side of the exchange first.  ``category`` follows Buf's breaking categories, which
name what a change breaks rather than where it is:

* ``WIRE``: a deployed client or server built on the old contract (requests it sends, answers and
  streams it reads, statuses and error rules it acts on);
* ``CODE``: code generated from the contract (``llmgw_generated``, the SDK on it): an attribute,
  method or parameter it names;
* ``CONFORMANCE``: a vendor's standing against the requirement catalogue;
* ``DOCS``: nothing executable (text, version fields, unclassified edits a reviewer reads).

A rule's level is one of :data:`LEVELS`; the comparison functions only pick a rule and fill its
sentence, so a reviewer can change a classification here, in one place.

How a response enum is judged (the issue's "enum value added where clients switch on it"): a scalar
response field with a closed ``enum`` (``status``, ``finish_reason``, ``object``) is a value clients
switch on, so a new value breaks them, unless the released schema carries ``x-extensible-enum: true``
(Zalando's marker, which oasdiff honours too): then clients were told to expect new values.  An enum
on array items (``Capabilities.profiles``, scopes) is a set of names clients test for membership, so
a new name is compatible.  The error envelope's enums are the error rules' (``error-*``): a new
``ErrorKind`` breaks (clients retry by kind), a new ``ErrorReason`` filed under an existing kind in
``x-error-reasons`` does not (the kind still decides what a client does).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

BREAKING: Final = "breaking"
COMPATIBLE: Final = "compatible"
INFORMATIONAL: Final = "informational"
LEVELS: Final = (BREAKING, COMPATIBLE, INFORMATIONAL)
CATEGORIES: Final = ("WIRE", "CODE", "CONFORMANCE", "DOCS")


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    level: str
    template: str  # str.format fields: what, name, old, new, value


def _rules(*rows: tuple[str, str, str, str]) -> dict[str, Rule]:
    return {row[0]: Rule(*row) for row in rows}


B, C, I = BREAKING, COMPATIBLE, INFORMATIONAL  # noqa: E741 (short names keep the table readable)

RULES: Final[dict[str, Rule]] = _rules(
    # operations
    ("api-path-removed", "WIRE", B, "path {name} removed: its {what} operation is gone"),
    ("api-operation-removed", "WIRE", B, "operation {what} {name} removed (a method change is a removal)"),
    ("api-operation-added", "WIRE", C, "operation {what} {name} added"),
    (
        "api-operation-id-changed",
        "CODE",
        B,
        "operationId {old} renamed to {new}: generated method names change",
    ),
    (
        "api-required-scope-changed",
        "WIRE",
        B,
        "{name} needs scope {new} instead of {old}: keys without it are refused",
    ),
    ("api-security-changed", "WIRE", B, "{name} authentication changed from {old} to {new}"),
    # request side
    ("request-parameter-removed", "CODE", B, "{what} parameter {name} removed"),
    ("request-parameter-added-required", "WIRE", B, "new required {what} parameter {name}"),
    ("request-parameter-added", "WIRE", C, "new optional {what} parameter {name}"),
    ("request-parameter-became-required", "WIRE", B, "{what} parameter {name} became required"),
    ("request-parameter-became-optional", "WIRE", C, "{what} parameter {name} became optional"),
    ("request-body-became-required", "WIRE", B, "request body became required"),
    ("request-body-removed", "WIRE", B, "request body removed"),
    ("request-media-type-removed", "WIRE", B, "request media type {name} no longer accepted"),
    (
        "request-property-removed",
        "WIRE",
        B,
        "request property {name} removed: clients sending it are refused",
    ),
    ("request-property-added-required", "WIRE", B, "new required request property {name}"),
    ("request-property-added", "WIRE", C, "new optional request property {name}"),
    ("request-property-became-required", "WIRE", B, "request property {name} became required"),
    ("request-property-became-optional", "WIRE", C, "request property {name} became optional"),
    ("request-type-narrowed", "WIRE", B, "request {what} type narrowed from {old} to {new}"),
    ("request-type-widened", "WIRE", C, "request {what} type widened from {old} to {new}"),
    ("request-enum-value-removed", "WIRE", B, "request {what} no longer accepts enum value {value}"),
    ("request-enum-restricted", "WIRE", B, "request {what} now restricted to the enum {new}"),
    ("request-enum-value-added", "WIRE", C, "request {what} accepts new enum value {value}"),
    ("request-additional-properties-closed", "WIRE", B, "request {what} refuses properties it does not name"),
    ("request-bound-tightened", "WIRE", B, "request {what} {name} tightened from {old} to {new}"),
    ("request-bound-loosened", "WIRE", C, "request {what} {name} loosened from {old} to {new}"),
    # response side
    ("response-status-removed", "WIRE", B, "documented response status {name} removed"),
    ("response-status-added", "WIRE", C, "response status {name} documented"),
    ("response-media-type-removed", "WIRE", B, "response media type {name} for status {what} removed"),
    ("response-property-removed", "CODE", B, "response property {name} removed"),
    ("response-property-became-optional", "WIRE", B, "response property {name} became optional"),
    ("response-property-became-required", "WIRE", C, "response property {name} became required"),
    ("response-property-added", "WIRE", C, "new response property {name}"),
    (
        "response-type-widened",
        "WIRE",
        B,
        "response {what} type changed from {old} to {new}: clients meet a new type",
    ),
    ("response-type-narrowed", "WIRE", C, "response {what} type narrowed from {old} to {new}"),
    (
        "response-enum-value-added",
        "WIRE",
        B,
        "response {what} may now be {value}: clients switch on this closed enum",
    ),
    (
        "response-listed-enum-value-added",
        "WIRE",
        C,
        "response {what} lists a new name {value} (a set, not a switch)",
    ),
    ("response-extensible-enum-value-added", "WIRE", C, "response {what} gains {value} (x-extensible-enum)"),
    ("response-enum-value-removed", "WIRE", C, "response {what} no longer sends {value}"),
    ("response-bound-loosened", "WIRE", B, "response {what} {name} loosened from {old} to {new}"),
    ("response-bound-tightened", "WIRE", C, "response {what} {name} tightened from {old} to {new}"),
    # streams (x-stream-grammars; event payloads are judged by the response rules)
    ("stream-grammar-removed", "WIRE", B, "stream grammar {name} removed"),
    ("stream-grammar-added", "WIRE", C, "stream grammar {name} added"),
    ("stream-event-removed", "WIRE", B, "stream {what} event {name} removed (a rename is a removal)"),
    ("stream-event-added", "WIRE", B, "stream {what} gains event {name}: its event names are a closed set"),
    (
        "stream-terminal-rule-changed",
        "WIRE",
        B,
        "stream {what} terminal rule {name} changed from {old} to {new}",
    ),
    ("stream-rule-changed", "WIRE", B, "stream {what} rule {name} changed from {old} to {new}"),
    ("stream-requirements-changed", "DOCS", I, "stream {what} lists other requirements"),
    # the error envelope (common.yaml ErrorKind, x-error-policy, x-error-reasons)
    ("error-kind-removed", "WIRE", B, "ErrorKind {name} removed"),
    ("error-kind-added", "WIRE", B, "ErrorKind {name} added: clients decide retries by kind"),
    ("error-retry-rule-changed", "WIRE", B, "retry rule of {what} {name} changed from {old} to {new}"),
    ("error-policy-status-added", "WIRE", C, "x-error-policy of {name}: may now be sent with status {value}"),
    ("error-policy-changed", "WIRE", B, "x-error-policy of {name}: {what} changed from {old} to {new}"),
    ("error-reason-removed", "WIRE", B, "ErrorReason {name} removed"),
    ("error-reason-added", "WIRE", C, "ErrorReason {name} added under kind {what}"),
    ("error-reason-mapping-changed", "WIRE", B, "x-error-reasons {name}: {what} changed from {old} to {new}"),
    # the requirement catalogue
    ("requirement-removed", "CONFORMANCE", B, "requirement {name} removed"),
    ("requirement-renamed", "CONFORMANCE", B, "requirement {old} renamed to {new} (ids are stable)"),
    ("requirement-added", "CONFORMANCE", C, "requirement {name} ({what}) added"),
    ("requirement-added-must", "CONFORMANCE", B, "new MUST {name} in released profile(s) {what}"),
    ("requirement-level-raised", "CONFORMANCE", B, "requirement {name} raised from {old} to {new}"),
    ("requirement-level-lowered", "CONFORMANCE", C, "requirement {name} lowered from {old} to {new}"),
    (
        "requirement-profiles-changed",
        "CONFORMANCE",
        B,
        "requirement {name} moved from profiles {old} to {new}",
    ),
    (
        "requirement-text-changed",
        "CONFORMANCE",
        C,
        "requirement {name}: sentence changed; check it does not tighten",
    ),
    (
        "requirement-needs-removed",
        "CONFORMANCE",
        B,
        "requirement {name} no longer needs {value}: it applies to more targets",
    ),
    ("requirement-needs-added", "CONFORMANCE", C, "requirement {name} now needs {value}"),
    ("profile-removed", "CONFORMANCE", B, "profile {name} removed"),
    ("profile-added", "CONFORMANCE", C, "profile {name} added"),
    # everything else
    ("info-version-changed", "DOCS", I, "version changed from {old} to {new}"),
    ("other-change", "DOCS", I, "{what}; no rule classifies it"),
)


@dataclass(frozen=True)
class Change:
    """One classified difference; ``operations`` are the operationIds (or stream names) it touches."""

    rule: str
    level: str
    category: str
    file: str
    pointer: str
    sentence: str
    operations: tuple[str, ...] = ()

    def sort_key(self) -> tuple[int, str, str, str, str]:
        return (LEVELS.index(self.level), self.file, self.pointer, self.rule, self.sentence)

    def as_dict(self) -> dict[str, object]:
        return {
            "level": self.level,
            "rule": self.rule,
            "category": self.category,
            "file": self.file,
            "pointer": self.pointer,
            "operations": list(self.operations),
            "sentence": self.sentence,
        }

    def __str__(self) -> str:
        where = f"{self.file}#{self.pointer}"
        ops = f" [{', '.join(self.operations)}]" if self.operations else ""
        return f"{self.level:<13} {self.rule:<36} {where}{ops}: {self.sentence}"


def make_change(
    rule_id: str, file: str, pointer: str, operations: tuple[str, ...] = (), **fields: object
) -> Change:
    """A :class:`Change` of the rule ``rule_id``, its sentence filled from ``fields``."""
    rule = RULES[rule_id]
    values = {key: _show(value) for key, value in fields.items()}
    return Change(
        rule.id,
        rule.level,
        rule.category,
        file,
        pointer,
        rule.template.format_map(_Blank(values)),
        operations,
    )


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"


def _show(value: object) -> str:
    if isinstance(value, (list, tuple, set, frozenset)):
        return "[" + ", ".join(sorted(str(v) for v in value)) + "]"
    return str(value)
