"""Billing of the OpenAI surfaces as one ASGI middleware: 402 before anything runs, the charge
after, and the ``X-Credits-*`` headers.

Why a middleware around the surfaces: chat, embeddings and images are billed the same way, and the
hot path of the surfaces stays untouched but for one ``record_tokens`` call at a stream's end.
Rules kept here:
* A request whose largest possible charge (its body's bytes as a bound of its prompt tokens, plus
  the output tokens it allows, times ``n``) exceeds the balance is refused with 402 before any
  byte, so a stream is never half-billed and the balance never goes below zero.
* A JSON answer is billed from its own ``usage`` before it leaves, so its headers carry the
  charge; if the database fails, a 500 goes out instead: billed and answered, or neither.
* A stream is billed when its ``[DONE]`` passes; if billing fails, an error event replaces the
  sentinel. A stream that never reached ``[DONE]`` is logged as ERROR and costs nothing.
"""

from __future__ import annotations

import contextlib
import json
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from llmgw_generated.models.common import ErrorReason
from llmgw_reference.accounts.meter import Meter, current_meter
from llmgw_reference.accounts.service import AccountsService, store_unavailable
from llmgw_reference.accounts.store import StoreUnavailable
from llmgw_reference.accounts.usage import UsageEntry
from llmgw_reference.auth import Principal, principal_of
from llmgw_reference.errors import reason_error
from llmgw_reference.faults.accounts import adjusted

BILLED = {"/v1/chat/completions": "chat", "/v1/embeddings": "embedding", "/v1/images/generations": "image"}
IMAGE_CREDITS = 10
TIER, MODE = "STANDARD", "standard"


def payment_required(balance: int) -> tuple[int, dict[str, Any]]:
    """The 402 OpenAI body (the billed operations are all OpenAI-tagged), with credits_remaining."""
    err = reason_error(
        ErrorReason.INSUFFICIENT_CREDITS,
        f"The balance ({balance} credits) cannot pay for this request; add credits or ask for fewer tokens.",
        policy_label="credits",
    )
    body = err.openai_body().model_dump(mode="json", exclude_none=True)
    body["error"].update(type="insufficient_quota", param=None, credits_remaining=balance)
    return 402, body


def _json(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


def largest_charge(kind: str, raw: bytes, request: dict[str, Any], max_tokens: int) -> int:
    """An upper bound of what the request can cost (see the module docstring)."""
    asked_n = request.get("n")
    n = asked_n if isinstance(asked_n, int) and not isinstance(asked_n, bool) else 1
    if kind == "image":
        return IMAGE_CREDITS * max(1, int(n))
    if kind == "embedding":
        return len(raw)
    asked = request.get("max_completion_tokens") or request.get("max_tokens")
    out = asked if isinstance(asked, int) and not isinstance(asked, bool) and asked > 0 else max_tokens
    return len(raw) + min(out, max_tokens) * max(1, int(n))


async def _send_json(send: Send, status: int, body: dict[str, Any], extra: list[tuple[bytes, bytes]]) -> None:
    payload = json.dumps(body).encode("utf-8")
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers + extra})
    await send({"type": "http.response.body", "body": payload, "more_body": False})


class BillingMiddleware:
    """Bills the billed OpenAI operations of callers that belong to an account."""

    def __init__(self, app: ASGIApp, *, service: AccountsService, max_tokens: int) -> None:
        self.app = app
        self.service = service
        self.max_tokens = max_tokens

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = BILLED.get(scope.get("path", "")) if scope["type"] == "http" else None
        principal = principal_of(scope) if kind else None
        if kind is None or scope["method"] != "POST" or principal is None or principal.account_id is None:
            await self.app(scope, receive, send)
            return
        raw, replay = await _buffered(receive)
        request = _json(raw)
        try:
            balance = self.service.identities.balance(principal.account_id)
        except StoreUnavailable as exc:
            await _send_json(send, 500, store_unavailable(exc).openai_body().model_dump(mode="json"), [])
            return
        limit = largest_charge(kind, raw, request, self.max_tokens)
        if limit > balance and adjusted(self.service.faults, "credits-check", True):
            await _send_json(send, *payment_required(balance), [])
            return
        run = _BilledRun(self.service, principal, scope, kind, str(request.get("model") or "default"), send)
        token = current_meter.set(run.meter)
        try:
            await self.app(scope, replay, run.send)
        finally:
            current_meter.reset(token)
            await run.finish()


async def _buffered(receive: Receive) -> tuple[bytes, Receive]:
    """The whole request body, and a receive that replays it before passing on (disconnects)."""
    parts: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        parts.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    raw, replayed = b"".join(parts), False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": raw, "more_body": False}
        return await receive()

    return raw, replay


class _BilledRun:
    """The send side of one billed request: buffers JSON answers, watches streams for [DONE]."""

    def __init__(
        self, service: AccountsService, principal: Principal, scope: Scope, kind: str, model: str, send: Send
    ) -> None:
        self.service, self.principal, self.kind, self.model, self.downstream = (
            service,
            principal,
            kind,
            model,
            send,
        )
        self.endpoint = str(scope["path"])
        self.request_id = str((scope.get("state") or {}).get("request_id", ""))
        self.meter = Meter()
        self.started = time.monotonic()
        self.start: Message | None = None
        self.streaming = False
        self.billed = False
        self.body: list[bytes] = []

    def _entry(self, prompt: int, completion: int, credits: int, status: str, code: str | None) -> UsageEntry:
        latency = int((time.monotonic() - self.started) * 1000)
        return UsageEntry(
            self.principal.account_id or "", self.request_id, self.principal.key_prefix, self.endpoint,
            self.model, prompt, completion, credits, latency, status, code,
        )  # fmt: skip

    def _charge(self, prompt: int, completion: int) -> int:
        if self.kind == "image":
            return IMAGE_CREDITS * (self.meter.images or 0)
        return prompt + completion  # STANDARD tier: one credit per token

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.start = message
            headers = dict(message.get("headers", []))
            self.streaming = headers.get(b"content-type", b"").startswith(b"text/event-stream")
            if self.streaming:
                extra = [(b"x-credits-tier", TIER.encode()), (b"x-credits-mode", MODE.encode())]
                await self.downstream({**message, "headers": list(message.get("headers", [])) + extra})
            return
        if message["type"] != "http.response.body":
            await self.downstream(message)
            return
        if self.streaming:
            await self._stream_body(message)
            return
        self.body.append(message.get("body", b""))
        if not message.get("more_body"):
            await self._answer_json()

    async def _stream_body(self, message: Message) -> None:
        chunk: bytes = message.get("body", b"")
        if not self.billed and (b"[DONE]" in chunk or not message.get("more_body")):
            try:
                self._bill_stream()
            except StoreUnavailable as exc:
                event = json.dumps(
                    store_unavailable(exc).openai_body().model_dump(mode="json", exclude_none=True)
                )
                chunk = f"data: {event}\n\ndata: [DONE]\n\n".encode()
        await self.downstream({**message, "body": chunk})

    def _bill_stream(self) -> None:
        self.billed = True
        prompt, completion = self.meter.prompt_tokens, self.meter.completion_tokens
        if prompt is None or completion is None:
            self.service.ledger.bill(self._entry(0, 0, 0, "ERROR", "stream_error"))
            return
        logged = int(adjusted(self.service.faults, "stream-completion-tokens", completion))
        self.service.ledger.bill(
            self._entry(prompt, logged, self._charge(prompt, completion), "SUCCESS", None)
        )

    async def _answer_json(self) -> None:
        assert self.start is not None
        raw = b"".join(self.body)
        status = int(self.start["status"])
        headers = [(k, v) for k, v in self.start.get("headers", []) if k.lower() != b"content-length"]
        self.billed = True
        try:
            if status == 200:
                headers += self._bill_json(_json(raw))
            else:
                error = _json(raw).get("error")
                code = str(error.get("code") or status) if isinstance(error, dict) else str(status)
                self.service.ledger.bill(
                    self._entry(0, 0, 0, "RATE_LIMITED" if status == 429 else "ERROR", code)
                )
        except StoreUnavailable as exc:
            if status == 200:
                await _send_json(
                    self.downstream, 500, store_unavailable(exc).openai_body().model_dump(mode="json"), []
                )
                return
        headers.append((b"content-length", str(len(raw)).encode()))
        await self.downstream({**self.start, "headers": headers})
        await self.downstream({"type": "http.response.body", "body": raw, "more_body": False})

    def _bill_json(self, answer: dict[str, Any]) -> list[tuple[bytes, bytes]]:
        usage = answer.get("usage") if isinstance(answer.get("usage"), dict) else {}
        assert isinstance(usage, dict)
        prompt = int(usage.get("prompt_tokens") or 0)
        completion = int(usage.get("completion_tokens") or 0)
        used = self._charge(prompt, completion)
        remaining = self.service.ledger.bill(self._entry(prompt, completion, used, "SUCCESS", None))
        return [
            (b"x-credits-tier", TIER.encode()),
            (b"x-credits-mode", MODE.encode()),
            (b"x-credits-used", str(used).encode()),
            (b"x-credits-remaining", str(remaining).encode()),
        ]

    async def finish(self) -> None:
        """After the app returned: a stream that never finished is logged as ERROR, unbilled."""
        if self.streaming and not self.billed:
            self.billed = True
            with contextlib.suppress(StoreUnavailable):  # an unlogged failure costs nothing either
                self.service.ledger.bill(self._entry(0, 0, 0, "ERROR", "stream_incomplete"))
