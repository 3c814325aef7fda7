"""Qualification's copy of other stages' facts: one function per recruitment or recognition event it uses."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from services.qualification import domain, store
from services.qualification.domain import MeasureStatus, PlanStatus
from services.qualification.progress import plan, settle
from shared.contracts.enums import CefrLevel, Profession
from shared.contracts.qualification import MeasureKind
from shared.contracts.recognition import CompensationMeasureChosen, RecognitionDecided
from shared.contracts.recruitment import IntakeRecorded, ParticipantErased, ParticipantRecruited, ParticipantWithdrawn
from shared.unit_of_work import UnitOfWork


async def participant_recruited(uow: UnitOfWork, event: ParticipantRecruited) -> None:
    await _profile(uow, event.participant_id, event.target_profession, event.language_level, uow.now.date())


async def intake_recorded(uow: UnitOfWork, event: IntakeRecorded) -> None:
    await _profile(uow, event.participant_id, event.target_profession, event.language_level, event.recorded_on)


async def participant_withdrawn(uow: UnitOfWork, event: ParticipantWithdrawn) -> None:
    pid = event.participant_id
    if await store.lock(uow.conn, pid) is None:
        return
    still_open = [
        m["measure_id"]
        for m in await store.measures(uow.conn, pid)
        if domain.is_open(MeasureKind(m["kind"]), MeasureStatus(m["status"]))
    ]
    await store.cancel(uow.conn, pid, still_open, uow.now)
    await store.update(uow.conn, pid, uow.now, status=PlanStatus.WITHDRAWN.value)


async def participant_erased(uow: UnitOfWork, event: ParticipantErased) -> None:
    await store.lock(uow.conn, event.participant_id)
    await store.erase(uow.conn, event.participant_id)
    await uow.forget_participant(event.participant_id)


async def recognition_decided(uow: UnitOfWork, event: RecognitionDecided) -> None:
    pid = event.participant_id
    await store.lock_or_create(uow.conn, pid, uow.now)
    await store.update(
        uow.conn,
        pid,
        uow.now,
        outcome=event.outcome.value,
        decided_on=event.decided_on,
        measures_offered=sorted(m.value for m in event.measures_offered),
    )
    await settle(uow, pid, event.decided_on)


async def compensation_measure_chosen(uow: UnitOfWork, event: CompensationMeasureChosen) -> None:
    pid = event.participant_id
    row = await store.lock_or_create(uow.conn, pid, uow.now)
    await store.update(uow.conn, pid, uow.now, chosen_compensation=event.measure.value)
    if row["status"] != PlanStatus.ACTIVE:
        return
    measures = [(MeasureKind(m["kind"]), MeasureStatus(m["status"])) for m in await store.measures(uow.conn, pid)]
    spec = domain.compensation_to_plan(event.measure, measures)
    await plan(uow, pid, [] if spec is None else [spec])
    await settle(uow, pid, event.chosen_on)


async def _profile(uow: UnitOfWork, pid: UUID, profession: Profession, level: CefrLevel, on: date) -> None:
    """Recruitment and intake tell the target profession and declared level; plan the language courses missing."""
    row = await store.lock_or_create(uow.conn, pid, uow.now)
    await store.update(uow.conn, pid, uow.now, target_profession=profession.value, language_level=level.value)
    if row["status"] != PlanStatus.ACTIVE:
        return
    await plan(uow, pid, domain.language_courses(profession, level, await store.certificates(uow.conn, pid)))
    await settle(uow, pid, on)
