"""The fault registry, the hook points, and the chain of active faults."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    from llmgw_reference.auth import Principal
    from llmgw_reference.errors import ApiError
    from llmgw_reference.sse import SSEFrame


class Fault:
    """Base class: every hook is the identity; a fault overrides the ones it breaks."""

    name: str = ""
    breaks: tuple[str, ...] = ()
    description: str = ""

    def sse_headers(self, headers: dict[str, str]) -> dict[str, str]:
        """Headers of every SSE response (native, chat, generate)."""
        return headers

    async def before_sse_headers(self) -> None:
        """Runs before the status line and headers of a stream are sent."""

    def sse_frames(self, frames: AsyncIterator[SSEFrame]) -> AsyncIterator[SSEFrame]:
        """The frames of every SSE stream, just before they are encoded to bytes."""
        return frames

    async def before_sse_write(self, written: int) -> None:
        """Runs before each write of a stream (events and heartbeats); `written` counts earlier writes."""

    def error_headers(self, err: ApiError, headers: dict[str, str]) -> dict[str, str]:
        """Headers of every error answer."""
        return headers

    def authenticate(self, principal: Principal | None) -> Principal | None:
        """The principal of a request after the key check (None: not authenticated)."""
        return principal

    def disconnect_cancels(self, cancels: bool) -> bool:
        """Whether a client disconnect before the terminal event cancels the task."""
        return cancels

    async def before_token(self, index: int) -> None:
        """Runs in the runtime's token loop before token `index` of a completion is emitted."""

    def response_headers(self, path: str, status: int, headers: dict[str, str]) -> dict[str, str]:
        """Headers of every HTTP answer (JSON and streams), after the server set them."""
        return headers

    def error_answer(
        self, err: ApiError, status: int, body: dict[str, object]
    ) -> tuple[int, dict[str, object]]:
        """Status and JSON body of every error answer (either surface's shape), before sending."""
        return status, body

    def request_body(self, path: str, body: bytes) -> bytes:
        """The raw body of every request, after the size and media-type checks, before parsing."""
        return body

    def json_answer(
        self, method: str, path: str, query: str, status: int, body: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """Status and body of every JSON-object answer (errors included), just before sending."""
        return status, body


@dataclass(frozen=True)
class RegisteredFault:
    """A fault class with its name, the requirement ids it breaks, and what it does."""

    name: str
    breaks: tuple[str, ...]
    description: str
    factory: type[Fault]


_REGISTRY: dict[str, RegisteredFault] = {}
F = TypeVar("F", bound=type[Fault])
T = TypeVar("T")


def fault(name: str, *, breaks: list[str], description: str) -> Callable[[F], F]:
    """Registers a Fault subclass under `name`."""

    def register(cls: F) -> F:
        if name in _REGISTRY:
            raise ValueError(f"fault {name!r} registered twice")
        cls.name, cls.breaks, cls.description = name, tuple(breaks), description
        _REGISTRY[name] = RegisteredFault(name, tuple(breaks), description, cls)
        return cls

    return register


#: One fault of a module's table: its name, the requirement ids it breaks, what it does, its class,
#: and the class attributes that set it apart from the other faults of that class.
FaultRow = tuple[str, list[str], str, type[Fault], dict[str, Any]]


def register_faults(*rows: FaultRow) -> None:
    """Registers one subclass of each row's class, with the row's attributes, under the row's name.

    Why a table: many faults break one rule the same way with another value (a key dropped, a
    status changed); one parametrised class and a row each say so once, where a class per fault
    would repeat the same body. The rows register in order, so the catalogue's order is the table's.
    """
    for name, breaks, description, base, attributes in rows:
        cls = cast("type[Fault]", type(name.title().replace("-", ""), (base,), dict(attributes)))
        fault(name, breaks=breaks, description=description)(cls)


def registered() -> dict[str, RegisteredFault]:
    """Every registered fault by name."""
    return dict(_REGISTRY)


class FaultSet:
    """The active faults, chained; the server calls these hooks, never the faults directly."""

    def __init__(self, names: tuple[str, ...] | list[str] = ()) -> None:
        unknown = [n for n in names if n not in _REGISTRY]
        if unknown:
            raise ValueError(f"unknown fault(s) {unknown}; known: {sorted(_REGISTRY)}")
        self.faults: list[Fault] = [_REGISTRY[n].factory() for n in names]

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.faults]

    def _chain(self, hook: Callable[[Fault, T], T], value: T) -> T:
        """`value` passed through `hook` of every active fault, in the order they were named."""
        for f in self.faults:
            value = hook(f, value)
        return value

    async def _await_each(self, hook: Callable[[Fault], Awaitable[None]]) -> None:
        """Awaits `hook` of every active fault, in the order they were named."""
        for f in self.faults:
            await hook(f)

    def sse_headers(self, headers: dict[str, str]) -> dict[str, str]:
        return self._chain(lambda f, h: f.sse_headers(h), headers)

    async def before_sse_headers(self) -> None:
        await self._await_each(lambda f: f.before_sse_headers())

    def sse_frames(self, frames: AsyncIterator[SSEFrame]) -> AsyncIterator[SSEFrame]:
        return self._chain(lambda f, fr: f.sse_frames(fr), frames)

    async def before_sse_write(self, written: int) -> None:
        await self._await_each(lambda f: f.before_sse_write(written))

    def error_headers(self, err: ApiError, headers: dict[str, str]) -> dict[str, str]:
        return self._chain(lambda f, h: f.error_headers(err, h), headers)

    def authenticate(self, principal: Principal | None) -> Principal | None:
        return self._chain(lambda f, p: f.authenticate(p), principal)

    def disconnect_cancels(self) -> bool:
        return self._chain(lambda f, c: f.disconnect_cancels(c), True)

    async def before_token(self, index: int) -> None:
        await self._await_each(lambda f: f.before_token(index))

    def response_headers(self, path: str, status: int, headers: dict[str, str]) -> dict[str, str]:
        return self._chain(lambda f, h: f.response_headers(path, status, h), headers)

    def error_answer(
        self, err: ApiError, status: int, body: dict[str, object]
    ) -> tuple[int, dict[str, object]]:
        return self._chain(lambda f, answer: f.error_answer(err, *answer), (status, body))

    def request_body(self, path: str, body: bytes) -> bytes:
        return self._chain(lambda f, b: f.request_body(path, b), body)

    def json_answer(
        self, method: str, path: str, query: str, status: int, body: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        return self._chain(lambda f, answer: f.json_answer(method, path, query, *answer), (status, body))
