"""The inbox keeps what its retention covers and no more: rows handled before it go (in chunks), the rest stay, and
a redelivered message inside the retention is still recognised as a duplicate. Real PostgreSQL, a schema of its own
with the runtime tables."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from shared import inbox
from shared.inbox import InboxPurge
from shared.postgres import transaction
from tests.support.infra import Infra
from tests.support.schemas import scratch_pool

RETENTION = timedelta(days=21)
CONSUMER = "purge-test:journey.test.events"


@pytest.fixture
async def pool(infra: Infra) -> AsyncIterator[asyncpg.Pool]:
    """A pool on a schema with the runtime tables only; dropped afterwards."""
    async with scratch_pool(infra.database_url, "inbox_purge", max_size=2) as pool:
        yield pool


async def handled(pool: asyncpg.Pool, ago: timedelta, count: int) -> list[str]:
    """`count` messages claimed as if handled `ago`; their ids."""
    ids = [str(uuid.uuid4()) for _ in range(count)]
    async with transaction(pool) as conn:
        for message_id in ids:
            assert await claim(conn, message_id)
        await conn.execute("UPDATE inbox SET handled_at = now() - $2::interval WHERE message_id = ANY($1)", ids, ago)
    return ids


async def claim(conn: asyncpg.Connection, message_id: str) -> bool:
    return await inbox.claim(
        conn, consumer=CONSUMER, message_id=message_id, topic="journey.test.events", ce_type="test.Happened.v1"
    )


async def test_rows_older_than_the_retention_go_in_chunks_and_recent_ones_stay(pool: asyncpg.Pool) -> None:
    old = await handled(pool, RETENTION + timedelta(hours=1), 7)
    recent = await handled(pool, RETENTION - timedelta(hours=1), 3)
    fresh = await handled(pool, timedelta(0), 2)

    purged = await InboxPurge(pool, retention_s=RETENTION.total_seconds(), chunk_rows=3).purge_once()

    assert purged == len(old)
    left = {r["message_id"] for r in await pool.fetch("SELECT message_id FROM inbox")}
    assert left == set(recent + fresh)
    assert await InboxPurge(pool, retention_s=RETENTION.total_seconds()).purge_once() == 0


async def test_a_redelivered_message_inside_the_retention_is_still_a_duplicate(pool: asyncpg.Pool) -> None:
    (recent,) = await handled(pool, RETENTION - timedelta(hours=1), 1)
    (old,) = await handled(pool, RETENTION + timedelta(hours=1), 1)

    await InboxPurge(pool, retention_s=RETENTION.total_seconds()).purge_once()

    async with transaction(pool) as conn:
        assert not await claim(conn, recent)  # recognised: no second effect
        assert await claim(conn, old)  # past the retention the record is gone from Kafka too; here it would be new


async def test_the_purge_finds_old_rows_by_the_handled_time_index(pool: asyncpg.Pool) -> None:
    await handled(pool, RETENTION + timedelta(hours=1), 1)
    before = datetime.now(UTC) - RETENTION
    async with transaction(pool) as conn:
        await conn.execute("SET LOCAL enable_seqscan = off")  # a tiny table: ask whether the index can serve
        plan = await conn.fetch(
            "EXPLAIN (FORMAT TEXT) SELECT consumer, message_id FROM inbox WHERE handled_at < $1 LIMIT 10", before
        )
    assert "inbox_handled" in "\n".join(row[0] for row in plan)
