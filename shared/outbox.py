"""Transactional outbox: events recorded with the state change, relayed to Kafka in order, marked published."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from typing import Any, Protocol

import asyncpg
import structlog
from aiokafka.errors import KafkaError

from shared.metrics import OUTBOX_PUBLISHED
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
        """Send one batch in id order and mark it published; return how many rows it held."""
        rows = await conn.fetch(
            "SELECT id, topic, key, headers, payload FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1",
            self._batch_size,
        )
        if not rows:
            return 0
        try:
            # The idempotent producer keeps each partition's order across its own retries.
            deliveries = [
                await self._producer.send(
                    row["topic"],
                    value=row["payload"],
                    key=row["key"],
                    headers=[(n, v.encode()) for n, v in json.loads(row["headers"])],
                )
                for row in rows
            ]
            await asyncio.gather(*deliveries)
        except KafkaError as error:
            raise ConnectionError(f"Kafka publish failed: {error!r}") from None
        await conn.execute(
            "UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])", [r["id"] for r in rows]
        )
        OUTBOX_PUBLISHED.labels(self._schema).inc(len(rows))
        log.debug("outbox_published", count=len(rows))
        return len(rows)
