"""Placement: which pool a task runs in (pin, prefer, avoid, device mask, gpu hints).

Why separate: the rules of the contract (422 unknown pin, 503 unready pin unless
`allow_fallback`, never an avoided pool, preferred pools first) are easiest to check in one
small function with no scheduling state in it.
"""

from __future__ import annotations

from llmgw_generated.models.common import ErrorKind, ErrorReason
from llmgw_generated.models.data import PlacementMode, PlacementOverrides
from llmgw_reference.errors import ApiError, reason_error
from llmgw_reference.runtime.cluster import Cluster


def _unavailable(message: str, param: str) -> ApiError:
    return ApiError(ErrorKind.POOL_UNAVAILABLE, message, status=422, param=param)


def _unready(message: str, retry_after_ms: int) -> ApiError:
    return ApiError(ErrorKind.POOL_UNREADY, message, status=503, retry_after_ms=retry_after_ms)


def choose_pool(cluster: Cluster, placement: PlacementOverrides | None, queued: dict[str, int]) -> str:
    """The pool id a task goes to, or the contract's error. `queued` is the queue length per pool."""
    p = placement or PlacementOverrides()
    mask = p.require_device_mask
    avoid = set(p.avoid_pools or [])
    if mask not in (None, "*") and mask not in cluster.config.machine_profiles:
        raise _unavailable(f"No machine profile {mask!r} is configured.", "placement.require_device_mask")
    retry_ms = 1000

    def usable(pool_id: str) -> bool:
        return (
            pool_id in cluster.pools and pool_id not in avoid and bool(cluster.usable_workers(pool_id, mask))
        )

    def least_loaded(candidates: list[str]) -> str | None:
        best: tuple[int, int, str] | None = None
        for pool_id in candidates:
            if not usable(pool_id):
                continue
            free = sum(w.free_slots for w in cluster.usable_workers(pool_id, mask))
            key = (queued.get(pool_id, 0) - free, 0 if pool_id == cluster.config.default_pool else 1, pool_id)
            if best is None or key < best:
                best = key
        return best[2] if best else None

    others = sorted(cluster.pools)
    mode = p.mode or (PlacementMode.pin if p.pin_pool_id else PlacementMode.auto)
    if mode == PlacementMode.pin:
        if not p.pin_pool_id:
            raise ApiError(
                ErrorKind.INVALID_PARAMS,
                "placement.mode pin needs pin_pool_id.",
                status=400,
                param="placement.pin_pool_id",
            )
        if p.pin_pool_id not in cluster.pools:
            raise _unavailable(f"Pool {p.pin_pool_id!r} does not exist.", "placement.pin_pool_id")
        if p.pin_pool_id in avoid:
            raise _unavailable(f"Pool {p.pin_pool_id!r} is both pinned and avoided.", "placement.avoid_pools")
        if usable(p.pin_pool_id):
            return p.pin_pool_id
        if p.allow_fallback:
            chosen = least_loaded([o for o in others if o != p.pin_pool_id])
            if chosen:
                return chosen
        raise _unready(f"Pool {p.pin_pool_id!r} has no ready workers for this task.", retry_ms)
    if mode == PlacementMode.prefer:
        for pool_id in p.prefer_pools or []:
            if usable(pool_id):
                return pool_id
    chosen = least_loaded(others)
    if chosen is None:
        raise _unready("No pool has a ready worker for this task.", retry_ms)
    return chosen


def placement_for_gpu_hint(cluster: Cluster, gpu: str | None) -> PlacementOverrides | None:
    """The placement a `gpu` hint (`profile` or `pool/profile`) asks for.

    A named pool whose capacity is still pending answers 202 `POOL_UNREADY`, reason
    `PROVISIONING` (retriable): nothing is executed and the client sends the request again.
    """
    if not gpu:
        return None
    pool_id, _, profile = gpu.rpartition("/")
    if profile not in cluster.config.machine_profiles:
        raise _unavailable(f"No machine profile {profile!r} is configured.", "gpu")
    if not pool_id:
        return PlacementOverrides(require_device_mask=profile)
    pool = cluster.pools.get(pool_id)
    if pool is None:
        raise _unavailable(f"Pool {pool_id!r} does not exist.", "gpu")
    if not cluster.is_ready(pool) or not cluster.usable_workers(pool_id, profile):
        raise reason_error(
            ErrorReason.PROVISIONING,
            f"Capacity for pool {pool_id!r} ({profile}) is being provisioned.",
            retry_after_ms=2000,
        )
    return PlacementOverrides(mode=PlacementMode.pin, pin_pool_id=pool_id, require_device_mask=profile)
