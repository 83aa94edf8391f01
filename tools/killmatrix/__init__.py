"""The kill matrix: proves the conformance suite fails each named fault of the reference.

Why: a suite is only worth what it catches. For every fault registered in `llmgw_reference.faults`
the matrix starts the reference in that fault mode, runs the suite on the profiles the fault's
`breaks` ids belong to (from the requirement catalogue: data, not logic), and records whether
every expected id failed ("killed"). A clean row (no fault: nothing may fail) and hostile-target
rows (the suite must fail them in bounded time, without suite errors) complete it.

`python -m tools.killmatrix` (or `make killmatrix`) writes reports/killmatrix.json and .md.
"""
