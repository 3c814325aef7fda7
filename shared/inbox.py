"""Idempotent consumer: a message id is recorded once per consumer, with the effects it had; purged after a while."""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import asyncpg
import structlog

from shared.postgres import connection
from shared.retry import DEFAULT_BACKOFF, Backoff

log = structlog.get_logger()


async def claim(conn: asyncpg.Connection, *, consumer: str, message_id: str, topic: str, ce_type: str | None) -> bool:
    """Record the message inside the caller's transaction; False when it was handled before."""
    inserted = await conn.fetchval(
        "INSERT INTO inbox (consumer, message_id, topic, ce_type, outcome) VALUES ($1, $2, $3, $4, 'applied')"
        " ON CONFLICT DO NOTHING RETURNING true",
        consumer,
        message_id,
        topic,
        ce_type,
    )
    return bool(inserted)


async def mark_rejected(conn: asyncpg.Connection, *, consumer: str, message_id: str, reason: str) -> None:
    await conn.execute(
        "UPDATE inbox SET outcome = $3 WHERE consumer = $1 AND message_id = $2",
        consumer,
        message_id,
        f"rejected:{reason}",
    )


@dataclass(frozen=True, slots=True)
class Claim:
    """A message's inbox row as a batch claims it."""

    consumer: str
    message_id: str
    topic: str
    ce_type: str | None


async def claim_many(conn: asyncpg.Connection, claims: Sequence[Claim]) -> set[tuple[str, str]]:
    """Record a fetched batch's messages in one statement; returns the (consumer, message id) pairs that are new.

    A message that comes twice within the batch is returned once: the first of them is the one to apply."""
    rows = await conn.fetch(
        "INSERT INTO inbox (consumer, message_id, topic, ce_type, outcome)"
        " SELECT c, m, t, y, 'applied' FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS b(c, m, t, y)"
        " ON CONFLICT DO NOTHING RETURNING consumer, message_id",
        [c.consumer for c in claims],
        [c.message_id for c in claims],
        [c.topic for c in claims],
        [c.ce_type for c in claims],
    )
    return {(row["consumer"], row["message_id"]) for row in rows}


async def release(conn: asyncpg.Connection, keys: Collection[tuple[str, str]]) -> None:
    """Take back claims of this transaction whose messages were not applied in it (they are handled again)."""
    if not keys:
        return
    await conn.execute(
        "DELETE FROM inbox WHERE (consumer, message_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))",
        [consumer for consumer, _ in keys],
        [message_id for _, message_id in keys],
    )


class InboxPurge:
    """Deletes inbox rows handled longer ago than the retention, so the table's size follows the traffic of that
    window instead of the whole history.

    The retention must outlast every record Kafka may still deliver (`ServiceSettings.inbox_retention_s`): a
    redelivery of a message whose row is gone would be applied a second time. Rows go in chunks, one short
    transaction each, so that the first purge of a large table holds no lock for long; rows another instance is
    deleting are skipped, not waited for.
    """

    def __init__(
        self,
        pool: asyncpg.Pool,
        *,
        retention_s: float,
        interval_s: float = 600.0,
        chunk_rows: int = 10_000,
        backoff: Backoff = DEFAULT_BACKOFF,
    ) -> None:
        self._pool = pool
        self._retention = timedelta(seconds=retention_s)
        self._interval_s = interval_s
        self._chunk_rows = chunk_rows
        self._backoff = backoff

    async def run(self) -> None:
        """Purge now and then until cancelled; transient database failures are retried."""
        while True:
            await self._backoff.run(self.purge_once, what="inbox_purge")
            await asyncio.sleep(self._interval_s)

    async def purge_once(self) -> int:
        """Delete every row older than the retention, chunk by chunk; return how many went."""
        before = datetime.now(UTC) - self._retention
        purged = 0
        while True:
            async with connection(self._pool) as conn:
                # By the rows' physical addresses (a Tid Scan): a chunk costs what it deletes, whatever the table's
                # size (a join on the key read the whole table per chunk). Locked, the rows cannot move meanwhile.
                status = await conn.execute(
                    "DELETE FROM inbox WHERE ctid = ANY(ARRAY(SELECT ctid FROM inbox"
                    " WHERE handled_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED))",
                    before,
                    self._chunk_rows,
                )
            deleted = int(status.split()[-1])
            purged += deleted
            if deleted < self._chunk_rows:
                break
        if purged:
            log.info("inbox_purged", rows=purged, handled_before=before.isoformat())
        return purged
