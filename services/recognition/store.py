"""asyncpg SQL for the recognition schema: cases in, cases out."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TypeVar
from uuid import UUID

import asyncpg

from services.recognition.domain import Case, CaseState, Licence, Outcome, Track
from shared.contracts.enums import Route

E = TypeVar("E", bound=StrEnum)

COLUMNS = (
    "state, target_profession, reference_profession, track, decision_due_on, extended, outcome, measures_offered,"
    " measure, licence, valid_until, first_permit_on, route, country_of_training, occupation, qualified_on,"
    " finally_failed, finally_failed_on, documents_due_on, missing_documents, training_profession, submitted_on,"
    " closed_from, closed_at, language_level, residence, partnership_employer"
)
NAMES = COLUMNS.split(", ")
SETS = ", ".join(f"{name} = ${n}" for n, name in enumerate(NAMES, start=3))  # $1 the participant, $2 the time
VALUES = ", ".join(f"${n}" for n in range(3, 3 + len(NAMES)))


async def lock(conn: asyncpg.Connection, participant_id: UUID) -> Case | None:
    """The participant's case, locked until the transaction ends (keeps one participant's events in order)."""
    row = await conn.fetchrow(f"SELECT {COLUMNS} FROM cases WHERE participant_id = $1 FOR UPDATE", participant_id)
    if row is None:
        return None
    return Case(
        participant_id=participant_id,
        state=CaseState(row["state"]),
        target_profession=row["target_profession"],
        reference_profession=row["reference_profession"],
        track=_code(Track, row["track"]),
        decision_due_on=row["decision_due_on"],
        extended=row["extended"],
        outcome=_code(Outcome, row["outcome"]),
        measures_offered=frozenset(row["measures_offered"]),
        measure=row["measure"],
        licence=_code(Licence, row["licence"]),
        valid_until=row["valid_until"],
        first_permit_on=row["first_permit_on"],
        route=_code(Route, row["route"]),
        country_of_training=row["country_of_training"],
        occupation=row["occupation"],
        qualified_on=row["qualified_on"],
        finally_failed=row["finally_failed"],
        finally_failed_on=row["finally_failed_on"],
        documents_due_on=row["documents_due_on"],
        missing_documents=frozenset(row["missing_documents"]),
        training_profession=row["training_profession"],
        submitted_on=row["submitted_on"],
        closed_from=_code(CaseState, row["closed_from"]),
        closed_at=row["closed_at"],
        language_level=row["language_level"],
        residence=row["residence"],
        partnership_employer=row["partnership_employer"],
    )


async def insert(conn: asyncpg.Connection, case: Case, now: datetime) -> None:
    await conn.execute(
        f"INSERT INTO cases (participant_id, opened_at, updated_at, {COLUMNS}) VALUES ($1, $2, $2, {VALUES})",
        case.participant_id,
        now,
        *_columns(case),
    )


async def save(conn: asyncpg.Connection, case: Case, now: datetime) -> None:
    await conn.execute(
        f"UPDATE cases SET updated_at = $2, {SETS} WHERE participant_id = $1",
        case.participant_id,
        now,
        *_columns(case),
    )


async def delete(conn: asyncpg.Connection, participant_id: UUID) -> None:
    """Erasure: the participant's case (waits for whatever still works on it)."""
    await conn.execute("DELETE FROM cases WHERE participant_id = $1", participant_id)


def _columns(case: Case) -> tuple[object, ...]:
    """The values of `COLUMNS`, in its order."""
    return (
        case.state.value,
        case.target_profession,
        case.reference_profession,
        _value(case.track),
        case.decision_due_on,
        case.extended,
        _value(case.outcome),
        sorted(case.measures_offered),
        case.measure,
        _value(case.licence),
        case.valid_until,
        case.first_permit_on,
        _value(case.route),
        case.country_of_training,
        case.occupation,
        case.qualified_on,
        case.finally_failed,
        case.finally_failed_on,
        case.documents_due_on,
        sorted(case.missing_documents),
        case.training_profession,
        case.submitted_on,
        _value(case.closed_from),
        case.closed_at,
        case.language_level,
        case.residence,
        case.partnership_employer,
    )


def _code(kind: type[E], value: str | None) -> E | None:
    return None if value is None else kind(value)


def _value(code: StrEnum | None) -> str | None:
    return None if code is None else code.value
