"""Fixtures of the report tests: the plugin tests' fake-gateway server fixture (a real socket)."""

from tests.conformance.plugin.conftest import serve_app

__all__ = ["serve_app"]
