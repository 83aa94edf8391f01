"""Accounts on the reference gateway (contract 1.2, issue 17): API keys, usage logs and
statistics, credits with 402, access tokens, and image generation, kept in SQLite.
"""

from __future__ import annotations

from starlette.routing import Route

from llmgw_reference.accounts import images, routes
from llmgw_reference.accounts.billing import BillingMiddleware
from llmgw_reference.accounts.service import AccountsService


def account_routes() -> list[Route]:
    """The accounts routes of control.yaml and the image routes of data.yaml."""
    return routes.routes() + images.routes()


__all__ = ["AccountsService", "BillingMiddleware", "account_routes"]
