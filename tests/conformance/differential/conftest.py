"""Real reference servers for the differential tests (uvicorn on 127.0.0.1, free ports, threads).

They come from the reference tests' own starter (``tests.reference.conftest.start_server``); one set
per module: a worker, a second plain instance, a gateway in front of the worker, and a gateway with
the token-changing fault in front of the same worker.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = str(Path(__file__).resolve().parents[3])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from tests.reference.conftest import DEV_KEY, RunningServer, start_server  # noqa: E402


@dataclass
class Servers:
    worker: RunningServer
    twin: RunningServer
    gateway: RunningServer
    faulty_gateway: RunningServer
    key: str = DEV_KEY


@pytest.fixture(scope="module")
def servers() -> Iterator[Servers]:
    worker = start_server()
    started = [worker]
    try:
        started.append(start_server())
        started.append(start_server(role="gateway", worker_urls=[worker.url]))
        faulty = {"role": "gateway", "worker_urls": [worker.url], "faults": ["gateway-token-changed"]}
        started.append(start_server(**faulty))
        yield Servers(worker=started[0], twin=started[1], gateway=started[2], faulty_gateway=started[3])
    finally:
        for server in started:
            server.stop()
