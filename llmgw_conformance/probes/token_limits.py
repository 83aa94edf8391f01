"""The differential half of the token-limit rules (CHAT-MAX-TOKENS, GEN-MAX-NEW-TOKENS, NAT-MAX-TOKENS).

An answer that used exactly its token limit and says ``stop`` may have been cut by the limit (then it
must say ``length``) or may have ended on its last allowed token: a model can emit its end-of-sequence
token there, and servers count it. One answer cannot tell; the same seeded request with a higher limit
can: if it goes on past the first limit, the limit ended the first answer. The chat, generate and
native checks each rerun their own kind of request; what the rerun means is judged here, once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from llmgw_conformance.outcomes import Exchange
from llmgw_conformance.probes.verdicts import Verdicts

#: How many more tokens the differential rerun allows than the answer it checks.
RERUN_EXTRA_TOKENS: Final = 8


def judge_stop_at_limit(
    verdicts: Verdicts,
    requirement_id: str,
    cut: str,
    limit: int,
    rerun_tokens: object,
    evidence: Sequence[Exchange],
) -> None:
    """Fail ``requirement_id`` when the rerun with a higher limit produced more than ``limit`` tokens:
    the answer described by ``cut`` ("a choice cut by max_tokens 4") then ended by the limit, and its
    ``stop`` should have been ``length``. A rerun that gave no count, or no more tokens, proves nothing."""
    if isinstance(rerun_tokens, int) and rerun_tokens > limit:
        verdicts.fail(
            requirement_id,
            f"{cut} ended with finish_reason stop: the same seeded request with a higher limit "
            f"produced {rerun_tokens} tokens",
            expected="length",
            received="stop",
            exchanges=evidence,
        )
