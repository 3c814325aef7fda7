"""The retention schedule's runs as the operators see them: asking the recruitment service for one (it runs them;
`services/recruitment/retention.py`), waiting for it, and the record of past runs (`recruitment.retention_runs`)."""

from __future__ import annotations

import asyncio
import time
from uuid import UUID, uuid4

import asyncpg

COLUMNS = (
    "run_id, requested_by, dry_run, requested_at, started_at, finished_at, cut_off, retention_years, anonymised, held,"
    " failure"
)


async def request_run(conn: asyncpg.Connection, *, dry_run: bool) -> UUID:
    """Ask for a run; the recruitment service takes it up within `RETENTION_REQUEST_POLL_S`."""
    run_id = uuid4()
    await conn.execute(
        "INSERT INTO recruitment.retention_runs (run_id, requested_by, dry_run, requested_at)"
        " VALUES ($1, 'operator', $2, now())",
        run_id,
        dry_run,
    )
    return run_id


async def wait_for_run(conn: asyncpg.Connection, run_id: UUID, timeout_s: float, poll_s: float = 0.5) -> asyncpg.Record:
    """The run's row once finished, or as it stands when `timeout_s` passed."""
    deadline = time.monotonic() + timeout_s
    while True:
        row = await conn.fetchrow(f"SELECT {COLUMNS} FROM recruitment.retention_runs WHERE run_id = $1", run_id)
        assert row is not None, f"run {run_id} was requested"
        if row["finished_at"] is not None or time.monotonic() >= deadline:
            return row
        await asyncio.sleep(poll_s)


async def recent_runs(conn: asyncpg.Connection, limit: int = 50) -> list[asyncpg.Record]:
    return list(
        await conn.fetch(f"SELECT {COLUMNS} FROM recruitment.retention_runs ORDER BY requested_at DESC LIMIT $1", limit)
    )
