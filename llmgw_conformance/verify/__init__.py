"""``llm-gateway-conformance verify REPORT``: does every verdict of a report.json follow from its evidence?

Why a verifier: a vendor sends a report; whoever receives it must be able to tell, without access to
the vendor's gateway, that nobody edited a verdict, removed the evidence behind it, or claimed a
profile whose MUST requirements never ran. The report records its own evidence (requests, answers,
the bytes of every stream it kept) and a digest; the verifier re-applies the suite's *own* stream
judges (:mod:`llmgw_conformance.grammar`) to the recorded bytes, and re-derives every count, profile
result and verdict with the suite's own aggregation rules (:mod:`llmgw_conformance.results`), so
there is no second copy of any rule to drift.

This package imports nothing at import time: :mod:`llmgw_conformance.http_session` records stream
bytes through :mod:`llmgw_conformance.verify.evidence`, which must not pull the checks in.
"""
