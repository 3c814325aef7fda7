"""asyncpg SQL writing the reporting read model. Every write is an idempotent upsert: a redelivered or replayed fact
writes what is there already, and facts of different stages may come in any order (each table and each column of
`paths` is written by one stage's topic, ordered per participant there)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from uuid import UUID

import asyncpg

PATH_COLUMNS = frozenset(
    {
        "route", "application_on", "receipt_due_on", "receipt_on", "documents_due_on", "complete_on",
        "decision_due_on", "decided_on", "decision_outcome", "comparability_on", "not_needed_on",
        "training_started_on", "training_completed_on", "licence_on", "licence_kind", "expiring_until",
        "enrolled_on", "qualified_on", "finally_failed_on", "offered_on", "confirmed_on", "first_started_on",
        "last_started_on", "last_ended_on", "notice_due_on", "notice_on",
    }
)  # fmt: skip
"""The milestone and deadline columns of `paths` (names are checked against this before they reach SQL)."""


async def is_erased(conn: asyncpg.Connection, participant_id: UUID) -> bool:
    """Whether the participant was erased; holds the participant's lock shared until the transaction ends, so that
    facts of several topics are applied side by side but never across an erasure (which takes it exclusively)."""
    await conn.execute("SELECT pg_advisory_xact_lock_shared(hashtextextended($1::text, 0))", str(participant_id))
    return bool(await conn.fetchval("SELECT true FROM erased WHERE participant_id = $1", participant_id))


async def mark(
    conn: asyncpg.Connection,
    participant_id: UUID,
    now: datetime,
    *,
    progress: date | None = None,
    first: Mapping[str, object] | None = None,
    latest: Mapping[str, object] | None = None,
    if_unset: Mapping[str, object] | None = None,
) -> None:
    """Record milestones of the participant's path: `first` keeps the earliest day seen, `latest` the last value
    (None clears it), `if_unset` only what nothing set before; `progress` moves the last day something happened."""
    first, latest, if_unset = dict(first or {}), dict(latest or {}), dict(if_unset or {})
    columns = [*first, *latest, *if_unset]
    unknown = set(columns) - PATH_COLUMNS
    assert not unknown, f"not a column of paths: {unknown}"
    values = [first.get(c, latest.get(c, if_unset.get(c))) for c in columns]
    updates = [
        *(f"{c} = LEAST(paths.{c}, EXCLUDED.{c})" for c in first),
        *(f"{c} = EXCLUDED.{c}" for c in latest),
        *(f"{c} = COALESCE(paths.{c}, EXCLUDED.{c})" for c in if_unset),
        "last_progress_on = GREATEST(paths.last_progress_on, EXCLUDED.last_progress_on)",
        "updated_at = EXCLUDED.updated_at",
    ]
    placeholders = ", ".join(f"${i}" for i in range(4, len(columns) + 4))
    await conn.execute(
        f"INSERT INTO paths (participant_id, last_progress_on, updated_at{''.join(', ' + c for c in columns)})"
        f" VALUES ($1, $2, $3{', ' if columns else ''}{placeholders})"
        f" ON CONFLICT (participant_id) DO UPDATE SET {', '.join(updates)}",
        participant_id,
        progress,
        now,
        *values,
    )


async def recruited(
    conn: asyncpg.Connection,
    participant_id: UUID,
    *,
    recruited_on: date,
    attributes: Mapping[str, object],
    lead_org: str,
    lead_role: str,
    now: datetime,
    case_reference: str | None = None,
) -> None:
    """The participant enters the read model; a replay keeps what later facts changed, and the earliest day."""
    names = list(attributes)
    await conn.execute(
        f"INSERT INTO participants (participant_id, recruited_on, lead_org, last_progress_on, updated_at,"
        f" {', '.join(names)}) VALUES ($1, $2, $3, $2, $4, {', '.join(f'${i}' for i in range(5, len(names) + 5))})"
        " ON CONFLICT (participant_id) DO UPDATE SET recruited_on = LEAST(participants.recruited_on,"
        " EXCLUDED.recruited_on)",
        participant_id,
        recruited_on,
        lead_org,
        now,
        *attributes.values(),
    )
    await involve(conn, participant_id, lead_org, lead_role, recruited_on, case_reference)


async def update_participant(
    conn: asyncpg.Connection, participant_id: UUID, now: datetime, progress: date | None, **columns: object
) -> None:
    """Change the participant's attributes or life cycle (recruitment's facts come after the recruitment)."""
    names = list(columns)
    sets = "".join(f", {name} = ${i}" for i, name in enumerate(names, start=4))
    await conn.execute(
        "UPDATE participants SET updated_at = $2,"
        f" last_progress_on = GREATEST(last_progress_on, $3::date){sets} WHERE participant_id = $1",
        participant_id,
        now,
        progress,
        *columns.values(),
    )


async def involve(
    conn: asyncpg.Connection,
    participant_id: UUID,
    org_id: str,
    role: str,
    involved_on: date | None,
    case_reference: str | None = None,
) -> None:
    """The organisation takes part in the case in `role` (again: a release is undone), with its own reference for
    the case if it gave one."""
    await conn.execute(
        "INSERT INTO involvements (participant_id, org_id, role, involved_on, case_reference)"
        " VALUES ($1, $2, $3, $4, $5)"
        " ON CONFLICT (participant_id, org_id, role) DO UPDATE SET released_on = NULL,"
        " involved_on = LEAST(involvements.involved_on, EXCLUDED.involved_on),"
        " case_reference = COALESCE(EXCLUDED.case_reference, involvements.case_reference)",
        participant_id,
        org_id,
        role,
        involved_on,
        case_reference,
    )


async def release(conn: asyncpg.Connection, participant_id: UUID, org_id: str, role: str, released_on: date) -> None:
    """The organisation no longer plays the role; it stays among those the participant was involved with."""
    await conn.execute(
        "UPDATE involvements SET released_on = $4 WHERE participant_id = $1 AND org_id = $2 AND role = $3",
        participant_id,
        org_id,
        role,
        released_on,
    )


async def organisation(
    conn: asyncpg.Connection, org_id: str, *, name: str | None, org_kind: str, region: str, now: datetime
) -> None:
    await conn.execute(
        "INSERT INTO organisations (org_id, name, org_kind, region, updated_at) VALUES ($1, $2, $3, $4, $5)"
        " ON CONFLICT (org_id) DO UPDATE SET name = COALESCE(EXCLUDED.name, organisations.name),"
        " org_kind = EXCLUDED.org_kind, region = EXCLUDED.region, updated_at = EXCLUDED.updated_at",
        org_id,
        name,
        org_kind,
        region,
        now,
    )


async def retention(
    conn: asyncpg.Connection,
    participant_id: UUID,
    months: int,
    *,
    due_on: date | None = None,
    overdue: bool = False,
    checked_on: date | None = None,
    still_employed: bool | None = None,
) -> None:
    """A retention follow-up fell due, became overdue or was recorded; what is known of it stays."""
    await conn.execute(
        "INSERT INTO retention (participant_id, months, due_on, overdue, checked_on, still_employed)"
        " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (participant_id, months) DO UPDATE SET"
        " due_on = COALESCE(EXCLUDED.due_on, retention.due_on), overdue = retention.overdue OR EXCLUDED.overdue,"
        " checked_on = COALESCE(EXCLUDED.checked_on, retention.checked_on),"
        " still_employed = COALESCE(EXCLUDED.still_employed, retention.still_employed)",
        participant_id,
        months,
        due_on,
        overdue,
        checked_on,
        still_employed,
    )


async def restart_retention(conn: asyncpg.Connection, participant_id: UUID, started_on: date) -> None:
    """A new employment's follow-ups replace those of an earlier one (checked or due before it started)."""
    await conn.execute(
        "DELETE FROM retention WHERE participant_id = $1 AND COALESCE(due_on, checked_on) < $2",
        participant_id,
        started_on,
    )


async def counselling(
    conn: asyncpg.Connection,
    record_id: str,
    *,
    held_on: date,
    counselling_type: str,
    org_id: str | None,
    participant_id: UUID | None = None,
    contact_id: UUID | None = None,
    region: str | None = None,
    district: str | None = None,
    profession: str | None = None,
    country_group: str | None = None,
) -> None:
    """A counselling contact, once per `record_id`: a session by participant, day, organisation and type; a first
    contact by its id (its link may come first, from another partition: then the contact fills in the rest)."""
    await conn.execute(
        "INSERT INTO counselling (record_id, participant_id, contact_id, first_contact, held_on, counselling_type,"
        " org_id, region, district, profession, country_group)"
        " VALUES ($1, $2, $3, $3::uuid IS NOT NULL, $4, $5, $6, $7, $8, $9, $10)"
        " ON CONFLICT (record_id) DO UPDATE SET"
        " participant_id = COALESCE(counselling.participant_id, EXCLUDED.participant_id),"
        " org_id = COALESCE(EXCLUDED.org_id, counselling.org_id),"
        " region = COALESCE(EXCLUDED.region, counselling.region),"
        " district = COALESCE(EXCLUDED.district, counselling.district),"
        " profession = COALESCE(EXCLUDED.profession, counselling.profession),"
        " country_group = COALESCE(EXCLUDED.country_group, counselling.country_group)",
        record_id,
        participant_id,
        contact_id,
        held_on,
        counselling_type,
        org_id,
        region,
        district,
        profession,
        country_group,
    )


async def indicators(
    conn: asyncpg.Connection, participant_id: UUID, recorded_on: date, values: Mapping[str, str]
) -> None:
    """The participant's ESF+ indicators at entry, as last recorded (an intake may correct them)."""
    await conn.execute(
        "INSERT INTO entry_indicators (participant_id, recorded_on, gender, age_band, education_level,"
        " labour_market_status) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (participant_id) DO UPDATE SET"
        " recorded_on = EXCLUDED.recorded_on, gender = EXCLUDED.gender, age_band = EXCLUDED.age_band,"
        " education_level = EXCLUDED.education_level, labour_market_status = EXCLUDED.labour_market_status",
        participant_id,
        recorded_on,
        values["gender"],
        values["age_band"],
        values["education_level"],
        values["labour_market_status"],
    )


PARTICIPANT_TABLES = ("participants", "paths", "involvements", "retention", "entry_indicators")
"""Every table with participant-level rows (besides counselling, whose first contacts stay anonymous)."""


async def erase(conn: asyncpg.Connection, participant_id: UUID, erased_on: date) -> None:
    """Every participant-level row goes; an anonymous first contact linked to them is anonymous again (it counts by
    its own day, region and organisation); the bare pseudonym stays so that a late fact is not stored again. Waits for
    the facts about the participant being applied (`is_erased`)."""
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))", str(participant_id))
    for table in PARTICIPANT_TABLES:
        await conn.execute(f"DELETE FROM {table} WHERE participant_id = $1", participant_id)
    await conn.execute(
        "DELETE FROM counselling WHERE participant_id = $1 AND (NOT first_contact OR region IS NULL)", participant_id
    )
    await conn.execute("UPDATE counselling SET participant_id = NULL WHERE participant_id = $1", participant_id)
    await conn.execute(
        "INSERT INTO erased (participant_id, erased_on) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        participant_id,
        erased_on,
    )
