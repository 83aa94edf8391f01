"""Every registered check; importing this package registers them all.

Each module holds the checks of one area (native stream, errors, ...), each
check a small function decorated with :func:`llmgw_conformance.registry.check`.
"""

from llmgw_conformance.checks import (
    accounts_images,  # noqa: F401
    accounts_keys,  # noqa: F401
    accounts_tokens,  # noqa: F401
    accounts_usage,  # noqa: F401
    answer_schemas,  # noqa: F401
    auth,  # noqa: F401
    backpressure,  # noqa: F401
    cancellation,  # noqa: F401
    catalog,  # noqa: F401
    control,  # noqa: F401
    deadlines,  # noqa: F401
    determinism,  # noqa: F401
    discovery_answers,  # noqa: F401
    embeddings,  # noqa: F401
    errors,  # noqa: F401
    flows,  # noqa: F401
    invalid_requests,  # noqa: F401
    midstream_errors,  # noqa: F401
    openai_extended,  # noqa: F401
    openai_honoured,  # noqa: F401
    openai_load,  # noqa: F401
    openai_surface,  # noqa: F401
    pools,  # noqa: F401
    rerank,  # noqa: F401
    schema_driven,  # noqa: F401
    sessions,  # noqa: F401
    streams_chat,  # noqa: F401
    streams_generate,  # noqa: F401
    streams_native,  # noqa: F401
    tasks,  # noqa: F401
)
