"""API keys of an account: create (the secret once), list, retrieve, update, revoke, and the
lookup that authenticates a stored key on every request.

Why the secret is stored only as a SHA-256 hash: the create answer is the one place it exists in
clear (KEY-SECRET-ONCE); ``key_prefix`` names the key afterwards. Expiry is decided at lookup time,
so an expired key is refused on its very next request, and the row is marked EXPIRED then.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re
import secrets
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from llmgw_reference.accounts.store import Store, now_iso, parse_iso
from llmgw_reference.errors import bad_request, conflict, not_found
from llmgw_reference.faults.accounts import adjusted
from llmgw_reference.faults.base import FaultSet

SECRET_PREFIX = "sk-gw-"
PREFIX_LENGTH = 12
KEY_SCOPES = ("inference", "account")
FINAL_STATUSES = ("REVOKED", "EXPIRED")
_ENDPOINT_PATTERN = re.compile(r"^/[A-Za-z0-9._~/{}-]*\*?$")


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _is_network(value: str) -> bool:
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        return False
    return True


def _is_path_pattern(value: str) -> bool:
    return bool(_ENDPOINT_PATTERN.match(value)) and "//" not in value


def _restriction(
    values: Any, param: str, faults: FaultSet | None, valid: Callable[[str], bool], what: str
) -> list[str] | None:
    """A key restriction (`allowed_ips`, `allowed_endpoints`): None (unrestricted) or a list of strings,
    each `valid` (the `validate-restrictions` fault lets any string through)."""
    if values is None:
        return None
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise bad_request(f"{param} must be a list of strings", param=param)
    if adjusted(faults, "validate-restrictions", True):
        for value in values:
            if not valid(value):
                raise bad_request(f"{param}: {value!r} is not {what}", param=param)
    return list(values)


def _ips(values: Any, param: str, faults: FaultSet | None) -> list[str] | None:
    return _restriction(values, param, faults, _is_network, "an IP address or CIDR network")


def _endpoints(values: Any, param: str, faults: FaultSet | None) -> list[str] | None:
    what = "a path pattern (start with /, at most one trailing *)"
    return _restriction(values, param, faults, _is_path_pattern, what)


def _scopes(values: Any) -> list[str]:
    if not isinstance(values, list) or not values or any(v not in KEY_SCOPES for v in values):
        raise bad_request(f"scopes must be a non-empty list of {list(KEY_SCOPES)}", param="scopes")
    return sorted(set(values))


def _expiry(value: Any) -> str | None:
    if value is None:
        return None
    try:
        when = parse_iso(str(value))
    except ValueError:
        raise bad_request("expires_at is not an RFC 3339 date-time", param="expires_at") from None
    if when <= datetime.now(UTC):
        raise bad_request("expires_at is in the past", param="expires_at")
    return when.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def endpoint_allowed(patterns: list[str] | None, path: str) -> bool:
    if patterns is None:
        return True
    return any(path.startswith(p[:-1]) if p.endswith("*") else path == p for p in patterns)


def ip_allowed(networks: list[str] | None, client_ip: str | None) -> bool:
    if networks is None:
        return True
    try:
        address = ipaddress.ip_address(client_ip or "")
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(n, strict=False) for n in networks)


def key_view(row: sqlite3.Row, secret: str | None = None) -> dict[str, Any]:
    """The ApiKey answer of a row (with ``key`` only when the secret is given)."""
    view: dict[str, Any] = {
        "id": row["id"],
        "key_prefix": row["key_prefix"],
        "label": row["label"],
        "status": row["status"],
        "scopes": json.loads(row["scopes"]),
        "allowed_ips": json.loads(row["allowed_ips"]) if row["allowed_ips"] else None,
        "allowed_endpoints": json.loads(row["allowed_endpoints"]) if row["allowed_endpoints"] else None,
        "expires_at": row["expires_at"],
        "last_used_at": row["last_used_at"],
        "created_at": row["created_at"],
    }
    if secret is not None:
        view = {"id": view["id"], "key": secret} | view
    return view


class KeyBook:
    """The key operations of one store."""

    def __init__(self, store: Store, faults: FaultSet | None, max_keys: int) -> None:
        self.store = store
        self.faults = faults
        self.max_keys = max_keys
        #: Only for the key-secret-shown-again fault: the store never holds a secret in clear.
        self._secrets_shown: dict[str, str] = {}

    def _expire_due(self, db: sqlite3.Connection, account_id: str) -> None:
        if not adjusted(self.faults, "expiry-enforced", True):
            return
        db.execute(
            "UPDATE api_keys SET status='EXPIRED' WHERE account_id=? AND status IN ('ACTIVE','SUSPENDED')"
            " AND expires_at IS NOT NULL AND expires_at <= ?",
            (account_id, now_iso()),
        )

    def create(self, account_id: str, body: dict[str, Any]) -> dict[str, Any]:
        ips = _ips(body.get("allowed_ips"), "allowed_ips", self.faults)
        endpoints = _endpoints(body.get("allowed_endpoints"), "allowed_endpoints", self.faults)
        scopes = _scopes(body.get("scopes", ["inference"]))
        expires_at = _expiry(body.get("expires_at"))
        label = body.get("label")
        secret = SECRET_PREFIX + secrets.token_hex(20)
        key_id = f"key_{secrets.token_hex(8)}"
        with self.store.transaction() as db:
            self._expire_due(db, account_id)
            (held,) = db.execute(
                "SELECT COUNT(*) FROM api_keys WHERE account_id=? AND status IN ('ACTIVE','SUSPENDED')",
                (account_id,),
            ).fetchone()
            limit = adjusted(self.faults, "key-limit", self.max_keys)
            if held >= limit:
                raise conflict(f"the account already holds {held} keys, its limit ({self.max_keys})")
            db.execute(
                "INSERT INTO api_keys VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (key_id, account_id, secret_hash(secret), secret[:PREFIX_LENGTH], label, "ACTIVE",
                 json.dumps(scopes), json.dumps(ips) if ips is not None else None,
                 json.dumps(endpoints) if endpoints is not None else None, expires_at, None, now_iso()),
            )  # fmt: skip
            row = db.execute("SELECT * FROM api_keys WHERE id=?", (key_id,)).fetchone()
        if adjusted(self.faults, "key-view-secret", False):
            self._secrets_shown[key_id] = secret
        return key_view(row, secret)

    def _view(self, row: sqlite3.Row) -> dict[str, Any]:
        if adjusted(self.faults, "key-view-secret", False) and row["id"] in self._secrets_shown:
            return key_view(row, self._secrets_shown[row["id"]])
        return key_view(row)

    def list(self, account_id: str) -> list[dict[str, Any]]:
        with self.store.transaction() as db:
            self._expire_due(db, account_id)
            rows = db.execute(
                "SELECT * FROM api_keys WHERE account_id=? ORDER BY created_at DESC, id", (account_id,)
            ).fetchall()
        return [self._view(r) for r in rows]

    def get(self, account_id: str, key_id: str) -> dict[str, Any]:
        with self.store.transaction() as db:
            self._expire_due(db, account_id)
            row = self._row(db, account_id, key_id)
        return self._view(row)

    def _row(self, db: sqlite3.Connection, account_id: str, key_id: str) -> sqlite3.Row:
        row = db.execute(
            "SELECT * FROM api_keys WHERE id=? AND account_id=?", (key_id, account_id)
        ).fetchone()
        if row is None:
            raise not_found(f"no API key {key_id!r} in this account", param="key_id")
        return row  # type: ignore[no-any-return]

    def update(self, account_id: str, key_id: str, body: dict[str, Any]) -> dict[str, Any]:
        changes: dict[str, Any] = {}
        if "allowed_ips" in body:
            ips = _ips(body["allowed_ips"], "allowed_ips", self.faults)
            changes["allowed_ips"] = json.dumps(ips) if ips is not None else None
        if "allowed_endpoints" in body:
            endpoints = _endpoints(body["allowed_endpoints"], "allowed_endpoints", self.faults)
            changes["allowed_endpoints"] = json.dumps(endpoints) if endpoints is not None else None
        if "scopes" in body:
            changes["scopes"] = json.dumps(_scopes(body["scopes"]))
        if "label" in body:
            changes["label"] = body["label"]
        if "status" in body:
            changes["status"] = body["status"]
        with self.store.transaction() as db:
            self._expire_due(db, account_id)
            row = self._row(db, account_id, key_id)
            if row["status"] in FINAL_STATUSES and not adjusted(self.faults, "revoked-update-allowed", False):
                raise conflict(f"the key is {row['status']}; a {row['status']} key cannot change")
            for column, value in changes.items():
                db.execute(f"UPDATE api_keys SET {column}=? WHERE id=?", (value, key_id))
            row = self._row(db, account_id, key_id)
        return self._view(row)

    def revoke(self, account_id: str, key_id: str) -> dict[str, Any]:
        with self.store.transaction() as db:
            self._expire_due(db, account_id)
            row = self._row(db, account_id, key_id)
            if row["status"] == "REVOKED":
                raise conflict("the key is already revoked")
            db.execute("UPDATE api_keys SET status='REVOKED' WHERE id=?", (key_id,))
            row = self._row(db, account_id, key_id)
        return {"message": f"API key {row['key_prefix']}... revoked", "key": self._view(row)}

    def lookup(self, secret: str) -> sqlite3.Row | None:
        """The row of a stored key's secret (any status), its expiry applied first."""
        with self.store.transaction() as db:
            row = db.execute("SELECT * FROM api_keys WHERE secret_hash=?", (secret_hash(secret),)).fetchone()
            if row is None:
                return None
            self._expire_due(db, row["account_id"])
            db.execute(
                "UPDATE api_keys SET last_used_at=? WHERE id=? AND status='ACTIVE'", (now_iso(), row["id"])
            )
            fresh: sqlite3.Row = db.execute("SELECT * FROM api_keys WHERE id=?", (row["id"],)).fetchone()
        return fresh
