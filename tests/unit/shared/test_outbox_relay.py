"""`OutboxRelay.publish_pending` with a fake producer and a fake connection: rows go out in id order, a row the
broker refuses for its content is set aside without holding up the rows behind it, and an outage marks nothing."""

from __future__ import annotations

import asyncio
import json
import random
from dataclasses import dataclass, field
from typing import Any, Literal, cast

import asyncpg
import pytest
from aiokafka.errors import KafkaConnectionError, MessageSizeTooLargeError

from shared.outbox import OutboxRelay

BIG = 1000
"""The fake broker refuses values larger than this."""


@dataclass(frozen=True)
class Sent:
    topic: str
    key: bytes
    value: bytes
    headers: list[tuple[str, bytes]]


@dataclass
class FakeProducer:
    """Refuses a value over `max_bytes` with MessageSizeTooLargeError, raised by `send` or failing its future
    (`refuse_in`), as aiokafka does before or after batching; with `outage`, fails every record as unreachable."""

    max_bytes: int = BIG
    refuse_in: Literal["send", "future"] = "send"
    outage: bool = False
    delivered: list[Sent] = field(default_factory=list)
    attempts: list[bytes] = field(default_factory=list)

    async def send(self, topic: str, value: bytes, key: bytes, headers: list[tuple[str, bytes]]) -> asyncio.Future[Any]:
        self.attempts.append(key)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        error: Exception | None = None
        if self.outage:
            error = KafkaConnectionError("Unable to bootstrap from broker:9092")
        elif len(value) > self.max_bytes:
            error = MessageSizeTooLargeError(f"{len(value)} bytes")
        if error is not None and self.refuse_in == "send":
            raise error
        if error is not None:
            future.set_exception(error)
        else:
            self.delivered.append(Sent(topic, key, value, headers))
            future.set_result(None)
        return future


@dataclass
class BatchOnceProducer:
    """Fails a whole batch once when it holds a big value (the batch was too large, not any one row); sends each
    row alone fine. A batch is what was sent before the relay next waits."""

    max_bytes: int = BIG
    delivered: list[Sent] = field(default_factory=list)
    batches: list[list[bytes]] = field(default_factory=list)
    _batch: list[tuple[asyncio.Future[Any], Sent]] = field(default_factory=list)
    _failed: bool = False

    async def send(self, topic: str, value: bytes, key: bytes, headers: list[tuple[str, bytes]]) -> asyncio.Future[Any]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        if not self._batch:
            loop.call_soon(self._flush)
        self._batch.append((future, Sent(topic, key, value, headers)))
        return future

    def _flush(self) -> None:
        batch, self._batch = self._batch, []
        self.batches.append([sent.key for _, sent in batch])
        if not self._failed and len(batch) > 1 and any(len(sent.value) > self.max_bytes for _, sent in batch):
            self._failed = True
            for future, _ in batch:
                future.set_exception(MessageSizeTooLargeError("the batch is larger than max.request.size"))
            return
        for future, sent in batch:
            self.delivered.append(sent)
            future.set_result(None)


class FakeOutbox:
    """The `outbox` table behind the two calls publish_pending makes: `fetch` and `execute` (calls recorded)."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = {row["id"]: {**row, "published": False, "set_aside": None} for row in rows}
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    async def fetch(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        self.calls.append((sql, args))
        assert "published_at IS NULL AND set_aside_at IS NULL ORDER BY id LIMIT $1" in sql
        pending = [r for _, r in sorted(self.rows.items()) if not r["published"] and r["set_aside"] is None]
        return [{k: r[k] for k in ("id", "topic", "key", "headers", "payload")} for r in pending[: args[0]]]

    async def execute(self, sql: str, *args: Any) -> str:
        self.calls.append((sql, args))
        if sql.startswith("UPDATE outbox SET published_at = now()"):
            for row_id in args[0]:
                self.rows[row_id]["published"] = True
            return f"UPDATE {len(args[0])}"
        if sql.startswith("UPDATE outbox SET set_aside_at = now()"):
            row_id, why = args
            self.rows[row_id]["set_aside"] = why
            return "UPDATE 1"
        raise AssertionError(f"unexpected SQL: {sql}")

    @property
    def published(self) -> list[int]:
        return sorted(i for i, r in self.rows.items() if r["published"])

    @property
    def set_aside(self) -> dict[int, str]:
        return {i: r["set_aside"] for i, r in self.rows.items() if r["set_aside"] is not None}

    @property
    def writes(self) -> list[tuple[str, tuple[Any, ...]]]:
        return [(sql, args) for sql, args in self.calls if sql.startswith("UPDATE")]


def row(row_id: int, size: int = 10, *, headers: str | None = None) -> dict[str, Any]:
    """An outbox row as asyncpg returns it: `headers` is jsonb text, key and payload are bytes."""
    return {
        "id": row_id,
        "topic": "journey.recognition.events",
        "key": f"key-{row_id}".encode(),
        "headers": headers if headers is not None else json.dumps([["ce_id", f"id-{row_id}"], ["ce_type", "t"]]),
        "payload": b"x" * size,
    }


def relay(producer: Any, batch_size: int = 500) -> OutboxRelay:
    return OutboxRelay(cast(asyncpg.Pool, None), producer, "recognition", batch_size=batch_size)


async def publish(producer: Any, outbox: FakeOutbox, batch_size: int = 500) -> int:
    return await relay(producer, batch_size).publish_pending(cast(asyncpg.Connection, outbox))


def keys(sent: list[Sent]) -> list[bytes]:
    return [s.key for s in sent]


async def test_rows_are_sent_in_id_order_and_marked_published() -> None:
    ids = [5, 1, 4, 2, 3]
    outbox = FakeOutbox([row(i) for i in ids])
    producer = FakeProducer()

    assert await publish(producer, outbox) == 5

    assert keys(producer.delivered) == [f"key-{i}".encode() for i in sorted(ids)]
    assert producer.delivered[0] == Sent(
        "journey.recognition.events", b"key-1", b"x" * 10, [("ce_id", b"id-1"), ("ce_type", b"t")]
    )
    assert outbox.published == [1, 2, 3, 4, 5] and outbox.set_aside == {}
    assert await publish(producer, outbox) == 0


async def test_a_batch_is_at_most_batch_size_rows_the_oldest_first() -> None:
    outbox = FakeOutbox([row(i) for i in random.Random(7).sample(range(1, 8), 7)])
    producer = FakeProducer()

    assert await publish(producer, outbox, batch_size=3) == 3
    assert outbox.published == [1, 2, 3]
    assert await publish(producer, outbox, batch_size=3) == 3
    assert await publish(producer, outbox, batch_size=3) == 1
    assert keys(producer.delivered) == [f"key-{i}".encode() for i in range(1, 8)]


@pytest.mark.parametrize("refuse_in", ["send", "future"])
async def test_a_row_refused_for_its_content_is_set_aside_and_the_others_published(
    refuse_in: Literal["send", "future"],
) -> None:
    outbox = FakeOutbox([row(1), row(2), row(3, size=BIG + 1), row(4), row(5)])
    producer = FakeProducer(refuse_in=refuse_in)

    assert await publish(producer, outbox) == 5

    assert outbox.published == [1, 2, 4, 5]
    assert list(outbox.set_aside) == [3]
    assert outbox.set_aside[3].startswith("MessageSizeTooLargeError")
    assert keys(producer.delivered) == [b"key-1", b"key-2", b"key-4", b"key-5"]
    assert producer.attempts.count(b"key-3") == 2  # in the batch, then alone
    # set aside first, then the rest marked published in one statement
    assert [sql.split(" = ")[0] for sql, _ in outbox.writes] == [
        "UPDATE outbox SET set_aside_at",
        "UPDATE outbox SET published_at",
    ]
    assert await publish(producer, outbox) == 0


async def test_a_row_that_cannot_be_read_back_is_set_aside() -> None:
    outbox = FakeOutbox([row(1), row(2, headers="not json"), row(3)])
    producer = FakeProducer()

    await publish(producer, outbox)

    assert outbox.published == [1, 3]
    assert list(outbox.set_aside) == [2] and outbox.set_aside[2].startswith("JSONDecodeError")
    assert b"key-2" not in producer.attempts


async def test_a_batch_refused_as_a_whole_sets_nothing_aside() -> None:
    """The batch failed, not a row: each row alone goes through, so every row is published, none set aside."""
    outbox = FakeOutbox([row(1), row(2, size=BIG + 1), row(3)])
    producer = BatchOnceProducer()

    assert await publish(producer, outbox) == 3

    assert outbox.set_aside == {}
    assert outbox.published == [1, 2, 3]
    assert producer.batches == [[b"key-1", b"key-2", b"key-3"], [b"key-1"], [b"key-2"], [b"key-3"]]
    assert keys(producer.delivered) == [b"key-1", b"key-2", b"key-3"]
    assert [sql.split(" = ")[0] for sql, _ in outbox.writes] == ["UPDATE outbox SET published_at"]


@pytest.mark.parametrize("refuse_in", ["send", "future"])
async def test_an_outage_raises_and_marks_nothing(refuse_in: Literal["send", "future"]) -> None:
    outbox = FakeOutbox([row(1), row(2, size=BIG + 1), row(3)])
    producer = FakeProducer(refuse_in=refuse_in, outage=True)

    with pytest.raises(ConnectionError, match="KafkaConnectionError"):
        await publish(producer, outbox)

    assert outbox.writes == []
    assert outbox.published == [] and outbox.set_aside == {}


async def test_an_outage_after_a_refusal_publishes_nothing_more() -> None:
    """The broker refuses row 2's content, then goes away while row 2 is tried alone: nothing is marked."""
    outbox = FakeOutbox([row(1), row(2, size=BIG + 1), row(3)])
    producer = FakeProducer(refuse_in="future")
    original_send = producer.send

    async def send_then_fail(topic: str, value: bytes, key: bytes, headers: list[tuple[str, bytes]]) -> Any:
        if len(producer.attempts) >= 3:
            producer.outage = True
        return await original_send(topic, value, key, headers)

    producer.send = send_then_fail  # type: ignore[method-assign]

    with pytest.raises(ConnectionError):
        await publish(producer, outbox)

    assert outbox.writes == []
    assert await publish(FakeProducer(), outbox) == 3  # the next leader finds all three pending
