"""A client library for accessing LLM inference gateway - data plane"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
