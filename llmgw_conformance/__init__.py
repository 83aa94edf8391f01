"""Conformance suite for LLM inference gateways: drives a gateway over HTTP and judges it."""

__version__ = "0.1.0"
