"""Control-plane routes: capabilities, catalog, pools, capacity, sessions."""

from __future__ import annotations

from starlette.routing import Route

from llmgw_reference.control import catalog, discovery, pools, sessions


def routes() -> list[Route]:
    """Every control-plane route (health and readiness live in reference.app)."""
    return [
        Route("/v1/capabilities", discovery.get_capabilities, methods=["GET"]),
        Route("/v1/capacity", discovery.get_capacity, methods=["GET"]),
        Route("/v1/catalog/models", catalog.list_models, methods=["GET"]),
        Route("/v1/catalog/models", catalog.register_model, methods=["POST"]),
        Route("/v1/catalog/models/{model_id}", catalog.get_model, methods=["GET"]),
        Route("/v1/catalog/models/{model_id}/state", catalog.set_model_state, methods=["POST"]),
        Route("/v1/pools", pools.list_pools, methods=["GET"]),
        Route("/v1/pools/{pool_id}", pools.put_pool, methods=["PUT"]),
        Route("/v1/pools/{pool_id}", pools.get_pool, methods=["GET"]),
        Route("/v1/pools/{pool_id}", pools.delete_pool, methods=["DELETE"]),
        Route("/v1/pools/{pool_id}/status", pools.get_pool_status, methods=["GET"]),
        Route("/v1/sessions/{session_id}", sessions.put_session, methods=["PUT"]),
        Route("/v1/sessions/{session_id}", sessions.get_session, methods=["GET"]),
        Route("/v1/sessions/{session_id}", sessions.delete_session, methods=["DELETE"]),
    ]
