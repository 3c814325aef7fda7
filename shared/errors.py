"""Which failures are transient (retry with backoff) and which are the message's fault (reject)."""

from __future__ import annotations

import asyncio

import asyncpg

from shared.contracts.rejections import RejectionReason

TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    OSError,  # connection refused/reset, including ConnectionError
    asyncio.TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,  # connection closed under us
    # The connection's protocol is stuck mid-operation: seen when PostgreSQL crashed and the server's last error
    # arrived while the connection was idle ("cannot switch to state 12; another operation (2) is in progress").
    asyncpg.InternalClientError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.SerializationError,
    asyncpg.DeadlockDetectedError,
)


def is_transient(error: BaseException) -> bool:
    return isinstance(error, TRANSIENT_ERRORS)


class Rejected(Exception):
    """A message cannot be applied; carries the reason code the sender will receive."""

    def __init__(self, reason: RejectionReason, message: str, errors: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.errors = errors or []
