"""Transactional outbox: events recorded with the state change, relayed to Kafka in order, marked published."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any, NamedTuple, Protocol

import asyncpg
import structlog
from aiokafka import errors as kafka_errors

from shared.errors import message_reason
from shared.metrics import OUTBOX_PUBLISHED, OUTBOX_SET_ASIDE
from shared.postgres import connection
from shared.retry import DEFAULT_BACKOFF, Backoff
from shared.tracing import publishing

log = structlog.get_logger()


class Producer(Protocol):
    """What the relay needs of a Kafka producer (aiokafka's `AIOKafkaProducer` fits)."""

    async def send(
        self, topic: str, value: bytes, key: bytes, headers: list[tuple[str, bytes]]
    ) -> asyncio.Future[Any]: ...


async def record(
    conn: asyncpg.Connection,
    *,
    ce_id: str,
    ce_type: str,
    topic: str,
    key: bytes,
    headers: list[tuple[str, bytes]],
    payload: bytes,
) -> None:
    """Add one message to the outbox inside the caller's transaction; a repeated `ce_id` is a no-op."""
    await conn.execute(
        "INSERT INTO outbox (ce_id, ce_type, topic, key, headers, payload)"
        " VALUES ($1, $2, $3, $4, $5::jsonb, $6) ON CONFLICT (ce_id) DO NOTHING",
        ce_id,
        ce_type,
        topic,
        key,
        json.dumps([[n, v.decode()] for n, v in headers]),
        payload,
    )


class OutboxRelay:
    """Publishes pending outbox rows in id order. One leader per schema (advisory lock); others stand by."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        producer: Producer,
        schema: str,
        *,
        poll_interval_s: float = 1.0,
        batch_size: int = 500,
        retention_s: float = 7 * 24 * 3600,
        backoff: Backoff = DEFAULT_BACKOFF,
        renew_producer: Callable[[], Awaitable[Producer]] | None = None,
    ) -> None:
        """`renew_producer` replaces the producer with a fresh one (a new producer id): after the broker refused a
        record, an idempotent producer's sequence for that partition is broken and every later send to it fails
        with `OutOfOrderSequenceNumber`."""
        self._pool = pool
        self._producer = producer
        self._renew_producer = renew_producer
        self._schema = schema
        self._poll_interval_s = poll_interval_s
        self._batch_size = batch_size
        self._backoff = backoff
        self._wake = asyncio.Event()
        self._retention_s = retention_s
        self._purged_at = 0.0

    async def run(self) -> None:
        """Relay until cancelled; transient database or broker failures are retried."""
        log.info("outbox_relay_started", schema=self._schema)
        await self._backoff.run(self._lead, what="outbox_relay")

    def _on_notify(self, *_: object) -> None:
        self._wake.set()

    async def _lead(self) -> None:
        async with connection(self._pool) as conn:
            lock = f"outbox-relay:{self._schema}"
            # Standby until this instance holds the schema's relay lock; the leader may be another process.
            while not await conn.fetchval("SELECT pg_try_advisory_lock(hashtext($1))", lock):  # noqa: ASYNC110
                await asyncio.sleep(self._poll_interval_s)
            await conn.add_listener(f"{self._schema}_outbox", self._on_notify)
            try:
                while True:
                    self._wake.clear()
                    await self._purge_published(conn)
                    if await self.publish_pending(conn) < self._batch_size:
                        with contextlib.suppress(TimeoutError):  # the poll is the fallback for a lost NOTIFY
                            await asyncio.wait_for(self._wake.wait(), self._poll_interval_s)
            except BaseException:
                # The connection may be broken or mid-operation: drop it (its session lock and LISTEN go with it)
                # instead of talking to it again or handing it back to the pool. One the server cut has been let go
                # by the pool already: terminating it again would raise and hide why the relay stopped.
                with contextlib.suppress(asyncpg.InterfaceError):
                    conn.terminate()
                raise

    async def _purge_published(self, conn: asyncpg.Connection) -> None:
        """Published rows are kept a while for operators, then deleted (at most once a minute)."""
        if time.monotonic() - self._purged_at < 60:
            return
        self._purged_at = time.monotonic()
        purged = await conn.execute(
            "DELETE FROM outbox WHERE published_at < now() - make_interval(secs => $1)", self._retention_s
        )
        log.debug("outbox_purged", result=purged)

    async def publish_pending(self, conn: asyncpg.Connection) -> int:
        """Send one batch in id order and mark it published; return how many rows it held.

        A row the broker refuses for its content (too large, invalid) cannot block the rows behind it: after a
        refusal the producer is renewed and the rows that failed are sent again one by one; a row refused alone is
        set aside (counted, logged as an error, kept for operators). An outage raises: the batch is retried.
        """
        rows = await conn.fetch(
            "SELECT id, topic, key, headers, payload FROM outbox"
            " WHERE published_at IS NULL AND set_aside_at IS NULL ORDER BY id LIMIT $1",
            self._batch_size,
        )
        if not rows:
            return 0
        failed = await self._send(rows)
        set_aside: set[int] = set()
        if failed:
            await self._renew()
        for row in [r for r in rows if r["id"] in failed]:  # each again alone: was it the row, or its batch?
            why = (await self._send([row])).get(row["id"])
            if why is None:
                continue
            if why == _COLLATERAL:
                raise ConnectionError("Kafka publish failed: the producer's sequence is broken even after renewal")
            await self._set_aside(conn, row, why)
            set_aside.add(row["id"])
            await self._renew()
        published = [r["id"] for r in rows if r["id"] not in set_aside]
        await conn.execute("UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])", published)
        OUTBOX_PUBLISHED.labels(self._schema).inc(len(published))
        log.debug("outbox_published", count=len(published))
        return len(rows)

    async def _renew(self) -> None:
        if self._renew_producer is not None:
            self._producer = await self._renew_producer()

    async def _send(self, rows: list[asyncpg.Record]) -> dict[int, str]:
        """Send the rows in order; the ones that failed, with why: refused for their content, or `_COLLATERAL`
        (failed because an earlier record of the partition was refused). Any other failure raises."""
        failed: dict[int, str] = {}
        pending: list[tuple[int, asyncio.Future[Any]]] = []
        for row in rows:
            outgoing = self._record_of(row)
            if isinstance(outgoing, BaseException):
                failed[row["id"]] = _describe(outgoing)
                continue
            try:
                # The idempotent producer keeps each partition's order across its own retries.
                future = await self._producer.send(
                    outgoing.topic, value=outgoing.value, key=outgoing.key, headers=outgoing.headers
                )
                publishing(outgoing.topic, outgoing.headers, future)
                pending.append((row["id"], future))
            except Exception as error:
                failed[row["id"]] = self._failure(error)
        results = await asyncio.gather(*(future for _, future in pending), return_exceptions=True)
        for (row_id, _), result in zip(pending, results, strict=True):
            if isinstance(result, BaseException):
                failed[row_id] = self._failure(result)
        return failed

    @staticmethod
    def _record_of(row: asyncpg.Record) -> Outgoing | BaseException:
        try:
            headers = [(str(n), str(v).encode()) for n, v in json.loads(row["headers"])]
            return Outgoing(row["topic"], bytes(row["key"]), headers, bytes(row["payload"]))
        except Exception as error:  # a row that cannot even be read back is set aside like a refused one
            return error

    @staticmethod
    def _failure(error: BaseException) -> str:
        """Why a row failed: refused for its content, or `_COLLATERAL`; raises when it is an outage."""
        if message_reason(error) is not None or isinstance(error, (TypeError, ValueError)):
            return _describe(error)
        if isinstance(error, BROKEN_SEQUENCE):
            return _COLLATERAL
        if isinstance(error, Exception):
            raise ConnectionError(f"Kafka publish failed: {error!r}") from error
        raise error

    async def _set_aside(self, conn: asyncpg.Connection, row: asyncpg.Record, why: str) -> None:
        await conn.execute(
            "UPDATE outbox SET set_aside_at = now(), set_aside_reason = $2 WHERE id = $1", row["id"], why
        )
        OUTBOX_SET_ASIDE.labels(self._schema).inc()
        log.error("outbox_row_set_aside", outbox_id=row["id"], topic=row["topic"], reason=why)


_COLLATERAL = "failed after an earlier record of its partition was refused"
BROKEN_SEQUENCE = (
    kafka_errors.OutOfOrderSequenceNumber,
    kafka_errors.UnknownProducerId,
    kafka_errors.InvalidProducerEpoch,
)


class Outgoing(NamedTuple):
    """An outbox row as a Kafka record."""

    topic: str
    key: bytes
    headers: list[tuple[str, bytes]]
    value: bytes


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:500]


class Backlog(NamedTuple):
    """What tells whether the outbox drains: how long its oldest unpublished row has waited (0 when none waits),
    the rows set aside, and the rows waiting."""

    oldest_pending_s: float
    set_aside: int
    pending: int


async def backlog(conn: asyncpg.Connection) -> Backlog:
    """The outbox's backlog now (both counts read the partial indexes of pending and set-aside rows)."""
    row = await conn.fetchrow(
        "SELECT coalesce((SELECT extract(epoch FROM now() - recorded_at) FROM outbox"
        "  WHERE published_at IS NULL AND set_aside_at IS NULL ORDER BY id LIMIT 1), 0)::float8 AS waited,"
        " (SELECT count(*) FROM outbox WHERE set_aside_at IS NOT NULL)::int AS set_aside,"
        " (SELECT count(*) FROM outbox WHERE published_at IS NULL AND set_aside_at IS NULL)::int AS pending"
    )
    assert row is not None
    return Backlog(float(row["waited"]), int(row["set_aside"]), int(row["pending"]))
