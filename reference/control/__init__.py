"""Control-plane routes: capabilities, catalog, pools, capacity, sessions."""

from __future__ import annotations

from starlette.routing import Route


def routes() -> list[Route]:
    """Every control-plane route (health and readiness live in reference.app)."""
    return []
