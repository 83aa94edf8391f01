"""The reference LLM inference gateway and worker: the conformance suite's embedded default target.

Run it::

    make serve                                   # 127.0.0.1:8080, key sk-local-dev
    python -m llmgw_reference --config FILE --host H --port P --api-key KEY[=scope,scope] \\
        [--role combined|gateway|worker] [--worker-url URL ...] [--fault NAME ...] \\
        [--queue-capacity N] [--admission-policy drop_lru|reject] [--ttft-ms MS] [--tokens-per-s N]

Flags win over the config file (YAML, or JSON by extension), which wins over the defaults of
`llmgw_reference.config.Config`; every field of it is a config key (unknown keys are an error).

API keys (documented defaults): `sk-local-dev` has `inference`, `control:read` and
`control:write`; `sk-local-readonly` has `control:read` only. Each operation's scope is its
`x-required-scope` in the contract.

Preloaded models: `synth-small` (engine family vllm; completion, embedding, rerank; LoRA
`synth-lora-a`; ctx_max 8192) and `synth-chat` (llamacpp; completion; ctx_max 4096). Machine
profiles `{l4: 4, a100-40gb: 2}`, 4 slots per worker, all in pool `default` until other pools
take them. The engine is synthetic and deterministic, and capabilities say so.

Roles: `combined` (default) does everything in one process; `worker` serves the native task
operations itself; `gateway --worker-url URL` (repeatable) admits, queues and places locally and
runs completion tasks on the workers over HTTP (`llmgw_reference.worker_http`).

Modules: `app.create_app(config)` builds the ASGI app; `runtime.Runtime` is the scheduler the
surfaces call (`request.app.state.runtime`); `errors.ApiError` is the one error type;
`request_body.parse_body` reads a body into a generated model with the contract's errors;
`sse.SSEResponse` sends every stream; `faults` breaks the server on purpose (see its docstring).
"""
