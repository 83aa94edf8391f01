"""Engine compatibility matrix: the suite's verdict on real OpenAI-compatible servers.

``python -m tools.matrix`` (``make matrix``, not part of ``make test``) installs each engine into a
cache folder at pinned versions (llama.cpp's ``llama-server`` built from the source vendored in the
llama-cpp-python sdist, the LiteLLM proxy, ``transformers serve``), writes tiny random-weight models
for them, starts each on a free 127.0.0.1 port, runs the conformance suite on it, stops it, and
writes ``docs/compatibility.md`` from the report.json files and the hand checks of every failure
(``tools/matrix/hand_checks.yaml``). Why here and not in the suite: the suite judges any server;
which servers the project publishes verdicts for, and how they were checked, is the project's.
"""
