"""The consume pipeline on fakes of its own ports: what is applied, what is rejected with which reason, what is
retried, and that no failure of a message can hold the partition."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import pytest

from shared.contracts.envelope import Envelope, encode
from shared.contracts.examples import example_of
from shared.contracts.recruitment import GrantConsent
from shared.contracts.rejections import RejectionReason
from shared.contracts.topics import Stage
from shared.errors import Rejected
from shared.processing import MessageProcessor, Route
from shared.retry import Backoff
from shared.unit_of_work import UnitOfWork
from tests.unit.shared.fake_store import FakeStore

TOPIC = "journey.recruitment.commands"


@dataclass
class FakeRecord:
    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes]]
    topic: str = TOPIC
    partition: int = 1
    offset: int = 7
    timestamp: int = 0


@dataclass
class Handler:
    """A use case that fails with the given errors, one per call, then records that it ran."""

    errors: list[BaseException] = field(default_factory=list)
    calls: int = 0

    async def __call__(self, uow: UnitOfWork, message: Any) -> None:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        await uow.conn.execute("UPDATE candidates SET consent = true", message.participant_id)


def command_record(**header_changes: bytes) -> FakeRecord:
    command = example_of(GrantConsent).model_copy(update={"participant_id": uuid.uuid4()})
    key, headers, value = encode(command, Envelope.for_message(command, source="/partners/test"))
    headers = [(n, header_changes.get(n, v)) for n, v in headers]
    return FakeRecord(key, value, headers)


def processor(store: FakeStore, handler: Handler, topic: str = TOPIC) -> MessageProcessor:
    return MessageProcessor(
        stage=Stage.RECRUITMENT,
        topic=topic,
        pool=store,  # type: ignore[arg-type]
        routes={GrantConsent.ce_type(): Route(GrantConsent, handler)},
        backoff=Backoff(initial_s=0.001, max_s=0.002),
        max_attempts=3,
    )


def rejection(store: FakeStore) -> dict[str, Any]:
    [row] = store.outbox_rows()
    payload: dict[str, Any] = json.loads(row[5])
    return payload


async def test_a_valid_command_is_applied_once_and_a_redelivery_is_skipped() -> None:
    store, handler = FakeStore(), Handler()
    record = command_record()

    assert await processor(store, handler).process(record) == "applied"
    assert await processor(store, handler).process(record) == "duplicate"
    assert handler.calls == 1


async def test_a_refused_command_leaves_no_partial_change_and_is_rejected_with_its_reason() -> None:
    store = FakeStore()

    class Refusing(Handler):
        async def __call__(self, uow: UnitOfWork, message: Any) -> None:
            await uow.conn.execute("UPDATE candidates SET half_done = true")
            raise Rejected(RejectionReason.NOT_ALLOWED_IN_STATE, "withdrawn")

    outcome = await processor(store, Refusing()).process(command_record())

    assert outcome == "rejected:not_allowed_in_state"
    assert not any("half_done" in sql for sql, _ in store.committed)
    assert rejection(store)["reason"] == "not_allowed_in_state"


async def test_an_error_nobody_classified_is_retried_a_bounded_number_of_times_then_processing_failed() -> None:
    store, handler = FakeStore(), Handler(errors=[KeyError("bug")] * 5)

    outcome = await processor(store, handler).process(command_record())

    assert outcome == "rejected:processing_failed"
    assert handler.calls == 3
    body = rejection(store)
    assert body["message"].startswith("failed 3 times: KeyError")
    assert not any(sql.startswith("UPDATE candidates") for sql, _ in store.committed)


async def test_a_value_postgresql_refuses_is_rejected_at_once_as_invalid_payload() -> None:
    store, handler = FakeStore(), Handler(errors=[asyncpg.CharacterNotInRepertoireError("invalid byte sequence")])

    outcome = await processor(store, handler).process(command_record())

    assert outcome == "rejected:invalid_payload"
    assert handler.calls == 1
    assert "could not be stored" in rejection(store)["message"]


async def test_an_outage_is_retried_until_it_passes_and_never_rejected() -> None:
    store, handler = FakeStore(), Handler(errors=[ConnectionRefusedError(111, "refused")] * 4)

    assert await processor(store, handler).process(command_record()) == "applied"
    assert handler.calls == 5
    assert store.outbox_rows() == []


async def test_a_nul_in_ce_id_is_rejected_under_the_records_kafka_position() -> None:
    store = FakeStore()
    record = command_record(ce_id=b"abc\x00def")

    assert await processor(store, Handler()).process(record) == "rejected:invalid_envelope"
    claims = [args for sql, args in store.committed if sql.startswith("INSERT INTO inbox")]
    assert claims[0][1] == f"kafka:{TOPIC}:1:7"
    body = rejection(store)
    assert body["rejected_id"] is None
    assert body["original"]["headers"]["ce_id"] == "abc\\x00def"


async def test_when_the_rejection_cannot_be_recorded_a_minimal_one_is() -> None:
    store = FakeStore()
    failed_once: list[bool] = []

    def fail_first_outbox_insert(sql: str, args: tuple[Any, ...]) -> BaseException | None:
        if sql.startswith("INSERT INTO outbox") and not failed_once:
            failed_once.append(True)
            return ValueError("cannot encode")
        return None

    store.fail = fail_first_outbox_insert
    record = command_record(ce_type=b"journey.recruitment.Nope.v1")

    assert await processor(store, Handler()).process(record) == "rejected:unknown_type"
    original = rejection(store)["original"]
    assert original["headers"] == {} and original["value_base64"] == ""
    assert original["value_sha256"] and original["offset"] == 7


@pytest.mark.parametrize("value", [b"[" * 100_000, b"\xff\xfe{}", b"x" * 1_000_000])
async def test_whatever_the_value_the_record_is_settled(value: bytes) -> None:
    store = FakeStore()
    record = command_record()
    record.value = value

    outcome = await processor(store, Handler()).process(record)

    assert outcome.startswith("rejected:")
    assert len(store.outbox_rows()[0][5]) < 200_000
