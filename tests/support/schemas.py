"""Scratch schemas on the real PostgreSQL: the runtime tables (outbox, inbox, timers) and a service's own, for a
test that drives a piece of the runtime without a service process."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg

from shared.postgres import create_pool, migrate


@asynccontextmanager
async def scratch_schema(database_url: str, prefix: str, migrations: Path | None = None) -> AsyncIterator[str]:
    """A schema of its own named `<prefix>_<random>`, with the runtime's migrations and `migrations` (none: the
    runtime tables only); dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with tempfile.TemporaryDirectory() as empty:
        await migrate(database_url, name, migrations or Path(empty))
    try:
        yield name
    finally:
        conn = await asyncpg.connect(database_url)
        try:
            await conn.execute(f"DROP SCHEMA {name} CASCADE")
        finally:
            await conn.close()


@asynccontextmanager
async def scratch_pool(
    database_url: str, prefix: str, migrations: Path | None = None, max_size: int = 3
) -> AsyncIterator[asyncpg.Pool]:
    """A pool on a scratch schema (see `scratch_schema`); closed and the schema dropped afterwards."""
    async with scratch_schema(database_url, prefix, migrations) as name:
        pool = await create_pool(database_url, name, max_size=max_size)
        try:
            yield pool
        finally:
            await pool.close()
