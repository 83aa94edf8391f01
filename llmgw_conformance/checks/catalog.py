"""Catalog lifecycle (control-admin): register with a verifiable digest, idempotence, retire, provisioning.

Why: the catalog is the supply chain of a deployment; a registration that does not verify the
digest serves whatever bytes an attacker placed at the URI, and a Retired model that still serves
work defeats deprecation. Artifacts travel inline as ``data:`` URIs (feature ``catalog-data-uri``)
so the suite controls the exact bytes and thus the digest. Models the suite registers get ids
``conf-<seed>-model-...`` and are retired at the end (the contract has no catalog delete).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import Any

from llmgw_conformance.context import CheckContext, Response
from llmgw_conformance.probes.catalog_calls import (
    digest_of,
    listed_models,
    loadable_artifact,
    register,
    set_state,
)
from llmgw_conformance.probes.error_rules import (
    ErrorExpectation,
    field_map,
    judge_native_error,
    parse_json_object,
)
from llmgw_conformance.probes.target_claims import claims, has_feature, unique_id
from llmgw_conformance.probes.task_requests import submit, task_body
from llmgw_conformance.probes.verdicts import Verdicts
from llmgw_conformance.registry import check

#: Longest the provisioning checks wait for a model to become servable.
PROVISION_WAIT_S = 30.0


@check(
    "catalog-register",
    requirements=["CAT-REGISTER-DIGEST", "CAT-UNTRUSTED", "CAT-REGISTER-IDEMPOTENT"],
    profiles=["control-admin"],
    needs=["catalog-data-uri"],
)
def catalog_register(ctx: CheckContext) -> None:
    """Register with a good digest (201, listed), a wrong one (422), again (200) and changed (409)."""
    with Verdicts(ctx, ["CAT-REGISTER-DIGEST", "CAT-UNTRUSTED", "CAT-REGISTER-IDEMPOTENT"]) as verdicts:
        model_id = unique_id(ctx, "model")
        artifact = loadable_artifact(model_id)
        first = register(ctx, model_id, artifact)
        model = parse_json_object(first.text or "")
        digest = digest_of(artifact)
        if (
            first.status != 201
            or model is None
            or model.get("digest") != digest
            or model.get("state") not in (None, "Active")
        ):
            verdicts.fail(
                "CAT-REGISTER-DIGEST",
                f"registration answered {first.status}",
                expected=f"201 Active with digest {digest}",
                received=(first.text or "")[:300],
                exchanges=[first.exchange],
            )
        else:
            got = ctx.request("GET", f"/v1/catalog/models/{model_id}")
            listed = listed_models(ctx) or {}
            verdicts.expect(
                "CAT-REGISTER-DIGEST",
                got.status == 200 and model_id in listed,
                "the registered model is not returned by get and list",
                received=f"get {got.status}, listed {model_id in listed}",
                exchanges=[got.exchange, first.exchange],
            )
        again = register(ctx, model_id, artifact)
        verdicts.expect_status(
            "CAT-REGISTER-IDEMPOTENT", again, 200, "registering the same id and digest again"
        )
        changed = register(ctx, model_id, loadable_artifact(model_id + "-other"))
        judge_native_error(
            ctx,
            verdicts,
            changed,
            ErrorExpectation(status=409, code="INVALID_PARAMS", requirement="CAT-REGISTER-IDEMPOTENT"),
        )
        bad_id = unique_id(ctx, "model")
        untrusted = register(ctx, bad_id, loadable_artifact(bad_id), digest=digest_of(b"other bytes"))
        judge_native_error(
            ctx,
            verdicts,
            untrusted,
            ErrorExpectation(status=422, code="UNTRUSTED_ARTIFACT", requirement="CAT-UNTRUSTED"),
        )
        after = ctx.request("GET", f"/v1/catalog/models/{bad_id}")
        if after.status != 404:
            verdicts.fail(
                "CAT-UNTRUSTED",
                f"the refused model is registered anyway (get answered {after.status})",
                expected="404",
                received=(after.text or "")[:200],
                exchanges=[after.exchange],
            )
        set_state(ctx, model_id, "Retired")
        set_state(ctx, bad_id, "Retired")


def _state_seen(ctx: CheckContext, model_id: str) -> tuple[Any, Any]:
    got = parse_json_object(ctx.request("GET", f"/v1/catalog/models/{model_id}").text or "") or {}
    listed = (listed_models(ctx) or {}).get(model_id, {})
    return got.get("state"), listed.get("state")


@check(
    "catalog-lifecycle",
    requirements=["CAT-STATE-TRANSITION", "CAT-RETIRED-REJECTED"],
    profiles=["control-admin"],
)
def catalog_lifecycle(ctx: CheckContext) -> None:
    """A suite-registered model moves Active <-> Retired; while Retired, new work gets 410 everywhere."""
    reqs = ["CAT-STATE-TRANSITION", "CAT-RETIRED-REJECTED"]
    with Verdicts(ctx, reqs) as verdicts:
        if not has_feature(ctx, "catalog-data-uri"):
            for req in reqs:
                verdicts.not_supported(
                    req, "the suite retires only models it registered, which needs catalog-data-uri"
                )
            return
        model_id = unique_id(ctx, "model")
        if register(ctx, model_id, loadable_artifact(model_id)).status not in (200, 201):
            for req in reqs:
                verdicts.skip(req, "the model to retire could not be registered")
            return
        for state in ("Retired", "Active", "Retired"):
            response = set_state(ctx, model_id, state)
            body = parse_json_object(response.text or "") or {}
            seen = _state_seen(ctx, model_id)
            verdicts.expect(
                "CAT-STATE-TRANSITION",
                response.status == 200 and body.get("state") == state and seen == (state, state),
                f"after setting {state}: answer {response.status} {body.get('state')}, "
                f"get/list report {seen}",
                expected=f"200 and {state} everywhere",
                exchanges=[response.exchange],
            )
        _judge_retired(ctx, verdicts, model_id)


def _judge_retired(ctx: CheckContext, verdicts: Verdicts, model_id: str) -> None:
    req = "CAT-RETIRED-REJECTED"
    gone = ErrorExpectation(status=410, code="MODEL_DEPRECATED", requirement=req)
    if claims(ctx, "tasks"):
        judge_native_error(ctx, verdicts, submit(ctx, task_body(ctx, model_ref=model_id)), gone)
    if claims(ctx, "generate"):
        response = ctx.request("POST", f"/v1/generate/{model_id}", json={"prompt": "hi", "max_new_tokens": 1})
        judge_native_error(ctx, verdicts, response, gone)
    if claims(ctx, "openai-chat"):
        chat = ctx.request(
            "POST",
            "/v1/chat/completions",
            json={"model": model_id, "messages": [{"role": "user", "content": "hi"}], "max_tokens": 1},
        )
        verdicts.expect_status(req, chat, 410, "chat on a Retired model")
        models = parse_json_object(ctx.request("GET", "/v1/models").text or "") or {}
        ids = [m.get("id") for m in models.get("data", []) if isinstance(m, Mapping)]
        verdicts.expect(
            req, model_id not in ids, "a Retired model is listed by /v1/models", received=str(ids[:10])
        )


def _sync_call(ctx: CheckContext, model_id: str) -> Response:
    if claims(ctx, "generate"):
        return ctx.request("POST", f"/v1/generate/{model_id}", json={"prompt": "hi", "max_new_tokens": 2})
    return ctx.request(
        "POST",
        "/v1/chat/completions",
        json={"model": model_id, "messages": [{"role": "user", "content": "hi"}], "max_tokens": 2},
    )


def _retry_after_s(response: Response) -> float:
    value = next((v for k, v in response.headers.items() if k.lower() == "retry-after"), "1")
    return min(float(value), 5.0) if value.strip().isdigit() else 1.0


def _signals_retry(response: Response) -> bool:
    """A loading answer (202/503) says retriable, with a Retry-After header (PROV-SIGNALS)."""
    body = parse_json_object(response.text or "") or {}
    error = field_map(body, "error") or body
    return error.get("retriable") is True and any(k.lower() == "retry-after" for k in response.headers)


def _until_loaded(
    ctx: CheckContext, model_id: str, keep_waiting: Callable[[Response], bool] = lambda _: True
) -> tuple[Response, list[Response]]:
    """Call ``model_id`` while it answers 202/503 (sleeping its Retry-After between calls), for at most
    :data:`PROVISION_WAIT_S` or until ``keep_waiting`` refuses a loading answer.

    Returns the last answer and the loading answers before it: the two provisioning rules watch
    the same wait, one judging its signals, the other only where it ends.
    """
    deadline = time.monotonic() + PROVISION_WAIT_S
    loading: list[Response] = []
    response = _sync_call(ctx, model_id)
    while response.status in (202, 503) and time.monotonic() < deadline and keep_waiting(response):
        loading.append(response)
        time.sleep(_retry_after_s(response))
        response = _sync_call(ctx, model_id)
    return response, loading


@check(
    "provisioning",
    requirements=["PROV-SIGNALS", "PROV-LOAD-FAILED"],
    profiles=["control-admin"],
    needs=["provisioning", "catalog-data-uri"],
)
def provisioning(ctx: CheckContext) -> None:
    """A fresh model answers 202/503 (retriable) until loaded, then 200; a broken one 502 LOAD_FAILED."""
    with Verdicts(ctx, ["PROV-SIGNALS", "PROV-LOAD-FAILED"]) as verdicts:
        good_id, bad_id = unique_id(ctx, "model"), unique_id(ctx, "model")
        if register(ctx, good_id, loadable_artifact(good_id)).status in (200, 201):
            _follow_provisioning(ctx, verdicts, good_id)
        else:
            verdicts.skip("PROV-SIGNALS", "the loadable model could not be registered")
        if register(ctx, bad_id, os.urandom(64)).status in (200, 201):
            response, _ = _until_loaded(ctx, bad_id)
            expectation = ErrorExpectation(
                status=502, code="INTERNAL", reason="MODEL_LOAD_FAILED", requirement="PROV-LOAD-FAILED"
            )
            if claims(ctx, "generate"):
                judge_native_error(ctx, verdicts, response, expectation)
            else:
                verdicts.expect_status("PROV-LOAD-FAILED", response, 502, "an unloadable model")
        else:
            verdicts.skip("PROV-LOAD-FAILED", "the unloadable model could not be registered")
        set_state(ctx, good_id, "Retired")
        set_state(ctx, bad_id, "Retired")


def _follow_provisioning(ctx: CheckContext, verdicts: Verdicts, model_id: str) -> None:
    req = "PROV-SIGNALS"
    response, loading = _until_loaded(ctx, model_id, keep_waiting=_signals_retry)
    if response.status in (202, 503) and not _signals_retry(response):
        verdicts.fail(
            req,
            f"{response.status} while loading is not retriable with Retry-After",
            received=(response.text or "")[:200],
            exchanges=[response.exchange],
        )
    elif response.status == 200 and not loading:
        verdicts.skip(req, "the fresh model was servable at once: no provisioning signal to judge")
    else:
        verdicts.expect(
            req,
            response.status == 200,
            f"the request did not succeed once loaded ({response.status})",
            answer=response,
            expected="200",
        )
