"""asyncpg SQL for the participant's rights: access requests, corrections, and the retention schedule's runs."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import asyncpg

from shared.contracts.recruitment import PersonalField


async def record_access_request(
    conn: asyncpg.Connection, request_id: UUID, participant_id: UUID, org: str, on: date, now: datetime
) -> None:
    await conn.execute(
        "INSERT INTO access_requests (request_id, participant_id, requested_by, requested_on, recorded_at)"
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (request_id) DO NOTHING",
        request_id,
        participant_id,
        org,
        on,
        now,
    )


async def record_correction(
    conn: asyncpg.Connection,
    participant_id: UUID,
    correction_id: str,
    org: str,
    on: date,
    fields: frozenset[PersonalField],
    now: datetime,
) -> None:
    await conn.execute(
        "INSERT INTO corrections (participant_id, correction_id, corrected_by, corrected_on, fields, recorded_at)"
        " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        participant_id,
        correction_id,
        org,
        on,
        sorted(f.value for f in fields),
        now,
    )


async def forget_participant(conn: asyncpg.Connection, participant_id: UUID) -> None:
    """Erasure: the corrections go; the access requests stay without the pseudonym (that a request was made and
    served stays provable, about nobody). Holds go with the participant's state (`store.save`)."""
    await conn.execute("DELETE FROM corrections WHERE participant_id = $1", participant_id)
    await conn.execute("UPDATE access_requests SET participant_id = NULL WHERE participant_id = $1", participant_id)


async def retention_candidates(conn: asyncpg.Connection, cut_off: date) -> list[tuple[UUID, date]]:
    """Participants whose participation ended before `cut_off`, with that day: `ended_on`, or for those withdrawn
    before it was recorded, the day of their last change (German time), which is that day or later."""
    rows = await conn.fetch(
        "SELECT participant_id, COALESCE(ended_on, (updated_at AT TIME ZONE 'Europe/Berlin')::date) AS left_on"
        " FROM participants WHERE status IN ('completed', 'withdrawn')"
        " AND COALESCE(ended_on, (updated_at AT TIME ZONE 'Europe/Berlin')::date) < $1 ORDER BY participant_id",
        cut_off,
    )
    return [(r["participant_id"], r["left_on"]) for r in rows]


async def next_run(conn: asyncpg.Connection, now: datetime, interval_s: float, new_id: UUID) -> asyncpg.Record | None:
    """The run to do now, started: one an operator asked for (or one left unfinished: the caller holds the schedule's
    lock, so nobody else runs it), else a scheduled one when the last began `interval_s` ago or more."""
    row = await conn.fetchrow(
        "UPDATE retention_runs SET started_at = COALESCE(started_at, $1), held = 0 WHERE run_id ="
        " (SELECT run_id FROM retention_runs WHERE finished_at IS NULL ORDER BY requested_at LIMIT 1)"
        " RETURNING run_id, dry_run, started_at",
        now,
    )
    if row is not None:
        return row
    last = await conn.fetchval("SELECT max(started_at) FROM retention_runs WHERE requested_by = 'schedule'")
    if last is not None and (now - last).total_seconds() < interval_s:
        return None
    return await conn.fetchrow(
        "INSERT INTO retention_runs (run_id, requested_by, requested_at, started_at) VALUES ($1, 'schedule', $2, $2)"
        " RETURNING run_id, dry_run, started_at",
        new_id,
        now,
    )


async def begin_run(conn: asyncpg.Connection, run_id: UUID, cut_off: date, years: int) -> None:
    await conn.execute(
        "UPDATE retention_runs SET cut_off = $2, retention_years = $3 WHERE run_id = $1", run_id, cut_off, years
    )


async def count(conn: asyncpg.Connection, run_id: UUID, *, anonymised: int = 0, held: int = 0) -> None:
    """Counted in the transaction that anonymised (or found held) the participant: a resumed run counts right."""
    await conn.execute(
        "UPDATE retention_runs SET anonymised = anonymised + $2, held = held + $3 WHERE run_id = $1",
        run_id,
        anonymised,
        held,
    )


async def finish_run(
    conn: asyncpg.Connection, run_id: UUID, now: datetime, failure: str | None = None
) -> asyncpg.Record:
    row = await conn.fetchrow(
        "UPDATE retention_runs SET finished_at = $2, failure = $3 WHERE run_id = $1"
        " RETURNING run_id, dry_run, cut_off, anonymised, held, started_at, finished_at",
        run_id,
        now,
        failure,
    )
    assert row is not None, "the run's row is written before it starts"
    return row
