"""The accounts database: one SQLite file (stdlib ``sqlite3``) holding accounts, keys, tokens,
usage logs, balances and generated images.

Why SQLite and one connection behind a lock: keys, usage and balances must survive a restart
(the issue's "done when"), and every billing step must be one transaction so a request is either
billed and logged or neither. The reference serves from one event loop, so one connection with
short transactions is enough; a locked or full database raises :class:`StoreUnavailable`, which
the routes answer with a clear 500 envelope after the transaction rolled back.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    id TEXT PRIMARY KEY, email TEXT UNIQUE NOT NULL, name TEXT, password_hash TEXT NOT NULL,
    role TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL, credits_balance INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS api_keys (
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL, secret_hash TEXT UNIQUE NOT NULL,
    key_prefix TEXT NOT NULL, label TEXT, status TEXT NOT NULL, scopes TEXT NOT NULL,
    allowed_ips TEXT, allowed_endpoints TEXT, expires_at TEXT, last_used_at TEXT, created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    token_hash TEXT PRIMARY KEY, kind TEXT NOT NULL, account_id TEXT NOT NULL,
    expires_at REAL NOT NULL, spent INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS usage_logs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, account_id TEXT NOT NULL,
    request_id TEXT NOT NULL, api_key_prefix TEXT, endpoint TEXT NOT NULL, model TEXT NOT NULL,
    prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL, total_tokens INTEGER NOT NULL,
    credits_charged INTEGER NOT NULL, latency_ms INTEGER, status TEXT NOT NULL, error_code TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS usage_by_account ON usage_logs (account_id, seq);
CREATE TABLE IF NOT EXISTS images (id TEXT PRIMARY KEY, png BLOB NOT NULL, created_at TEXT NOT NULL);
"""


class StoreUnavailable(Exception):
    """The database refused a write or read (locked, full, unreadable); nothing was changed."""


def now_iso() -> str:
    """The current instant as RFC 3339 UTC with milliseconds (sorts as text)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_iso(value: str) -> datetime:
    """An RFC 3339 instant (``Z`` or an offset); a naive one is read as UTC."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class Store:
    """The SQLite connection and its transactions."""

    def __init__(self, path: str, *, busy_timeout_s: float = 0.5) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(
            path, timeout=busy_timeout_s, check_same_thread=False, isolation_level=None
        )
        self._conn.row_factory = sqlite3.Row
        try:
            self._conn.executescript(SCHEMA)
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"cannot open the accounts database {path!r}: {exc}") from exc

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One immediate transaction: committed when the block ends, rolled back on any error."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise StoreUnavailable(str(exc)) from exc
            try:
                yield self._conn
            except sqlite3.Error as exc:
                self._conn.execute("ROLLBACK")
                raise StoreUnavailable(str(exc)) from exc
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            try:
                self._conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._conn.execute("ROLLBACK")
                raise StoreUnavailable(str(exc)) from exc

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        """Rows of a read (outside any write transaction)."""
        with self._lock:
            try:
                return list(self._conn.execute(sql, params).fetchall())
            except sqlite3.Error as exc:
                raise StoreUnavailable(str(exc)) from exc

    def close(self) -> None:
        with self._lock:
            self._conn.close()
