"""Context-manager behaviour for everything in the SDK that holds a connection.

Why one place: clients, streams and the accounts client all promise the same thing (leaving the ``with``
block closes the connection, also on an exception); written once, it cannot drift between them.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self


class ClosesOnExit:
    """``with thing:`` calls ``thing.close()`` on the way out."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncClosesOnExit:
    """``async with thing:`` awaits ``thing.aclose()`` on the way out."""

    async def aclose(self) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
