"""asyncpg SQL for the recognition schema: cases, and the runtime's timers of a participant."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from services.recognition.domain import Case

FIELDS = (
    "state",
    "target_profession",
    "reference_profession",
    "track",
    "decision_due_on",
    "extended",
    "outcome",
    "measures_offered",
    "measure",
    "licence",
    "valid_until",
    "first_permit_on",
)


async def lock(conn: asyncpg.Connection, participant_id: UUID) -> Case | None:
    """The participant's case, locked until the transaction ends (keeps one participant's events in order)."""
    row = await conn.fetchrow("SELECT * FROM cases WHERE participant_id = $1 FOR UPDATE", participant_id)
    return None if row is None else Case.model_validate({"participant_id": participant_id, **_fields(row)})


async def insert(conn: asyncpg.Connection, case: Case, now: datetime) -> None:
    columns = ", ".join(FIELDS)
    values = ", ".join(f"${i}" for i in range(3, len(FIELDS) + 3))
    await conn.execute(
        f"INSERT INTO cases (participant_id, opened_at, {columns}, updated_at) VALUES ($1, $2, {values}, $2)",
        case.participant_id,
        now,
        *_values(case),
    )


async def save(conn: asyncpg.Connection, case: Case, now: datetime) -> None:
    assignments = ", ".join(f"{name} = ${i}" for i, name in enumerate(FIELDS, start=3))
    await conn.execute(
        f"UPDATE cases SET updated_at = $2, {assignments} WHERE participant_id = $1",
        case.participant_id,
        now,
        *_values(case),
    )


async def delete(conn: asyncpg.Connection, participant_id: UUID) -> None:
    """Erasure: the case (timers and outbox rows go through `UnitOfWork.forget_participant`)."""
    await conn.execute("DELETE FROM cases WHERE participant_id = $1", participant_id)


async def pending_timers(conn: asyncpg.Connection, participant_id: UUID) -> list[str]:
    rows = await conn.fetch(
        "SELECT timer_id FROM timers WHERE participant_id = $1 AND fired_at IS NULL AND cancelled_at IS NULL",
        participant_id,
    )
    return [row["timer_id"] for row in rows]


def _fields(row: asyncpg.Record) -> dict[str, Any]:
    return {name: row[name] for name in FIELDS}


def _values(case: Case) -> list[Any]:
    values = case.model_dump(include=set(FIELDS))
    values["measures_offered"] = sorted(case.measures_offered)
    return [values[name] for name in FIELDS]
