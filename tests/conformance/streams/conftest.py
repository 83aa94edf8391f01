"""Fixtures for the stream and OpenAI check tests: the fake target (one server per module) and contexts."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # fake_target / fake_routes, shared with ../openai

from fake_target import FakeTarget, MakeContext, serve

from conformance.live import LiveContext, make_context
from conformance.options import SuiteOptions
from conformance.outcomes import Finding


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
