"""Differential runs: one seeded request set sent to two targets, every answer compared.

Why: platform teams ask before every release whether a gateway changes anything the worker behind it
produced, and whether a release candidate answers exactly like the running release. A conformance run
judges one target against the contract and cannot see either. ``llm-gateway-conformance compare
TARGET OTHER`` (or ``run --compare OTHER`` beside a normal run) sends the same deterministic requests
(seeded, temperature 0) to both and reports, per request, whether the text, token count, finish
reason, usage and stream shape are identical, with the first differing token.

* :mod:`.request_set`: the seeded requests, only for surfaces both targets serve;
* :mod:`.answers`: one side's answer reduced to what is compared (streams via the strict SSE reader);
* :mod:`.comparison`: aspects, the first differing token, the exit rules (``--compare-fail-on``);
* :mod:`.runner`: preflight, discovery and sending, bounded like every request of the suite;
* :mod:`.result`: verdict, exit code and the ``differential`` section of ``report.json``;
* :mod:`.rendering`: the section in junit.xml and report.html (its own template).
"""

from llmgw_conformance.differential.comparison import ASPECTS, FAIL_RULES
from llmgw_conformance.differential.result import DifferentialResult, combined_exit_code
from llmgw_conformance.differential.runner import run_differential

__all__ = ["ASPECTS", "FAIL_RULES", "DifferentialResult", "combined_exit_code", "run_differential"]
