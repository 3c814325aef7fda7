"""asyncpg pool per service schema and plain numbered SQL migrations applied at start-up."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import NamedTuple, cast

import asyncpg
import structlog

log = structlog.get_logger()

RUNTIME_MIGRATIONS = Path(__file__).parent / "migrations"
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
_SCHEMA = re.compile(r"^[a-z_][a-z0-9_]*$")


def check_schema(schema: str) -> str:
    if not _SCHEMA.match(schema):
        raise ValueError(f"not a safe schema name: {schema!r}")
    return schema


async def create_pool(dsn: str, schema: str, *, max_size: int = 10) -> asyncpg.Pool:
    """A pool whose connections see only `schema` (its search_path)."""
    pool = await asyncpg.create_pool(
        dsn,
        min_size=1,
        max_size=max_size,
        server_settings={"search_path": check_schema(schema), "application_name": f"journey-{schema}"},
        command_timeout=30,
    )
    assert pool is not None
    return pool


class PoolUse(NamedTuple):
    """A pool's connections: in use by a task, open and idle, and the most it opens."""

    in_use: int
    idle: int
    max: int


def pool_use(pool: asyncpg.Pool) -> PoolUse:
    idle = pool.get_idle_size()
    return PoolUse(in_use=pool.get_size() - idle, idle=idle, max=pool.get_max_size())


@asynccontextmanager
async def connection(pool: asyncpg.Pool) -> AsyncIterator[asyncpg.Connection]:
    """A pooled connection, typed as the `Connection` whose every method the pool's proxy forwards."""
    async with pool.acquire() as proxy:
        yield cast(asyncpg.Connection, proxy)


@asynccontextmanager
async def transaction(pool: asyncpg.Pool) -> AsyncIterator[asyncpg.Connection]:
    """A pooled connection inside a transaction that commits when the block ends, else rolls back."""
    async with connection(pool) as conn, conn.transaction():
        yield conn


def _migrations(directory: Path) -> list[tuple[int, Path]]:
    found = []
    for path in sorted(directory.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise ValueError(f"migration file name must look like 0001_name.sql: {path}")
        found.append((int(match.group(1)), path))
    return found


async def migrate(dsn: str, schema: str, service_migrations: Path) -> list[str]:
    """Create the schema and apply the runtime's, then the service's, pending migrations; return those applied."""
    check_schema(schema)
    applied: list[str] = []
    conn = await asyncpg.connect(dsn)
    try:
        # One migrator at a time, across instances of the same service.
        await conn.execute("SELECT pg_advisory_lock(hashtext($1))", f"migrate:{schema}")
        await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        await conn.execute(f"SET search_path TO {schema}")
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " track text NOT NULL, version int NOT NULL, name text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (track, version))"
        )
        for track, directory in (("runtime", RUNTIME_MIGRATIONS), ("service", service_migrations)):
            done = {
                r["version"] for r in await conn.fetch("SELECT version FROM schema_migrations WHERE track = $1", track)
            }
            for version, path in _migrations(directory):
                if version in done:
                    continue
                async with conn.transaction():
                    await conn.execute(path.read_text())
                    await conn.execute(
                        "INSERT INTO schema_migrations (track, version, name) VALUES ($1, $2, $3)",
                        track,
                        version,
                        path.name,
                    )
                applied.append(f"{track}/{path.name}")
                log.info("migration_applied", schema=schema, track=track, migration=path.name)
    finally:
        await conn.execute("SELECT pg_advisory_unlock(hashtext($1))", f"migrate:{schema}")
        await conn.close()
    return applied
