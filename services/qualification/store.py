"""asyncpg SQL for the qualification schema: plans in, plans out (a participant's row with its measures,
certificates and exams)."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar
from uuid import UUID

import asyncpg

from services.qualification.domain import Measure, Plan, PlanStatus
from services.qualification.domain.exams import ExamRecord
from services.qualification.domain.language import Certificate
from services.qualification.domain.measures import MeasureStatus
from services.qualification.domain.plan import PlannedBy
from shared.contracts.enums import (
    CefrLevel,
    CompensationMeasure,
    LanguageCertificate,
    Profession,
    RecognitionOutcome,
    Route,
)
from shared.contracts.qualification import ExamKind, ExamPart, LanguageDomain, MeasureKind

E = TypeVar("E", Profession, CefrLevel, RecognitionOutcome, CompensationMeasure, LanguageDomain, Route, ExamPart)

INSERT_PARTICIPANT = """
INSERT INTO participants (participant_id, status, target_profession, language_level, outcome, measures_offered,
    decided_on, chosen_compensation, language_target_reached_on, completed_on, reference_profession, route,
    route_closed_on, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
ON CONFLICT DO NOTHING"""
UPDATE_PARTICIPANT = """
UPDATE participants SET status = $2, target_profession = $3, language_level = $4, outcome = $5,
    measures_offered = $6, decided_on = $7, chosen_compensation = $8, language_target_reached_on = $9,
    completed_on = $10, reference_profession = $11, route = $12, route_closed_on = $13, updated_at = $14
WHERE participant_id = $1"""
WHOLE = ""  # the part of an exam sat whole
# The plan's measures as rows u (array $2..$12, in the plan's order n); $1 is the participant, $13 the time.
MEASURE_ROWS = """
unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::date[], $9::date[], $10::date[],
    $11::date[], $12::text[]) WITH ORDINALITY AS u(measure_id, kind, status, provider_id, target_level,
    language_domain, starts_on, enrolled_on, expected_end_on, ended_on, planned_by, n)"""
UPDATE_MEASURES = f"""
UPDATE measures m SET status = u.status, provider_id = u.provider_id, starts_on = u.starts_on,
    enrolled_on = u.enrolled_on, expected_end_on = u.expected_end_on, ended_on = u.ended_on, updated_at = $13
FROM {MEASURE_ROWS}
WHERE m.measure_id = u.measure_id AND m.participant_id = $1
    AND (m.status, m.provider_id, m.starts_on, m.enrolled_on, m.expected_end_on, m.ended_on)
    IS DISTINCT FROM (u.status, u.provider_id, u.starts_on, u.enrolled_on, u.expected_end_on, u.ended_on)"""
# A plain insert of the measures the participant lacks: an id another participant's measure has fails, rather than
# being taken over or skipped.
INSERT_MEASURES = f"""
INSERT INTO measures (measure_id, participant_id, kind, status, provider_id, target_level, language_domain,
    starts_on, enrolled_on, expected_end_on, ended_on, planned_by, updated_at)
SELECT u.measure_id, $1::uuid, u.kind, u.status, u.provider_id, u.target_level, u.language_domain, u.starts_on,
    u.enrolled_on, u.expected_end_on, u.ended_on, u.planned_by, $13::timestamptz
FROM {MEASURE_ROWS}
WHERE NOT EXISTS (SELECT FROM measures m WHERE m.measure_id = u.measure_id AND m.participant_id = $1)
ORDER BY u.n"""
# Certificates are only ever added, so the stored ones are the first of the plan's: the rest are inserted.
INSERT_CERTIFICATES = """
INSERT INTO certificates (participant_id, certificate, level, language_domain, obtained_on)
SELECT $1::uuid, c.certificate, c.level, c.language_domain, c.obtained_on
FROM unnest($2::text[], $3::text[], $4::text[], $5::date[]) WITH ORDINALITY
    AS c(certificate, level, language_domain, obtained_on, n)
WHERE c.n > (SELECT count(*) FROM certificates WHERE participant_id = $1)
ORDER BY c.n"""
# An exam sat whole is stored with the part '' (a key column cannot be null).
UPSERT_EXAMS = """
INSERT INTO exams (participant_id, exam, part, attempts, passed, last_taken_on)
SELECT $1::uuid, e.* FROM unnest($2::text[], $3::text[], $4::int[], $5::bool[], $6::date[]) AS e
ON CONFLICT (participant_id, exam, part) DO UPDATE
SET attempts = EXCLUDED.attempts, passed = EXCLUDED.passed, last_taken_on = EXCLUDED.last_taken_on
WHERE (exams.attempts, exams.passed, exams.last_taken_on)
    IS DISTINCT FROM (EXCLUDED.attempts, EXCLUDED.passed, EXCLUDED.last_taken_on)"""


async def lock(conn: asyncpg.Connection, participant_id: UUID) -> Plan | None:
    """The participant's plan, locked until the transaction ends (keeps one participant's messages in order)."""
    row = await conn.fetchrow("SELECT * FROM participants WHERE participant_id = $1 FOR UPDATE", participant_id)
    # The rest is read once the lock is granted: each statement sees what the transaction we waited for committed.
    return None if row is None else await _plan(conn, row)


async def lock_or_open(conn: asyncpg.Connection, participant_id: UUID, now: datetime) -> Plan:
    """The plan, locked; the empty plan is stored first when another stage's fact comes before the recruitment
    (stored, not just made up, so that concurrent facts about the participant queue behind one row lock)."""
    await conn.execute(INSERT_PARTICIPANT, participant_id, *_participant(Plan(participant_id)), now)
    plan = await lock(conn, participant_id)
    assert plan is not None
    return plan


async def measure_exists(conn: asyncpg.Connection, measure_id: UUID) -> bool:
    """Whether a measure of any participant has this id (partners choose the ids of the measures they plan)."""
    return bool(await conn.fetchval("SELECT true FROM measures WHERE measure_id = $1", measure_id))


async def save(conn: asyncpg.Connection, plan: Plan, now: datetime) -> None:
    """Store the plan: the participant's row, the measures changed or added, the certificates added, the exams."""
    pid = plan.participant_id
    await conn.execute(UPDATE_PARTICIPANT, pid, *_participant(plan), now)
    if plan.measures:
        measures = _measure_arrays(plan.measures)
        await conn.execute(UPDATE_MEASURES, pid, *measures, now)
        await conn.execute(INSERT_MEASURES, pid, *measures, now)
    if plan.certificates:
        await conn.execute(
            INSERT_CERTIFICATES,
            pid,
            [c.issuer.value for c in plan.certificates],
            [c.level.value for c in plan.certificates],
            [c.domain.value for c in plan.certificates],
            [c.obtained_on for c in plan.certificates],
        )
    if plan.exams:
        await conn.execute(
            UPSERT_EXAMS,
            pid,
            [exam.value for exam, _ in plan.exams],
            [_value(part) or WHOLE for _, part in plan.exams],
            [record.attempts for record in plan.exams.values()],
            [record.passed for record in plan.exams.values()],
            [record.last_taken_on for record in plan.exams.values()],
        )


async def delete(conn: asyncpg.Connection, participant_id: UUID) -> None:
    """Erasure: the participant's plan, measures, certificates and exams (timers and outbox: the unit of work)."""
    await conn.execute("DELETE FROM participants WHERE participant_id = $1", participant_id)  # cascades


async def _plan(conn: asyncpg.Connection, row: asyncpg.Record) -> Plan:
    pid = row["participant_id"]
    measures = await conn.fetch("SELECT * FROM measures WHERE participant_id = $1 ORDER BY seq", pid)
    certificates = await conn.fetch("SELECT * FROM certificates WHERE participant_id = $1 ORDER BY id", pid)
    exams = await conn.fetch("SELECT * FROM exams WHERE participant_id = $1", pid)
    return Plan(
        participant_id=pid,
        status=PlanStatus(row["status"]),
        profession=_maybe(Profession, row["target_profession"]),
        reference_profession=_maybe(Profession, row["reference_profession"]),
        route=_maybe(Route, row["route"]),
        route_closed_on=row["route_closed_on"],
        declared_level=_maybe(CefrLevel, row["language_level"]),
        certificates=tuple(
            Certificate(
                CefrLevel(c["level"]),
                LanguageDomain(c["language_domain"]),
                LanguageCertificate(c["certificate"]),
                c["obtained_on"],
            )
            for c in certificates
        ),
        measures=tuple(_measure(m) for m in measures),
        exams={
            (ExamKind(e["exam"]), _maybe(ExamPart, e["part"] or None)): ExamRecord(
                e["attempts"], e["passed"], e["last_taken_on"]
            )
            for e in exams
        },
        outcome=_maybe(RecognitionOutcome, row["outcome"]),
        decided_on=row["decided_on"],
        measures_offered=frozenset(CompensationMeasure(m) for m in row["measures_offered"]),
        chosen=_maybe(CompensationMeasure, row["chosen_compensation"]),
        language_target_reached_on=row["language_target_reached_on"],
        completed_on=row["completed_on"],
    )


def _measure(row: asyncpg.Record) -> Measure:
    return Measure(
        measure_id=row["measure_id"],
        kind=MeasureKind(row["kind"]),
        status=MeasureStatus(row["status"]),
        provider_id=row["provider_id"],
        planned_by=PlannedBy(row["planned_by"]),
        target_level=_maybe(CefrLevel, row["target_level"]),
        language_domain=_maybe(LanguageDomain, row["language_domain"]),
        starts_on=row["starts_on"],
        enrolled_on=row["enrolled_on"],
        expected_end_on=row["expected_end_on"],
        ended_on=row["ended_on"],
    )


def _participant(plan: Plan) -> tuple[object, ...]:
    """$2..$13 of INSERT_PARTICIPANT and UPDATE_PARTICIPANT."""
    return (
        plan.status.value,
        _value(plan.profession),
        _value(plan.declared_level),
        _value(plan.outcome),
        sorted(m.value for m in plan.measures_offered),
        plan.decided_on,
        _value(plan.chosen),
        plan.language_target_reached_on,
        plan.completed_on,
        _value(plan.reference_profession),
        _value(plan.route),
        plan.route_closed_on,
    )


def _measure_arrays(measures: tuple[Measure, ...]) -> tuple[list[object], ...]:
    """The measures column by column, as MEASURE_ROWS takes them ($2..$12)."""
    return (
        [m.measure_id for m in measures],
        [m.kind.value for m in measures],
        [m.status.value for m in measures],
        [m.provider_id for m in measures],
        [_value(m.target_level) for m in measures],
        [_value(m.language_domain) for m in measures],
        [m.starts_on for m in measures],
        [m.enrolled_on for m in measures],
        [m.expected_end_on for m in measures],
        [m.ended_on for m in measures],
        [m.planned_by.value for m in measures],
    )


def _maybe(enum: type[E], value: str | None) -> E | None:
    return None if value is None else enum(value)


def _value(member: E | None) -> str | None:
    return None if member is None else member.value
