"""The fixtures of the stream and OpenAI check tests (imported by both conftest.py files)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fake_target import FakeTarget, MakeContext, serve  # type: ignore[import-not-found]

from llmgw_conformance.live import LiveContext, make_context
from llmgw_conformance.options import SuiteOptions
from llmgw_conformance.outcomes import Finding


@pytest.fixture(scope="module")
def fake_server() -> Iterator[FakeTarget]:
    with serve(FakeTarget()) as target:
        yield target


@pytest.fixture
def fake(fake_server: FakeTarget) -> Iterator[FakeTarget]:
    """The module's fake target, with no faults at the start of each test."""
    fake_server.faults = set()
    fake_server.tasks.clear()
    yield fake_server
    fake_server.faults = set()


@pytest.fixture
def context(fake: FakeTarget) -> Iterator[MakeContext]:
    """``context(check_name, **options)`` -> (ctx, findings) against the fake target."""
    made: list[LiveContext] = []

    def make(check_name: str, **options: Any) -> tuple[LiveContext, list[Finding]]:
        opts = SuiteOptions().replace(stream_budget_s=20.0, read_timeout_s=10.0, **options)
        ctx, findings = make_context(fake.url, "sk-test", check_name, options=opts)
        made.append(ctx)
        return ctx, findings

    yield make
    for ctx in made:
        ctx.close()
