"""What every engine module provides: install, launch line and version, behind one Protocol."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from tools.matrix.cache import Cache


@dataclass(frozen=True)
class Launch:
    """How to start a server: its command, environment additions, folder and start timeout."""

    argv: list[str]
    cwd: Path
    env: dict[str, str] = field(default_factory=dict)
    start_timeout_s: float = 120.0


class ServerRecipe(Protocol):
    """One engine: installed into the cache, started on a port, asked for its version."""

    #: Short name used on the command line (``--reuse-running NAME=URL``).
    name: str
    #: How the document names it.
    title: str
    #: The pinned versions it is installed at, in words.
    pinned: str

    def install(self, cache: Cache) -> None:
        """Install the engine and write its model, skipping what is already there."""

    def launch(self, cache: Cache, port: int, backends: Mapping[str, str]) -> Launch:
        """The command that serves on 127.0.0.1:``port``; ``backends`` maps server name to URL."""

    def version(self, base_url: str, model: str) -> str:
        """The version the running server reports (or its serving process has), in words."""


def port_of(base_url: str) -> int:
    """The TCP port of a base URL (80/443 when none is written)."""
    parts = urlsplit(base_url)
    return parts.port or (443 if parts.scheme == "https" else 80)
