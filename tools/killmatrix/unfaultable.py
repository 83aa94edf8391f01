"""MUST requirements no registered fault breaks, each with the reason.

Why a table: the test `tests/killmatrix` checks that every MUST requirement is either broken by
some fault or listed here, so a new requirement cannot silently go unproven. `kind` says whether
the rule cannot be broken by any server-side fault ("suite-side") or could be, but the reference
has no hook yet that reaches it ("no-hook": work left, named in docs/killmatrix.md).
"""

from __future__ import annotations

from typing import Literal, NamedTuple


class Unfaultable(NamedTuple):
    kind: Literal["suite-side", "no-hook"]
    reason: str


UNFAULTABLE: dict[str, Unfaultable] = {
    "AUTH-NO-SECRET-ECHO": Unfaultable(
        "no-hook",
        "echoing the key needs the request's Authorization header in an answer hook; no hook sees both",
    ),
    "BP-QUEUE-BOUNDED": Unfaultable(
        "no-hook", "an unbounded queue is a runtime admission change; no hook reaches admission"
    ),
    "BP-DROP-LRU-EVENT": Unfaultable(
        "no-hook",
        "the matrix runs backpressure with the reject policy (so refusals are observable); a drop_lru "
        "row with a fault on the drop event is not built",
    ),
    "CAT-UNTRUSTED": Unfaultable(
        "no-hook", "accepting a bad digest needs the digest check bypassed in the catalog; no hook reaches it"
    ),
    "PROV-SIGNALS": Unfaultable(
        "no-hook", "provisioning signals come from the model lifecycle; no hook reaches model loading"
    ),
    "PROV-LOAD-FAILED": Unfaultable(
        "no-hook", "the load-failure answer comes from the model lifecycle; no hook reaches model loading"
    ),
}

#: Requirements about what the suite itself sends or how it behaves: no server can break them.
#: (None in the current catalogue: every requirement is a rule for the server.)
SUITE_SIDE: tuple[str, ...] = tuple(k for k, v in UNFAULTABLE.items() if v.kind == "suite-side")
