"""Failures told apart by kind: outages are retried, a message the store or broker refuses is rejected at once with
its reason, anything else is unknown (retried a few times, then rejected as processing_failed)."""

from __future__ import annotations

import asyncpg
import asyncpg.exceptions._base as asyncpg_base
import pytest
from aiokafka import errors as kafka

from shared.contracts.rejections import RejectionReason
from shared.errors import Failure, classify, is_transient, message_reason


def _unicode_encode_error() -> UnicodeEncodeError:
    try:
        "\ud800".encode()
    except UnicodeEncodeError as error:
        return error
    raise AssertionError("a lone surrogate encodes")


OUTAGES: list[BaseException] = [
    ConnectionRefusedError(111, "Connect call failed"),
    ConnectionResetError(),
    TimeoutError(),
    OSError(101, "Network is unreachable"),
    # asyncpg: the connection went away under us
    asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
    asyncpg.InterfaceError("cannot perform operation: connection is closed"),
    asyncpg.InternalClientError("cannot switch to state 12; another operation (2) is in progress"),
    # PostgreSQL class 08: connection exception
    asyncpg.ConnectionFailureError("connection failure"),
    asyncpg.ClientCannotConnectError("could not connect"),
    # class 53: insufficient resources
    asyncpg.TooManyConnectionsError("sorry, too many clients already"),
    asyncpg.DiskFullError("could not extend file: No space left on device"),
    asyncpg.OutOfMemoryError("out of memory"),
    # class 57: operator intervention
    asyncpg.AdminShutdownError("terminating connection due to administrator command"),
    asyncpg.CrashShutdownError("terminating connection because of crash of another server process"),
    asyncpg.CannotConnectNowError("the database system is starting up"),
    asyncpg.QueryCanceledError("canceling statement due to statement timeout"),
    # class 40: transaction rollback
    asyncpg.SerializationError("could not serialize access due to concurrent update"),
    asyncpg.DeadlockDetectedError("deadlock detected"),
    # 55P03: lock timeout
    asyncpg.LockNotAvailableError("canceling statement due to lock timeout"),
    # Kafka
    kafka.KafkaConnectionError("Unable to bootstrap from localhost:9092"),
    kafka.KafkaTimeoutError(),
    kafka.RequestTimedOutError(),
    kafka.NotLeaderForPartitionError(),
    kafka.NodeNotReadyError(),
]


@pytest.mark.parametrize("error", OUTAGES, ids=lambda e: type(e).__name__)
def test_an_outage_is_retried(error: BaseException) -> None:
    assert classify(error) is Failure.TRANSIENT
    assert is_transient(error)
    assert message_reason(error) is None


MESSAGE_FAULTS: list[tuple[BaseException, RejectionReason]] = [
    # PostgreSQL class 22 (data exception): NUL in text, invalid byte sequence, value out of range, too long
    (asyncpg.DataError("invalid input syntax"), RejectionReason.INVALID_PAYLOAD),
    (
        asyncpg.CharacterNotInRepertoireError("invalid byte sequence for encoding UTF8: 0x00"),
        RejectionReason.INVALID_PAYLOAD,
    ),
    (asyncpg.UntranslatableCharacterError("unsupported Unicode escape sequence"), RejectionReason.INVALID_PAYLOAD),
    (asyncpg.NumericValueOutOfRangeError("integer out of range"), RejectionReason.INVALID_PAYLOAD),
    (
        asyncpg.StringDataRightTruncationError("value too long for type character varying(64)"),
        RejectionReason.INVALID_PAYLOAD,
    ),
    (asyncpg.InvalidTextRepresentationError("invalid input syntax for type uuid"), RejectionReason.INVALID_PAYLOAD),
    # asyncpg could not encode an argument (client side): an InterfaceError, yet the message's fault
    (
        asyncpg_base.DataError("invalid input for query argument $1: 99999999999 (value out of int32 range)"),
        RejectionReason.INVALID_PAYLOAD,
    ),
    (_unicode_encode_error(), RejectionReason.INVALID_PAYLOAD),
    (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), RejectionReason.INVALID_PAYLOAD),
    # class 54: program limit exceeded (an index row too large)
    (
        asyncpg.ProgramLimitExceededError("index row size 3000 exceeds btree maximum 2704"),
        RejectionReason.LIMIT_EXCEEDED,
    ),
    (asyncpg.StatementTooComplexError("stack depth limit exceeded"), RejectionReason.LIMIT_EXCEEDED),
    (RecursionError("maximum recursion depth exceeded"), RejectionReason.LIMIT_EXCEEDED),
    # the broker (or the producer) refuses the record itself
    (kafka.MessageSizeTooLargeError(), RejectionReason.LIMIT_EXCEEDED),
    (kafka.RecordListTooLargeError(), RejectionReason.LIMIT_EXCEEDED),
    (kafka.RecordTooLargeError(), RejectionReason.LIMIT_EXCEEDED),
    (kafka.CorruptRecordException(), RejectionReason.INVALID_PAYLOAD),
    (kafka.InvalidTimestampError(), RejectionReason.INVALID_PAYLOAD),
]


@pytest.mark.parametrize(
    ("error", "reason"), [pytest.param(e, r, id=f"{type(e).__module__}.{type(e).__name__}") for e, r in MESSAGE_FAULTS]
)
def test_a_fault_of_the_message_is_rejected_at_once_with_its_reason(
    error: BaseException, reason: RejectionReason
) -> None:
    assert classify(error) is Failure.MESSAGE
    assert message_reason(error) is reason
    assert not is_transient(error)


def test_the_client_side_data_error_is_an_interface_error_yet_not_an_outage() -> None:
    """asyncpg's client-side DataError subclasses InterfaceError, which otherwise means a lost connection."""
    error = asyncpg_base.DataError("invalid input for query argument $2: 'x' (expected str, got int)")

    assert isinstance(error, asyncpg.InterfaceError)
    assert classify(error) is Failure.MESSAGE


UNKNOWN: list[BaseException] = [
    ValueError("bad value"),
    KeyError("missing"),
    TypeError("unsupported operand"),
    AssertionError("invariant"),
    ZeroDivisionError(),
    RuntimeError("something nobody foresaw"),
    asyncpg.UniqueViolationError("duplicate key value violates unique constraint"),
    asyncpg.ForeignKeyViolationError("insert or update violates foreign key constraint"),
    asyncpg.CheckViolationError("new row violates check constraint"),
    asyncpg.UndefinedTableError('relation "outbox" does not exist'),
]


@pytest.mark.parametrize("error", UNKNOWN, ids=lambda e: type(e).__name__)
def test_a_fault_of_the_code_is_unknown(error: BaseException) -> None:
    assert classify(error) is Failure.UNKNOWN
    assert message_reason(error) is None
    assert not is_transient(error)
