"""Transactional outbox: events recorded with the state change, relayed to Kafka in order, marked published."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from typing import Any, NamedTuple, Protocol

import asyncpg
import structlog

from shared.errors import message_reason
from shared.metrics import OUTBOX_PUBLISHED, OUTBOX_SET_ASIDE
from shared.postgres import connection
from shared.retry import DEFAULT_BACKOFF, Backoff

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
    ) -> None:
        self._pool = pool
        self._producer = producer
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
                # instead of talking to it again or handing it back to the pool.
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

        A row the broker refuses for its content (too large, invalid) cannot block the rows behind it: the rows of
        a batch that failed so are sent again one by one, and a row that fails alone is set aside (counted, logged
        as an error, kept for operators). Transient failures retry the batch.
        """
        rows = await conn.fetch(
            "SELECT id, topic, key, headers, payload FROM outbox"
            " WHERE published_at IS NULL AND set_aside_at IS NULL ORDER BY id LIMIT $1",
            self._batch_size,
        )
        if not rows:
            return 0
        refused = await self._send([(row, self._record_of(row)) for row in rows])
        for row in [r for r in rows if r["id"] in refused]:  # each again alone: was it the row or its batch?
            alone = await self._send([(row, self._record_of(row))])
            if alone:
                await self._set_aside(conn, row, alone[row["id"]])
            else:
                refused.pop(row["id"])
        published = [r["id"] for r in rows if r["id"] not in refused]
        await conn.execute("UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])", published)
        OUTBOX_PUBLISHED.labels(self._schema).inc(len(published))
        log.debug("outbox_published", count=len(published))
        return len(rows)

    @staticmethod
    def _record_of(row: asyncpg.Record) -> Outgoing | BaseException:
        try:
            headers = [(str(n), str(v).encode()) for n, v in json.loads(row["headers"])]
            return Outgoing(row["topic"], bytes(row["key"]), headers, bytes(row["payload"]))
        except Exception as error:  # a row that cannot even be read back is set aside like a refused one
            return error

    async def _send(self, batch: list[tuple[asyncpg.Record, Outgoing | BaseException]]) -> dict[int, str]:
        """Send the rows; the ones refused for their content, with why. A transient failure raises."""
        refused: dict[int, str] = {}
        pending: list[tuple[int, asyncio.Future[Any]]] = []
        for row, outgoing in batch:
            if isinstance(outgoing, BaseException):
                refused[row["id"]] = _describe(outgoing)
                continue
            try:
                # The idempotent producer keeps each partition's order across its own retries.
                pending.append(
                    (
                        row["id"],
                        await self._producer.send(
                            outgoing.topic, value=outgoing.value, key=outgoing.key, headers=outgoing.headers
                        ),
                    )
                )
            except Exception as error:
                refused[row["id"]] = self._refusal(error)
        results = await asyncio.gather(*(future for _, future in pending), return_exceptions=True)
        for (row_id, _), result in zip(pending, results, strict=True):
            if isinstance(result, BaseException):
                refused[row_id] = self._refusal(result)
        return refused

    @staticmethod
    def _refusal(error: BaseException) -> str:
        """Why the broker refused a row for its content; raises when the failure is anything else (an outage)."""
        if message_reason(error) is not None or isinstance(error, (TypeError, ValueError)):
            return _describe(error)
        if isinstance(error, Exception):
            raise ConnectionError(f"Kafka publish failed: {error!r}") from error
        raise error

    async def _set_aside(self, conn: asyncpg.Connection, row: asyncpg.Record, why: str) -> None:
        await conn.execute(
            "UPDATE outbox SET set_aside_at = now(), set_aside_reason = $2 WHERE id = $1", row["id"], why
        )
        OUTBOX_SET_ASIDE.labels(self._schema).inc()
        log.error("outbox_row_set_aside", outbox_id=row["id"], topic=row["topic"], reason=why)


class Outgoing(NamedTuple):
    """An outbox row as a Kafka record."""

    topic: str
    key: bytes
    headers: list[tuple[str, bytes]]
    value: bytes


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:500]


async def backlog(conn: asyncpg.Connection) -> tuple[float, int]:
    """(seconds the oldest unpublished row has waited, rows set aside): what tells whether the outbox drains."""
    row = await conn.fetchrow(
        "SELECT coalesce((SELECT extract(epoch FROM now() - recorded_at) FROM outbox"
        "  WHERE published_at IS NULL AND set_aside_at IS NULL ORDER BY id LIMIT 1), 0)::float8 AS waited,"
        " (SELECT count(*) FROM outbox WHERE set_aside_at IS NOT NULL)::int AS set_aside"
    )
    assert row is not None
    return float(row["waited"]), int(row["set_aside"])
