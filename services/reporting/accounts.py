"""Accounts of the coordinator page: who may see which figures, and how they prove it.

The scope of every report comes from the account alone (a coordinator: its regions; a partner: its organisation; a
funder: aggregates), never from a request. Passwords are argon2id hashes (argon2-cffi's defaults); a session is a
random token in a cookie, stored only as its SHA-256, idle for at most 8 hours; each session has its own CSRF token.
After `MAX_FAILURES` wrong passwords an account is locked for `LOCKOUT`; an unknown login costs as much time as a
known one (a dummy hash is verified), so the answer does not tell which logins exist.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache
from typing import Protocol

import asyncpg
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from services.reporting.figures import Role, Scope
from shared.postgres import connection

IDLE = timedelta(hours=8)
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=5)
LOGIN = re.compile(r"^[A-Za-z0-9._@-]{1,120}$")
REGION = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")  # as the contracts' RegionCode

_hasher = PasswordHasher()


class AccountError(ValueError):
    """An account that cannot exist (a coordinator without regions, a partner without organisation...)."""


@dataclass(frozen=True)
class Account:
    login: str
    role: Role
    regions: frozenset[str] = frozenset()
    org_id: str | None = None
    password_hash: str = ""
    disabled: bool = False
    failed_logins: int = 0
    locked_until: datetime | None = None

    def scope(self) -> Scope:
        """What this account may see, and nothing else."""
        if self.role is Role.COORDINATOR:
            return Scope(role=Role.COORDINATOR, regions=self.regions)
        if self.role is Role.PARTNER:
            return Scope(role=Role.PARTNER, org_id=self.org_id)
        return Scope(role=Role.FUNDER)


@dataclass(frozen=True)
class Session:
    account: Account
    csrf_token: str
    language: str
    expires_at: datetime


def new_account(
    login: str, role: Role, password: str, regions: Iterable[str] = (), org_id: str | None = None
) -> Account:
    """A valid account with `password` hashed, or AccountError saying what is wrong."""
    wanted = frozenset(regions)
    if not LOGIN.match(login):
        raise AccountError("a login has 1-120 letters, digits or . _ @ -")
    if len(password) < 12:
        raise AccountError("a password has at least 12 characters")
    if bad := sorted(r for r in wanted if not REGION.match(r)):
        raise AccountError(f"not a region code like DE-SL: {', '.join(bad)}")
    if role is Role.COORDINATOR and (not wanted or org_id):
        raise AccountError("a coordinator has one or more regions and no organisation")
    if role is Role.PARTNER and (not org_id or wanted):
        raise AccountError("a partner has an organisation and no regions")
    if role is Role.FUNDER and (org_id or wanted):
        raise AccountError("a funder has neither regions nor an organisation")
    return Account(login, role, wanted, org_id, hash_password(password))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def password_matches(account: Account | None, password: str) -> bool:
    """Verifies against the account's hash, or a dummy one for an unknown login (same cost either way)."""
    try:
        return _hasher.verify(account.password_hash if account else _dummy_hash(), password) and account is not None
    except (VerificationError, InvalidHashError):
        return False


def locked(account: Account, now: datetime) -> bool:
    return account.locked_until is not None and account.locked_until > now


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def csrf_matches(expected: str, submitted: str | None) -> bool:
    """Constant-time comparison; a missing or empty token never matches."""
    return bool(submitted) and bool(expected) and hmac.compare_digest(expected.encode(), (submitted or "").encode())


class AccountStore(Protocol):
    """What the page needs from the accounts' storage (PostgreSQL, or a fake in unit tests)."""

    async def find(self, login: str) -> Account | None: ...
    async def record_failure(self, login: str, now: datetime) -> None: ...
    async def record_success(self, login: str, now: datetime) -> None: ...
    async def open_session(self, digest: bytes, session: Session, now: datetime) -> None: ...
    async def touch(self, digest: bytes, now: datetime, expires_at: datetime) -> Session | None: ...
    async def set_language(self, digest: bytes, language: str) -> None: ...
    async def close_session(self, digest: bytes) -> None: ...


async def log_in(store: AccountStore, login: str, password: str, now: datetime, language: str) -> str | None:
    """A new session's token, or None (wrong password, unknown, disabled or locked: the caller cannot tell)."""
    account = await store.find(login) if LOGIN.match(login) else None
    matches = password_matches(account, password)  # always pays for one verification
    if account is None or account.disabled or locked(account, now):
        return None
    if not matches:
        await store.record_failure(login, now)
        return None
    await store.record_success(login, now)
    token = new_token()
    session = Session(replace(account, password_hash=""), secrets.token_urlsafe(32), language, now + IDLE)
    await store.open_session(token_digest(token), session, now)
    return token


async def current_session(store: AccountStore, token: str | None, now: datetime) -> Session | None:
    """The session the cookie names if it is still valid (and not idle for `IDLE`), kept alive by this request."""
    if not token:
        return None
    return await store.touch(token_digest(token), now, now + IDLE)


class PgAccounts:
    """Accounts and sessions in the reporting schema."""

    def __init__(self, pool: Callable[[], asyncpg.Pool]) -> None:
        self._pool = pool

    async def find(self, login: str) -> Account | None:
        async with connection(self._pool()) as conn:
            row = await conn.fetchrow("SELECT * FROM accounts WHERE login = $1", login)
        return _account(row) if row else None

    async def record_failure(self, login: str, now: datetime) -> None:
        async with connection(self._pool()) as conn:
            await conn.execute(
                "UPDATE accounts SET"
                " locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3 ELSE locked_until END,"
                " failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END"
                " WHERE login = $1",
                login,
                MAX_FAILURES,
                now + LOCKOUT,
            )

    async def record_success(self, login: str, now: datetime) -> None:
        async with connection(self._pool()) as conn:
            await conn.execute(
                "UPDATE accounts SET failed_logins = 0, locked_until = NULL, last_login_at = $2 WHERE login = $1",
                login,
                now,
            )

    async def open_session(self, digest: bytes, session: Session, now: datetime) -> None:
        async with connection(self._pool()) as conn:
            await conn.execute("DELETE FROM sessions WHERE expires_at <= $1", now)
            await conn.execute(
                "INSERT INTO sessions (token_hash, login, csrf_token, language, expires_at)"
                " VALUES ($1, $2, $3, $4, $5)",
                digest,
                session.account.login,
                session.csrf_token,
                session.language,
                session.expires_at,
            )

    async def touch(self, digest: bytes, now: datetime, expires_at: datetime) -> Session | None:
        async with connection(self._pool()) as conn:
            row = await conn.fetchrow(
                "UPDATE sessions s SET expires_at = $3 FROM accounts a"
                " WHERE s.token_hash = $1 AND s.expires_at > $2 AND a.login = s.login AND NOT a.disabled"
                " RETURNING s.csrf_token, s.language, s.expires_at, a.*",
                digest,
                now,
                expires_at,
            )
        if row is None:
            return None
        return Session(replace(_account(row), password_hash=""), row["csrf_token"], row["language"], row["expires_at"])

    async def set_language(self, digest: bytes, language: str) -> None:
        async with connection(self._pool()) as conn:
            await conn.execute("UPDATE sessions SET language = $2 WHERE token_hash = $1", digest, language)

    async def close_session(self, digest: bytes) -> None:
        async with connection(self._pool()) as conn:
            await conn.execute("DELETE FROM sessions WHERE token_hash = $1", digest)


async def create(conn: asyncpg.Connection, account: Account) -> None:
    """Stores a new account; AccountError when the login is taken."""
    try:
        await conn.execute(
            "INSERT INTO accounts (login, password_hash, role, regions, org_id) VALUES ($1, $2, $3, $4, $5)",
            account.login,
            account.password_hash,
            account.role.value,
            sorted(account.regions),
            account.org_id,
        )
    except asyncpg.UniqueViolationError:
        raise AccountError(f"login {account.login!r} exists already") from None


async def all_accounts(conn: asyncpg.Connection) -> list[Account]:
    return [_account(row) for row in await conn.fetch("SELECT * FROM accounts ORDER BY login")]


async def disable(conn: asyncpg.Connection, login: str) -> bool:
    """Disables the account and ends its sessions; False when there is no such login."""
    async with conn.transaction():
        found = await conn.fetchval("UPDATE accounts SET disabled = true WHERE login = $1 RETURNING true", login)
        await conn.execute("DELETE FROM sessions WHERE login = $1", login)
    return bool(found)


def _account(row: asyncpg.Record) -> Account:
    return Account(
        login=row["login"],
        role=Role(row["role"]),
        regions=frozenset(row["regions"]),
        org_id=row["org_id"],
        password_hash=row["password_hash"],
        disabled=row["disabled"],
        failed_logins=row["failed_logins"],
        locked_until=row["locked_until"],
    )
