"""A free TCP port on the loopback interface, for the servers the tools start.

Why one place: the kill matrix, the engine matrix and the benchmarks each start servers on a port
nobody listens on; they pick it the same way (the OS hands out an unused one), so it is written once.
"""

from __future__ import annotations

import socket


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
