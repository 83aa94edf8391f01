"""The pool operations: list (paginated), put (create/update), get, delete, status."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from llmgw_generated.models.control import PoolList, PoolSpec
from llmgw_reference.control.common import POOL_ID_RE, json_answer, page_answer, path_param, runtime_of
from llmgw_reference.errors import not_found
from llmgw_reference.request_body import parse_body


def _pool(request: Request) -> str:
    pool_id = path_param(request, "pool_id", POOL_ID_RE)
    if pool_id not in runtime_of(request).cluster.pools:
        raise not_found(f"Pool {pool_id!r} does not exist.")
    return pool_id


async def list_pools(request: Request) -> Response:
    cluster = runtime_of(request).cluster
    return page_answer(request, sorted(cluster.pools), lambda i: cluster.info(cluster.pools[i]), PoolList)


async def put_pool(request: Request) -> Response:
    pool_id = path_param(request, "pool_id", POOL_ID_RE)
    spec = await parse_body(request, PoolSpec)
    runtime = runtime_of(request)
    pool, created = runtime.cluster.put_pool(pool_id, spec)
    runtime.dispatch()
    return json_answer(runtime.cluster.info(pool), 201 if created else 200)


async def get_pool(request: Request) -> Response:
    cluster = runtime_of(request).cluster
    return json_answer(cluster.info(cluster.pools[_pool(request)]))


async def delete_pool(request: Request) -> Response:
    runtime = runtime_of(request)
    runtime.cluster.delete_pool(_pool(request))
    runtime.dispatch()
    return Response(status_code=204)


async def get_pool_status(request: Request) -> Response:
    cluster = runtime_of(request).cluster
    return json_answer(cluster.status(cluster.pools[_pool(request)]))
