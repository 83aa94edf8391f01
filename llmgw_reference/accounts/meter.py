"""The meter of one billable request: what the answer reported, read by the billing middleware.

Why a context variable: a stream's token counts are known only inside the surface that produced
them, at the stream's end, and a chat stream without ``include_usage`` never writes them on the
wire. The billing middleware sets a fresh Meter before it calls the app; the surface records into
it (one line at the stream's end); the middleware bills from it. JSON answers are billed from
their own ``usage`` object instead, so they need no recording.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class Meter:
    """Counts of one request, filled by the surface that answered it."""

    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    images: int | None = None


current_meter: ContextVar[Meter | None] = ContextVar("current_meter", default=None)


def record_tokens(prompt_tokens: int, completion_tokens: int) -> None:
    """Called by a surface when an answer's usage is final (no-op outside a billed request)."""
    meter = current_meter.get()
    if meter is not None:
        meter.prompt_tokens, meter.completion_tokens = prompt_tokens, completion_tokens


def record_images(count: int) -> None:
    """Called by the images route with the number of images it answered."""
    meter = current_meter.get()
    if meter is not None:
        meter.images = count
