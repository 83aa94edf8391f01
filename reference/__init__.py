"""The reference LLM inference gateway and worker: the suite's embedded default target.

`python -m reference` serves it (see `reference.__main__`); `reference.app.create_app(config)`
builds the ASGI app; `reference.runtime.Runtime` is the scheduler the surfaces call;
`reference.faults` breaks it on purpose to prove the conformance checks.
"""
