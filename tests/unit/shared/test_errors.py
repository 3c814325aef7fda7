"""Transient failures are retried, anything else is the message's fault: the classification the pipeline uses."""

from __future__ import annotations

import asyncpg
import pytest

from shared.errors import is_transient


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError(111, "Connect call failed"),
        ConnectionResetError(),
        TimeoutError(),
        asyncpg.CannotConnectNowError("the database system is starting up"),
        asyncpg.AdminShutdownError("terminating connection due to administrator command"),
        asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
        asyncpg.InternalClientError("cannot switch to state 12; another operation (2) is in progress"),
        asyncpg.SerializationError("could not serialize access"),
    ],
    ids=type,
)
def test_an_outage_is_retried(error: BaseException) -> None:
    assert is_transient(error)


@pytest.mark.parametrize(
    "error",
    [
        asyncpg.UniqueViolationError("duplicate key"),
        asyncpg.DataError("invalid input syntax"),
        ValueError("bad value"),
        KeyError("missing"),
    ],
    ids=type,
)
def test_a_fault_of_the_message_or_the_code_is_not(error: BaseException) -> None:
    assert not is_transient(error)
