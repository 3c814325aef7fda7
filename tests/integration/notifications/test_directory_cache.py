"""The directory a process keeps between milestones (migration 0009): read again only when it changed, and never
what a rolled-back transaction saw."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest

from services.notifications import directory_store
from services.notifications.domain import Recipient
from shared.contracts.notifications import RecipientKind
from shared.postgres import transaction
from tests.support.infra import Infra
from tests.support.schemas import scratch_pool

MIGRATIONS = Path(directory_store.__file__).parent / "migrations"


@pytest.fixture
async def pool(infra: Infra) -> AsyncIterator[asyncpg.Pool]:
    async with scratch_pool(infra.database_url, "directory", MIGRATIONS) as pool:
        yield pool


def desk(name: str) -> Recipient:
    return Recipient(name, RecipientKind.COORDINATOR, f"{name}@example.org", name.title())


async def names(pool: asyncpg.Pool) -> list[str]:
    async with transaction(pool) as conn:
        return [r.recipient_id for r in await directory_store.everyone(conn)]


async def test_the_directory_is_read_again_only_after_a_change_and_never_as_a_rolled_back_transaction_saw_it(
    pool: asyncpg.Pool,
) -> None:
    now = datetime.now(UTC)
    async with transaction(pool) as conn:
        await directory_store.save(conn, desk("first"), "command", now)
    reads = directory_store.CACHE.reads

    assert await names(pool) == ["first"]
    assert await names(pool) == ["first"]
    assert directory_store.CACHE.reads == reads + 1  # the second look used what the first read

    with pytest.raises(RuntimeError):
        async with transaction(pool) as conn:
            await directory_store.save(conn, desk("second"), "command", now)
            assert [r.recipient_id for r in await directory_store.everyone(conn)] == ["first", "second"]
            raise RuntimeError("rolled back")
    assert await names(pool) == ["first"]  # not the directory the rolled-back transaction saw

    async with transaction(pool) as conn:
        await directory_store.delete(conn, "first")
        await directory_store.save(conn, desk("third"), "command", now)
    assert await names(pool) == ["third"]
    assert directory_store.CACHE.reads == reads + 4
