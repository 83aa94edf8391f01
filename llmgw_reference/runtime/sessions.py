"""Sessions: TTL, turns, KV warmth, and token / time / cost budgets that only go down.

Why budgets are consumed per token: concurrent tasks of one session share the tokens budget,
so generation is capped live at what remains, and a spent budget refuses new work with 429
`ADMISSION_REJECT`, reason `BUDGET_EXHAUSTED`, not retriable.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from llmgw_generated.models.common import ErrorReason
from llmgw_generated.models.control import SessionCreateRequest, SessionInfo
from llmgw_reference.errors import not_found, reason_error

BUDGET_POLICY_LABEL = "session-budget"


@dataclass
class Session:
    """One open session."""

    session_id: str
    ttl_ms: int
    expires_at: float
    turns: int = 0
    kv_bytes: int = 0
    kv_warmth: bool = False
    tokens_left: int | None = None
    time_left_ms: float | None = None
    cost_left: float | None = None
    active_tasks: int = 0

    def touch(self) -> None:
        self.expires_at = time.monotonic() + self.ttl_ms / 1000

    def exhausted(self) -> str | None:
        """Which budget is spent, or None."""
        if self.tokens_left is not None and self.tokens_left <= 0:
            return "tokens"
        if self.time_left_ms is not None and self.time_left_ms <= 0:
            return "time"
        if self.cost_left is not None and self.cost_left <= 0:
            return "cost"
        return None

    def info(self) -> SessionInfo:
        remaining = max(0, int((self.expires_at - time.monotonic()) * 1000))
        return SessionInfo.model_validate(
            {
                "session_id": self.session_id,
                "ttl_ms_remaining": remaining,
                "turns": self.turns,
                "kv_bytes": self.kv_bytes,
                "kv_warmth": self.kv_warmth,
                "tokens_budget_remaining": self.tokens_left,
                "time_budget_remaining_ms": None
                if self.time_left_ms is None
                else max(0, int(self.time_left_ms)),
                "cost_budget_remaining": None if self.cost_left is None else max(0.0, self.cost_left),
                "active_tasks": self.active_tasks,
            }
        )


class SessionStore:
    """Open sessions by id; expired ones vanish on the next access."""

    def __init__(self, default_ttl_ms: int) -> None:
        self.default_ttl_ms = default_ttl_ms
        self.sessions: dict[str, Session] = {}

    def _live(self, session_id: str) -> Session | None:
        session = self.sessions.get(session_id)
        if session is not None and time.monotonic() >= session.expires_at and session.active_tasks == 0:
            del self.sessions[session_id]
            return None
        return session

    def get(self, session_id: str) -> Session:
        session = self._live(session_id)
        if session is None:
            raise not_found(f"Session {session_id} is not open (expired, ended, or never opened).")
        return session

    def put(self, session_id: str, req: SessionCreateRequest) -> tuple[Session, bool]:
        """Opens or updates a session; returns (session, created)."""
        session = self._live(session_id)
        created = session is None
        if session is None:
            session = Session(session_id, self.default_ttl_ms, 0.0)
            self.sessions[session_id] = session
        if req.ttl_ms is not None:
            session.ttl_ms = req.ttl_ms
        session.tokens_left = req.tokens_budget
        session.time_left_ms = None if req.time_budget_ms is None else float(req.time_budget_ms)
        session.cost_left = req.cost_budget
        session.touch()
        return session, created

    def delete(self, session_id: str) -> Session:
        session = self.get(session_id)
        del self.sessions[session_id]
        return session

    def check_budgets(self, session_id: str) -> Session | None:
        """The open session a task names (None if not open); refuses work when a budget is spent."""
        session = self._live(session_id)
        spent = session.exhausted() if session is not None else None
        if spent is not None:
            raise reason_error(
                ErrorReason.BUDGET_EXHAUSTED,
                f"The session's {spent} budget is spent.",
                policy_label=BUDGET_POLICY_LABEL,
            )
        return session

    def open_for_task(self, session_id: str) -> Session:
        """The session of an admitted task, opened implicitly (default TTL, no budgets); restarts its TTL."""
        session = self.check_budgets(session_id)
        if session is None:
            session = Session(session_id, self.default_ttl_ms, 0.0)
            self.sessions[session_id] = session
        session.touch()
        return session
