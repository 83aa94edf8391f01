"""Catalog lifecycle, provisioning signals, pools with caps, placement, pagination, capacity."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import time
from collections.abc import Callable

import httpx

from tests.reference.conftest import RunningServer
from tests.reference.core.native_client import read_stream, submit


def _artifact(payload: bytes) -> tuple[str, str]:
    uri = "data:application/octet-stream;base64," + base64.b64encode(payload).decode()
    return uri, "sha256:" + hashlib.sha256(payload).hexdigest()


LOADABLE = json.dumps({"format": "synthetic-model", "name": "x"}).encode()


def _retriable_with_retry_after(response: httpx.Response) -> None:
    body = response.json()
    assert body["retriable"] is True
    assert int(response.headers["retry-after"]) == max(1, math.ceil(body["retry_after_ms"] / 1000))


def test_register_is_digest_checked_and_idempotent(reference_server: RunningServer) -> None:
    uri, digest = _artifact(LOADABLE)
    with reference_server.client() as client:
        created = client.post(
            "/v1/catalog/models", json={"id": "reg-a", "digest": digest, "artifact_uri": uri}
        )
        assert created.status_code == 201
        assert created.json()["state"] == "Active" and created.json()["digest"] == digest
        assert client.get("/v1/catalog/models/reg-a").json()["digest"] == digest
        listed = client.get("/v1/catalog/models", params={"limit": 100}).json()
        assert "reg-a" in [m["id"] for m in listed["data"]]
        again = client.post("/v1/catalog/models", json={"id": "reg-a", "digest": digest, "artifact_uri": uri})
        assert again.status_code == 200
        other_uri, other_digest = _artifact(b'{"format": "synthetic-model", "v": 2}')
        clash = client.post(
            "/v1/catalog/models", json={"id": "reg-a", "digest": other_digest, "artifact_uri": other_uri}
        )
        assert clash.status_code == 409
        lying = client.post(
            "/v1/catalog/models", json={"id": "reg-b", "digest": "sha256:" + "0" * 64, "artifact_uri": uri}
        )
        assert lying.status_code == 422 and lying.json()["code"] == "UNTRUSTED_ARTIFACT"
        remote = client.post(
            "/v1/catalog/models",
            json={"id": "reg-b", "digest": digest, "artifact_uri": "https://x.invalid/a"},
        )
        assert remote.status_code == 422 and remote.json()["code"] == "UNTRUSTED_ARTIFACT"
        assert client.get("/v1/catalog/models/reg-b").status_code == 404


def test_model_loading_then_served(start_reference: Callable[..., RunningServer]) -> None:
    server = start_reference(load_ms=300)
    uri, digest = _artifact(LOADABLE)
    with server.client() as client:
        client.post("/v1/catalog/models", json={"id": "fresh", "digest": digest, "artifact_uri": uri})
        loading, _ = submit(client, model_ref="fresh")
        assert loading.status_code == 503
        assert loading.json()["code"] == "POOL_UNREADY" and loading.json()["reason"] == "MODEL_LOADING"
        _retriable_with_retry_after(loading)
        assert client.get("/v1/catalog/models/fresh").json()["load_state"] == "loading"
        time.sleep(0.35)
        served, task_id = submit(client, model_ref="fresh")
        assert served.status_code == 202
        assert read_stream(client, task_id).names()[-1] == "end"


def test_model_load_failed_and_retired(reference_server: RunningServer) -> None:
    uri, digest = _artifact(b"not a model")
    with reference_server.client() as client:
        client.post("/v1/catalog/models", json={"id": "broken", "digest": digest, "artifact_uri": uri})
        failed, _ = submit(client, model_ref="broken")
        assert failed.status_code == 502
        body = failed.json()
        assert body["code"] == "INTERNAL" and body["reason"] == "MODEL_LOAD_FAILED"
        assert "retriable" not in body and "retry-after" not in failed.headers
        retired = client.post("/v1/catalog/models/synth-chat/state", json={"state": "Retired"})
        assert retired.status_code == 200 and retired.json()["state"] == "Retired"
        gone, _ = submit(client, model_ref="synth-chat", engine="llamacpp")
        assert gone.status_code == 410 and gone.json()["code"] == "MODEL_DEPRECATED"
        assert client.post("/v1/catalog/models/synth-chat/state", json={"state": "Active"}).status_code == 200
        back, task_id = submit(client, model_ref="synth-chat", engine="llamacpp")
        assert back.status_code == 202
        read_stream(client, task_id)
        bad_state = client.post("/v1/catalog/models/synth-chat/state", json={"state": "Deleted"})
        assert bad_state.status_code == 400


def test_pools_caps_readiness_and_delete(start_reference: Callable[..., RunningServer]) -> None:
    server = start_reference(machine_profiles={"l4": 3, "a100-40gb": 1})
    with server.client() as client:
        created = client.put("/v1/pools/eval", json={"gpus": {"l4": 1}, "gpu_caps": {"l4": 2}})
        assert created.status_code == 201
        status = created.json()["status"]
        assert status["assigned"] == {"l4": 2} and status["ready"] is True and status["state"] == "ready"
        pending = client.put("/v1/pools/big", json={"gpus": {"a100-40gb": 2}})
        assert pending.status_code == 201
        assert pending.json()["status"] == {**pending.json()["status"], "ready": False, "state": "pending"}
        assert pending.json()["status"]["assigned"] == {"a100-40gb": 1}
        updated = client.put("/v1/pools/eval", json={"gpus": {"l4": 1}})
        assert updated.status_code == 200 and updated.json()["status"]["assigned"] == {"l4": 1}
        capacity = client.get("/v1/capacity").json()
        assert sum(1 for w in capacity["workers"] if w["pool_id"] == "eval") == 1
        assert capacity["active_tasks"] == sum(w["active_tasks"] for w in capacity["workers"])
        assert set(capacity["live_machine_profiles"]) <= set(capacity["configured_machine_profiles"])
        assert client.get("/v1/pools/eval/status").json()["ready"] is True
        assert client.delete("/v1/pools/eval").status_code == 204
        assert client.get("/v1/pools/eval").status_code == 404
        pinned, _ = submit(client, placement={"mode": "pin", "pin_pool_id": "eval"})
        assert pinned.status_code == 422 and pinned.json()["code"] == "POOL_UNAVAILABLE"
        assert client.get("/v1/pools/Bad_Id").status_code == 400


def test_placement_rules(start_reference: Callable[..., RunningServer]) -> None:
    server = start_reference(machine_profiles={"l4": 2, "a100-40gb": 1})
    with server.client() as client:
        client.put("/v1/pools/fast", json={"gpus": {"a100-40gb": 1}})
        client.put("/v1/pools/empty", json={"gpus": {"h100": 1}})
        unknown, _ = submit(client, placement={"mode": "pin", "pin_pool_id": "nope"})
        assert unknown.status_code == 422 and unknown.json()["param"] == "placement.pin_pool_id"
        unready, _ = submit(client, placement={"mode": "pin", "pin_pool_id": "empty"})
        assert unready.status_code == 503 and unready.json()["code"] == "POOL_UNREADY"
        _retriable_with_retry_after(unready)
        fallback, task_id = submit(
            client,
            placement={
                "mode": "pin",
                "pin_pool_id": "empty",
                "allow_fallback": True,
                "avoid_pools": ["fast"],
            },
        )
        assert fallback.status_code == 202 and fallback.json()["pool_id"] == "default"
        read_stream(client, task_id)
        assert client.get(f"/v1/tasks/{task_id}").json()["pool_id"] == "default"
        preferred, task_id = submit(client, placement={"mode": "prefer", "prefer_pools": ["empty", "fast"]})
        assert preferred.json()["pool_id"] == "fast"
        read_stream(client, task_id)
        status = client.get(f"/v1/tasks/{task_id}").json()
        assert status["pool_id"] == "fast" and status["worker_id"] == "w-a100-40gb-0"
        avoided, task_id = submit(client, placement={"mode": "auto", "avoid_pools": ["default"]})
        assert avoided.json()["pool_id"] == "fast"
        read_stream(client, task_id)
        masked, task_id = submit(client, placement={"require_device_mask": "l4"})
        assert masked.json()["pool_id"] == "default"
        read_stream(client, task_id)
        assert client.get(f"/v1/tasks/{task_id}").json()["worker_id"].startswith("w-l4-")
        no_profile, _ = submit(client, placement={"require_device_mask": "tpu"})
        assert no_profile.status_code == 422


def test_pagination_visits_every_pool_once(start_reference: Callable[..., RunningServer]) -> None:
    server = start_reference()
    with server.client() as client:
        for name in ("p-a", "p-b", "p-c", "p-d"):
            client.put(f"/v1/pools/{name}", json={})
        seen: list[str] = []
        params: dict[str, str | int] = {"limit": 2}
        while True:
            page = client.get("/v1/pools", params=params).json()
            assert len(page["data"]) <= 2
            seen.extend(p["id"] for p in page["data"])
            assert page["has_more"] == (page["next_cursor"] is not None)
            if not page["has_more"]:
                break
            params = {"limit": 2, "cursor": page["next_cursor"]}
        assert seen == sorted(seen) and len(seen) == len(set(seen)) == 5
        for bad in ({"limit": 0}, {"limit": 101}, {"limit": "x"}, {"cursor": "forged.0000"}):
            answer = client.get("/v1/pools", params=bad)
            assert answer.status_code == 400 and answer.json()["code"] == "INVALID_PARAMS"
