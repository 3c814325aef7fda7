"""asyncpg SQL for funding periods: defined, closed, and listed for the filters."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from services.reporting.domain.periods import Period

COLUMNS = "period_id, name, starts_on, ends_on, closed_on, participants"


async def lock(conn: asyncpg.Connection, period_id: str) -> Period | None:
    """The period, locked until the transaction ends (a close and a redefinition do not interleave)."""
    row = await conn.fetchrow(f"SELECT {COLUMNS} FROM funding_periods WHERE period_id = $1 FOR UPDATE", period_id)
    return None if row is None else _period(row)


async def get(conn: asyncpg.Connection, period_id: str) -> Period | None:
    row = await conn.fetchrow(f"SELECT {COLUMNS} FROM funding_periods WHERE period_id = $1", period_id)
    return None if row is None else _period(row)


async def every(conn: asyncpg.Connection) -> list[Period]:
    """Every period, the latest first."""
    rows = await conn.fetch(f"SELECT {COLUMNS} FROM funding_periods ORDER BY starts_on DESC, period_id")
    return [_period(r) for r in rows]


async def save(conn: asyncpg.Connection, period: Period, now: datetime) -> None:
    await conn.execute(
        f"INSERT INTO funding_periods ({COLUMNS}, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        " ON CONFLICT (period_id) DO UPDATE SET name = EXCLUDED.name, starts_on = EXCLUDED.starts_on,"
        " ends_on = EXCLUDED.ends_on, closed_on = EXCLUDED.closed_on, participants = EXCLUDED.participants,"
        " updated_at = EXCLUDED.updated_at",
        period.period_id,
        period.name,
        period.starts_on,
        period.ends_on,
        period.closed_on,
        period.participants,
        now,
    )


def _period(row: asyncpg.Record) -> Period:
    return Period(
        period_id=row["period_id"],
        name=row["name"],
        starts_on=row["starts_on"],
        ends_on=row["ends_on"],
        closed_on=row["closed_on"],
        participants=row["participants"],
    )
