"""Benchmarks of the reference server and the conformance suite (`make bench`, `python -m tools.bench`).

Why a package of small modules: each benchmark starts real processes and compares against a peer
measured in the same run, in interleaved rounds, keeping the best (the machine is shared and
noisy). :mod:`tools.bench.benchmarks` lists them with their goals; the summary table and
reports/bench.json come from :mod:`tools.bench.summary`.
"""
