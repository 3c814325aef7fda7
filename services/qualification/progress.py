"""Steps the use cases share: find the participant and measure, plan what the rules add, complete once settled."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from uuid import UUID

import asyncpg

from services.qualification import store
from services.qualification.domain import (
    AlreadyRecorded,
    MeasureSpec,
    PlanStatus,
    QualificationError,
    is_qualified,
)
from shared.contracts.qualification import MeasurePlanned, QualificationCompleted
from shared.contracts.rejections import RejectionReason
from shared.errors import Rejected
from shared.unit_of_work import UnitOfWork

# MeasurePlanned requires a provider; measures the rules plan have none until a partner takes them on.
UNASSIGNED_PROVIDER = "unassigned"


async def lock_active(conn: asyncpg.Connection, participant_id: UUID) -> asyncpg.Record:
    """The participant's locked row, for a partner's command: known from recruitment, not withdrawn."""
    row = await store.lock(conn, participant_id)
    if row is None or row["target_profession"] is None:
        raise Rejected(RejectionReason.UNKNOWN_PARTICIPANT, f"qualification has no participant {participant_id}")
    if row["status"] != PlanStatus.ACTIVE:
        raise Rejected(RejectionReason.NOT_ALLOWED_IN_STATE, f"the participant is {row['status']}")
    return row


async def measure_of(conn: asyncpg.Connection, participant_id: UUID, measure_id: UUID) -> asyncpg.Record:
    """The participant's measure; the contract has no reason code for an unknown measure, so the state refuses."""
    row = await store.measure(conn, participant_id, measure_id)
    if row is None:
        raise Rejected(
            RejectionReason.NOT_ALLOWED_IN_STATE,
            f"unknown measure: participant {participant_id} has no measure {measure_id}",
        )
    return row


@contextmanager
def refused() -> Iterator[None]:
    """Translate qualification's domain errors into the rejection the sender receives."""
    try:
        yield
    except AlreadyRecorded as error:
        raise Rejected(RejectionReason.ALREADY_EXISTS, str(error)) from None
    except QualificationError as error:
        raise Rejected(RejectionReason.NOT_ALLOWED_IN_STATE, str(error)) from None


async def plan(uow: UnitOfWork, participant_id: UUID, specs: Iterable[MeasureSpec]) -> None:
    """Plan each measure the rules ask for, once: its id derives from the participant, so a repeat finds it."""
    for spec in specs:
        measure_id = spec.measure_id(participant_id)
        if await store.measure_exists(uow.conn, measure_id):
            continue
        await store.insert_measure(
            uow.conn,
            participant_id,
            measure_id,
            spec.kind,
            provider_id=UNASSIGNED_PROVIDER,
            target_level=spec.target_level,
            language_domain=spec.language_domain,
            starts_on=None,
            planned_by="rules",
            now=uow.now,
        )
        await uow.emit(
            MeasurePlanned(
                participant_id=participant_id,
                measure_id=measure_id,
                measure_kind=spec.kind,
                provider_id=UNASSIGNED_PROVIDER,
                target_level=spec.target_level,
                language_domain=spec.language_domain,
                starts_on=None,
            )
        )


async def settle(uow: UnitOfWork, participant_id: UUID, on: date) -> None:
    """Emit QualificationCompleted the first time the whole picture is settled; `on` is the last fact's date."""
    row = await store.lock(uow.conn, participant_id)
    if row is None or row["completed_on"] is not None or row["status"] != PlanStatus.ACTIVE:
        return
    if not is_qualified(await store.picture(uow.conn, row)):
        return
    await store.update(uow.conn, participant_id, uow.now, completed_on=on)
    await uow.emit(
        QualificationCompleted(
            participant_id=participant_id,
            completed_on=on,
            language_level=await store.highest_certified(uow.conn, participant_id),
        )
    )
