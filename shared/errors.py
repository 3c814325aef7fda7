"""Which failures are transient (retry with backoff), which are the message's fault (reject), and which are unknown.

Told apart by the error's kind, never by its text: an outage of PostgreSQL or Kafka is retried for as long as it
lasts; a value PostgreSQL refuses to store is the message's fault and is rejected at once; anything else is a
failure nobody classified, retried a few times and then rejected as `processing_failed`.
"""

from __future__ import annotations

import asyncio
from enum import StrEnum

import asyncpg
from aiokafka import errors as kafka

from shared.contracts.rejections import RejectionReason

TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    OSError,  # connection refused/reset, including ConnectionError
    asyncio.TimeoutError,
    asyncpg.PostgresConnectionError,  # class 08
    asyncpg.InterfaceError,  # connection closed under us (its DataError subclass is excluded below)
    # The connection's protocol is stuck mid-operation: seen when PostgreSQL crashed and the server's last error
    # arrived while the connection was idle ("cannot switch to state 12; another operation (2) is in progress").
    asyncpg.InternalClientError,
    asyncpg.InsufficientResourcesError,  # class 53: disk full, out of memory, too many connections
    asyncpg.OperatorInterventionError,  # class 57: shutdown, crash, cannot connect now, statement timeout
    asyncpg.TransactionRollbackError,  # class 40: serialization failure, deadlock
    asyncpg.LockNotAvailableError,  # lock timeout
)

MESSAGE_ERRORS: dict[type[BaseException], RejectionReason] = {
    # The client could not encode a value for PostgreSQL (e.g. a number out of range for its column).
    asyncpg.exceptions._base.DataError: RejectionReason.INVALID_PAYLOAD,
    asyncpg.DataError: RejectionReason.INVALID_PAYLOAD,  # class 22: NUL in text, invalid byte sequence, overflow
    UnicodeError: RejectionReason.INVALID_PAYLOAD,  # a string that cannot be encoded (a lone surrogate)
    asyncpg.ProgramLimitExceededError: RejectionReason.LIMIT_EXCEEDED,  # class 54: e.g. index row too large
    RecursionError: RejectionReason.LIMIT_EXCEEDED,
    # The broker (or the producer before it) refuses a record for its content.
    kafka.MessageSizeTooLargeError: RejectionReason.LIMIT_EXCEEDED,
    kafka.RecordListTooLargeError: RejectionReason.LIMIT_EXCEEDED,
    kafka.RecordTooLargeError: RejectionReason.LIMIT_EXCEEDED,
    kafka.InvalidTopicError: RejectionReason.INVALID_PAYLOAD,
    kafka.CorruptRecordException: RejectionReason.INVALID_PAYLOAD,
    kafka.InvalidTimestampError: RejectionReason.INVALID_PAYLOAD,
    kafka.UnsupportedForMessageFormatError: RejectionReason.INVALID_PAYLOAD,
}


class Failure(StrEnum):
    """What kind of failure an error is."""

    TRANSIENT = "transient"
    """The infrastructure failed: retry for as long as it takes."""
    MESSAGE = "message"
    """The message cannot be stored or handled: reject it now."""
    UNKNOWN = "unknown"
    """Nobody classified it: retry a few times, then reject as processing_failed."""


def classify(error: BaseException) -> Failure:
    if message_reason(error) is not None:
        return Failure.MESSAGE
    # Any other broker or client error (outage, time-out, fenced producer, missing authorisation) is the
    # infrastructure's: retried, and visible in readiness while it lasts.
    if isinstance(error, (kafka.KafkaError, *TRANSIENT_ERRORS)):
        return Failure.TRANSIENT
    return Failure.UNKNOWN


def is_transient(error: BaseException) -> bool:
    return classify(error) is Failure.TRANSIENT


def message_reason(error: BaseException) -> RejectionReason | None:
    """The rejection reason when `error` is the message's fault, else None."""
    for kind, reason in MESSAGE_ERRORS.items():
        if isinstance(error, kind):
            return reason
    return None


class Rejected(Exception):
    """A message cannot be applied; carries the reason code the sender will receive."""

    def __init__(self, reason: RejectionReason, message: str, errors: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.errors = errors or []
