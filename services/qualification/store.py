"""asyncpg SQL for the qualification schema."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TypeVar
from uuid import UUID

import asyncpg

from services.qualification.domain import Certificate, ExamRecord, MeasureStatus, Picture
from shared.contracts.enums import CefrLevel, CompensationMeasure, Profession, RecognitionOutcome
from shared.contracts.qualification import ExamKind, LanguageDomain, MeasureKind

E = TypeVar("E", Profession, RecognitionOutcome, CompensationMeasure)


async def lock(conn: asyncpg.Connection, participant_id: UUID) -> asyncpg.Record | None:
    """The participant's row, locked until the transaction ends (keeps one participant's events in order)."""
    return await conn.fetchrow("SELECT * FROM participants WHERE participant_id = $1 FOR UPDATE", participant_id)


async def lock_or_create(conn: asyncpg.Connection, participant_id: UUID, now: datetime) -> asyncpg.Record:
    """Lock the row, creating an empty one first when another stage's fact arrives before the recruitment."""
    await conn.execute(
        "INSERT INTO participants (participant_id, status, updated_at) VALUES ($1, 'active', $2)"
        " ON CONFLICT DO NOTHING",
        participant_id,
        now,
    )
    row = await lock(conn, participant_id)
    assert row is not None
    return row


async def update(conn: asyncpg.Connection, participant_id: UUID, now: datetime, **values: object) -> None:
    """Set the named columns of the participant's row (names come from this package, never from input)."""
    names = list(values)
    assignments = ", ".join(f"{name} = ${i}" for i, name in enumerate(names, start=3))
    await conn.execute(
        f"UPDATE participants SET updated_at = $2, {assignments} WHERE participant_id = $1",
        participant_id,
        now,
        *values.values(),
    )


async def measure(conn: asyncpg.Connection, participant_id: UUID, measure_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT * FROM measures WHERE measure_id = $1 AND participant_id = $2", measure_id, participant_id
    )


async def measure_exists(conn: asyncpg.Connection, measure_id: UUID) -> bool:
    return bool(await conn.fetchval("SELECT true FROM measures WHERE measure_id = $1", measure_id))


async def measures(conn: asyncpg.Connection, participant_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT * FROM measures WHERE participant_id = $1 ORDER BY seq", participant_id)


async def insert_measure(
    conn: asyncpg.Connection,
    participant_id: UUID,
    measure_id: UUID,
    kind: MeasureKind,
    *,
    provider_id: str,
    target_level: CefrLevel | None,
    language_domain: LanguageDomain | None,
    starts_on: date | None,
    planned_by: str,
    now: datetime,
) -> None:
    await conn.execute(
        "INSERT INTO measures (measure_id, participant_id, kind, status, provider_id, target_level, language_domain,"
        " starts_on, planned_by, updated_at) VALUES ($1, $2, $3, 'planned', $4, $5, $6, $7, $8, $9)",
        measure_id,
        participant_id,
        kind.value,
        provider_id,
        target_level and target_level.value,
        language_domain and language_domain.value,
        starts_on,
        planned_by,
        now,
    )


async def update_measure(
    conn: asyncpg.Connection, measure_id: UUID, status: MeasureStatus, now: datetime, **dates: date | None
) -> None:
    """Set the measure's status and the named date columns (enrolled_on, expected_end_on, ended_on)."""
    assignments = "".join(f", {name} = ${i}" for i, name in enumerate(dates, start=4))
    await conn.execute(
        f"UPDATE measures SET status = $2, updated_at = $3{assignments} WHERE measure_id = $1",
        measure_id,
        status.value,
        now,
        *dates.values(),
    )


async def add_certificate(
    conn: asyncpg.Connection,
    participant_id: UUID,
    certificate: str,
    level: CefrLevel,
    domain: LanguageDomain,
    obtained_on: date,
) -> None:
    await conn.execute(
        "INSERT INTO certificates (participant_id, certificate, level, language_domain, obtained_on)"
        " VALUES ($1, $2, $3, $4, $5)",
        participant_id,
        certificate,
        level.value,
        domain.value,
        obtained_on,
    )


async def certificates(conn: asyncpg.Connection, participant_id: UUID) -> tuple[Certificate, ...]:
    rows = await conn.fetch("SELECT level, language_domain FROM certificates WHERE participant_id = $1", participant_id)
    return tuple(Certificate(CefrLevel(r["level"]), LanguageDomain(r["language_domain"])) for r in rows)


async def exam(conn: asyncpg.Connection, participant_id: UUID, exam: ExamKind) -> ExamRecord:
    row = await conn.fetchrow(
        "SELECT attempts, passed FROM exams WHERE participant_id = $1 AND exam = $2", participant_id, exam.value
    )
    return ExamRecord() if row is None else ExamRecord(row["attempts"], row["passed"])


async def save_exam(
    conn: asyncpg.Connection, participant_id: UUID, exam: ExamKind, record: ExamRecord, taken_on: date
) -> None:
    await conn.execute(
        "INSERT INTO exams (participant_id, exam, attempts, passed, last_taken_on) VALUES ($1, $2, $3, $4, $5)"
        " ON CONFLICT (participant_id, exam) DO UPDATE SET attempts = EXCLUDED.attempts,"
        " passed = EXCLUDED.passed, last_taken_on = EXCLUDED.last_taken_on",
        participant_id,
        exam.value,
        record.attempts,
        record.passed,
        taken_on,
    )


async def picture(conn: asyncpg.Connection, row: asyncpg.Record) -> Picture:
    """What completion depends on, read from this schema."""
    pid = row["participant_id"]
    passed = await conn.fetch("SELECT exam FROM exams WHERE participant_id = $1 AND passed", pid)
    return Picture(
        profession=_maybe(Profession, row["target_profession"]),
        certificates=await certificates(conn, pid),
        measures=tuple((MeasureKind(m["kind"]), MeasureStatus(m["status"])) for m in await measures(conn, pid)),
        exams_passed=frozenset(ExamKind(e["exam"]) for e in passed),
        outcome=_maybe(RecognitionOutcome, row["outcome"]),
        chosen=_maybe(CompensationMeasure, row["chosen_compensation"]),
    )


async def highest_certified(conn: asyncpg.Connection, participant_id: UUID) -> CefrLevel | None:
    levels = await conn.fetch("SELECT DISTINCT level FROM certificates WHERE participant_id = $1", participant_id)
    return max((CefrLevel(r["level"]) for r in levels), key=list(CefrLevel).index, default=None)


async def cancel(conn: asyncpg.Connection, participant_id: UUID, measure_ids: Iterable[UUID], now: datetime) -> None:
    """Withdrawal: the open measures are cancelled and the participant's due dates with them."""
    await conn.execute(
        "UPDATE measures SET status = 'cancelled', updated_at = $2 WHERE measure_id = ANY($1::uuid[])",
        list(measure_ids),
        now,
    )
    await conn.execute(
        "UPDATE timers SET cancelled_at = $2 WHERE participant_id = $1 AND fired_at IS NULL AND cancelled_at IS NULL",
        participant_id,
        now,
    )


async def erase(conn: asyncpg.Connection, participant_id: UUID) -> None:
    """Erasure: the participant's plan, measures, certificates and exams (timers and outbox: the unit of work)."""
    await conn.execute("DELETE FROM participants WHERE participant_id = $1", participant_id)  # cascades


def _maybe(enum: type[E], value: str | None) -> E | None:
    return None if value is None else enum(value)
