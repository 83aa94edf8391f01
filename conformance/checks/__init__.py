"""Every registered check; importing this package registers them all.

Each module holds the checks of one area (framing, native stream, errors, ...), each
check a small function decorated with :func:`conformance.registry.check`.
"""

# Stream and OpenAI-surface checks (S2).
from conformance.checks import framing, streams_chat  # noqa: F401, E402
