"""Accounts and access tokens: register, log in, refresh, and the lookup of a bearer token.

Why access tokens at all: the seed's SDK manages keys and credits in a "JWT mode" (email and
password, a short-lived token renewed by refresh), apart from the static proxy keys. Tokens here
are opaque random strings stored hashed (a JWT's self-contained claims add nothing to a gateway
that checks a database on every request anyway, and revocation stays immediate). A wrong password
and an unknown email get one and the same 401, after the same password-hashing work.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
import time
from typing import Any

from llmgw_generated.models.common import ErrorKind, ErrorReason
from llmgw_reference.accounts.store import Store, now_iso
from llmgw_reference.errors import ApiError, bad_request, conflict
from llmgw_reference.faults.accounts import adjusted
from llmgw_reference.faults.base import FaultSet

PBKDF2_ROUNDS = 20_000
REFRESH_TTL_S = 30 * 24 * 3600
_DUMMY_SALT = "0" * 32
LOGIN_REFUSED = "Invalid email or password."


def password_hash(password: str, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), bytes.fromhex(salt), PBKDF2_ROUNDS)
    return f"{salt}${digest.hex()}"


def _password_matches(password: str, stored: str) -> bool:
    salt, _, _ = stored.partition("$")
    return hmac.compare_digest(password_hash(password, salt), stored)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def user_view(row: sqlite3.Row) -> dict[str, Any]:
    """The User answer of an account row."""
    return {
        "id": row["id"],
        "email": row["email"],
        "name": row["name"],
        "role": row["role"],
        "status": row["status"],
        "email_verified": False,
        "credits_balance": row["credits_balance"],
        "created_at": row["created_at"],
    }


def unauthenticated(message: str = LOGIN_REFUSED) -> ApiError:
    return ApiError(ErrorKind.INVALID_PARAMS, message, status=401, reason=ErrorReason.UNAUTHENTICATED)


class Identities:
    """Accounts and their tokens in one store."""

    def __init__(self, store: Store, faults: FaultSet | None, *, access_ttl_s: int, signup_credits: int):
        self.store = store
        self.faults = faults
        self.access_ttl_s = access_ttl_s
        self.signup_credits = signup_credits

    def ensure(self, account_id: str, email: str, password: str, credits: int, role: str = "ADMIN") -> None:
        """Creates the account once (a restart keeps its balance and password)."""
        with self.store.transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO accounts VALUES (?,?,?,?,?,?,?,?)",
                (
                    account_id,
                    email.lower(),
                    None,
                    password_hash(password),
                    role,
                    "ACTIVE",
                    now_iso(),
                    credits,
                ),
            )

    def register(self, body: dict[str, Any]) -> dict[str, Any]:
        email = str(body["email"]).strip().lower()
        if "@" not in email:
            raise bad_request("email is not an email address", param="email")
        account_id = f"acct_{secrets.token_hex(8)}"
        hashed = password_hash(str(body["password"]))
        with self.store.transaction() as db:
            if db.execute("SELECT 1 FROM accounts WHERE email=?", (email,)).fetchone():
                raise conflict("an account with this email exists", param="email")
            db.execute(
                "INSERT INTO accounts VALUES (?,?,?,?,?,?,?,?)",
                (
                    account_id,
                    email,
                    body.get("name"),
                    hashed,
                    "USER",
                    "ACTIVE",
                    now_iso(),
                    self.signup_credits,
                ),
            )
            row = db.execute("SELECT * FROM accounts WHERE id=?", (account_id,)).fetchone()
        return {"message": "Account registered.", "user": user_view(row)}

    def login(self, body: dict[str, Any]) -> dict[str, Any]:
        email = str(body["email"]).strip().lower()
        rows = self.store.query("SELECT * FROM accounts WHERE email=?", (email,))
        if not rows:
            password_hash(str(body["password"]), _DUMMY_SALT)  # the same work as a real check
            if adjusted(self.faults, "login-tells-unknown", False):
                raise unauthenticated("No account is registered with this email.")
            raise unauthenticated()
        row = rows[0]
        if not _password_matches(str(body["password"]), row["password_hash"]) or row["status"] != "ACTIVE":
            raise unauthenticated()
        return self._issue(row, body.get("ttl_s"))

    def refresh(self, body: dict[str, Any]) -> dict[str, Any]:
        hashed = token_hash(str(body["refresh_token"]))
        with self.store.transaction() as db:
            found = db.execute(
                "SELECT * FROM tokens WHERE token_hash=? AND kind='refresh' AND spent=0 AND expires_at>?",
                (hashed, time.time()),
            ).fetchone()
            if found is None:
                raise unauthenticated("The refresh token is unknown, spent or expired.")
            db.execute("UPDATE tokens SET spent=1 WHERE token_hash=?", (hashed,))
            row = db.execute("SELECT * FROM accounts WHERE id=?", (found["account_id"],)).fetchone()
        return self._issue(row, body.get("ttl_s"))

    def _issue(self, row: sqlite3.Row, ttl_s: Any) -> dict[str, Any]:
        ttl = self.access_ttl_s
        if isinstance(ttl_s, int) and not isinstance(ttl_s, bool) and ttl_s >= 1:
            ttl = min(ttl, ttl_s)
        access, refresh = f"at-{secrets.token_hex(24)}", f"rt-{secrets.token_hex(24)}"
        now = time.time()
        with self.store.transaction() as db:
            db.execute(
                "INSERT INTO tokens VALUES (?,?,?,?,0)", (token_hash(access), "access", row["id"], now + ttl)
            )
            db.execute(
                "INSERT INTO tokens VALUES (?,?,?,?,0)",
                (token_hash(refresh), "refresh", row["id"], now + REFRESH_TTL_S),
            )
        return {
            "access_token": access,
            "token_type": "bearer",
            "expires_in": ttl,
            "refresh_token": refresh,
            "user": user_view(row),
        }

    def account_of_token(self, token: str) -> str | None:
        """The account an access token belongs to, or None (unknown or expired)."""
        rows = self.store.query(
            "SELECT account_id, expires_at FROM tokens WHERE token_hash=? AND kind='access'",
            (token_hash(token),),
        )
        if not rows:
            return None
        if rows[0]["expires_at"] <= time.time() and adjusted(self.faults, "token-expiry-enforced", True):
            return None
        account_id: str = rows[0]["account_id"]
        return account_id

    def balance(self, account_id: str) -> int:
        rows = self.store.query("SELECT credits_balance FROM accounts WHERE id=?", (account_id,))
        return int(rows[0]["credits_balance"]) if rows else 0
