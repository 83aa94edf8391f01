"""Every registered check; importing this package registers them all.

Each module holds the checks of one area (framing, native stream, errors, ...), each
check a small function decorated with :func:`conformance.registry.check`.
"""

from conformance.checks import (  # S2: stream and OpenAI-surface checks
    framing,  # noqa: F401
    streams_chat,  # noqa: F401
    streams_generate,  # noqa: F401
    streams_native,  # noqa: F401
)
