"""Workers with slots, pools per machine profile, and the assignment of workers to pools.

Why the default pool: a deployment with no pools configured must still serve, so the pool named
`config.default_pool` holds every worker no other pool was assigned. Other pools take free
workers at once, never more per profile than their `gpu_caps` (default: their `gpus`), and are
`ready` exactly when every profile in `gpus` has at least that many workers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from llmgw_generated.models.control import PoolInfo, PoolSpec, PoolState, PoolStatus, WorkerInfo, WorkerState
from llmgw_reference.config import Config


@dataclass
class Worker:
    """One machine (one GPU) with a few slots."""

    id: str
    profile: str
    slots: int
    pool_id: str | None = None
    active: set[str] = field(default_factory=set)
    down: bool = False

    @property
    def free_slots(self) -> int:
        return 0 if self.down else max(0, self.slots - len(self.active))

    def info(self, models: list[str]) -> WorkerInfo:
        state = (
            WorkerState.down
            if self.down
            else (WorkerState.busy if self.free_slots == 0 else WorkerState.ready)
        )
        return WorkerInfo.model_validate(
            {
                "id": self.id,
                "machine_profile": self.profile,
                "pool_id": self.pool_id,
                "state": state,
                "slots": self.slots,
                "active_tasks": len(self.active),
                "models": models,
            }
        )


@dataclass
class Pool:
    """A pool and its spec."""

    id: str
    gpus: dict[str, int]
    caps: dict[str, int]
    absorbs_free: bool = False

    def cap(self, profile: str) -> int:
        if profile in self.caps:
            return self.caps[profile]
        return self.gpus.get(profile, 0)

    def spec(self) -> PoolSpec:
        body: dict[str, dict[str, int]] = {"gpus": dict(self.gpus)}
        if self.caps:
            body["gpu_caps"] = dict(self.caps)
        return PoolSpec.model_validate(body)


class Cluster:
    """Every worker and pool."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.workers: list[Worker] = []
        for profile, count in config.machine_profiles.items():
            for n in range(count):
                self.workers.append(Worker(f"w-{profile}-{n}", profile, config.slots_per_worker))
        self.pools: dict[str, Pool] = {}
        self.pools[config.default_pool] = Pool(config.default_pool, {}, {}, absorbs_free=True)
        self.rebalance()

    def members(self, pool_id: str) -> list[Worker]:
        return [w for w in self.workers if w.pool_id == pool_id]

    def rebalance(self) -> None:
        """Releases workers above caps, then fills pools (by id) from free workers."""
        for worker in self.workers:
            if worker.pool_id is not None and worker.pool_id not in self.pools:
                worker.pool_id = None
        for pool in self.pools.values():
            if pool.absorbs_free:
                continue
            for profile in {w.profile for w in self.members(pool.id)}:
                held = [w for w in self.members(pool.id) if w.profile == profile]
                for worker in sorted(held, key=lambda w: len(w.active))[
                    : max(0, len(held) - pool.cap(profile))
                ]:
                    worker.pool_id = None
        absorbing = [p for p in self.pools.values() if p.absorbs_free]
        for worker in self.workers:
            if absorbing and worker.pool_id == absorbing[0].id:
                worker.pool_id = None  # free again: user pools get first pick
        for pool in sorted(self.pools.values(), key=lambda p: p.id):
            if pool.absorbs_free:
                continue
            for profile in sorted(set(pool.gpus) | set(pool.caps)):
                want = pool.cap(profile) - sum(1 for w in self.members(pool.id) if w.profile == profile)
                for worker in self.workers:
                    if want <= 0:
                        break
                    if worker.pool_id is None and worker.profile == profile:
                        worker.pool_id = pool.id
                        want -= 1
        if absorbing:
            for worker in self.workers:
                if worker.pool_id is None:
                    worker.pool_id = absorbing[0].id

    def assigned(self, pool_id: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for worker in self.members(pool_id):
            counts[worker.profile] = counts.get(worker.profile, 0) + 1
        return counts

    def is_ready(self, pool: Pool) -> bool:
        assigned = self.assigned(pool.id)
        return all(assigned.get(profile, 0) >= n for profile, n in pool.gpus.items())

    def status(self, pool: Pool) -> PoolStatus:
        ready = self.is_ready(pool)
        return PoolStatus.model_validate(
            {
                "state": PoolState.ready if ready else PoolState.pending,
                "ready": ready,
                "assigned": self.assigned(pool.id),
                "workers": [w.id for w in self.members(pool.id)],
            }
        )

    def info(self, pool: Pool) -> PoolInfo:
        return PoolInfo.model_validate(
            {
                "id": pool.id,
                "spec": pool.spec().model_dump(mode="json"),
                "status": self.status(pool).model_dump(),
            }
        )

    def put_pool(self, pool_id: str, spec: PoolSpec) -> tuple[Pool, bool]:
        gpus = dict(spec.gpus.root) if spec.gpus else {}
        caps = dict(spec.gpu_caps.root) if spec.gpu_caps else {}
        created = pool_id not in self.pools
        pool = Pool(pool_id, gpus, caps, absorbs_free=pool_id == self.config.default_pool)
        self.pools[pool_id] = pool
        self.rebalance()
        return pool, created

    def delete_pool(self, pool_id: str) -> None:
        del self.pools[pool_id]
        self.rebalance()

    def usable_workers(self, pool_id: str, mask: str | None) -> list[Worker]:
        """Workers of a pool that are up and match the device mask."""
        return [w for w in self.members(pool_id) if not w.down and (mask in (None, "*") or w.profile == mask)]
