"""Qualification's use cases for partners' commands: one function per command it accepts."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from services.qualification import domain, store
from services.qualification.domain import MeasureStatus
from services.qualification.progress import lock_active, measure_of, refused, settle
from shared.contracts.enums import Profession
from shared.contracts.qualification import (
    CompleteMeasure,
    DropMeasure,
    EnrolInMeasure,
    EnrolledInMeasure,
    ExamFailed,
    ExamPassed,
    LanguageCertificateObtained,
    LanguageTargetReached,
    MeasureCompleted,
    MeasureDropped,
    MeasureKind,
    MeasurePlanned,
    PlanMeasure,
    RecordExamResult,
    RecordLanguageCertificate,
)
from shared.contracts.rejections import RejectionReason
from shared.errors import Rejected
from shared.unit_of_work import UnitOfWork


async def plan_measure(uow: UnitOfWork, cmd: PlanMeasure) -> None:
    await lock_active(uow.conn, cmd.participant_id)
    if await store.measure_exists(uow.conn, cmd.measure_id):
        raise Rejected(RejectionReason.ALREADY_EXISTS, f"measure {cmd.measure_id} is planned already")
    await store.insert_measure(
        uow.conn,
        cmd.participant_id,
        cmd.measure_id,
        cmd.measure_kind,
        provider_id=cmd.provider_id,
        target_level=cmd.target_level,
        language_domain=cmd.language_domain,
        starts_on=cmd.starts_on,
        planned_by="partner",
        now=uow.now,
    )
    await uow.emit(MeasurePlanned(**cmd.model_dump()))


async def enrol_in_measure(uow: UnitOfWork, cmd: EnrolInMeasure) -> None:
    await lock_active(uow.conn, cmd.participant_id)
    kind, status = _state(await measure_of(uow.conn, cmd.participant_id, cmd.measure_id))
    with refused():
        status = domain.enrol(kind, status)
    await store.update_measure(
        uow.conn, cmd.measure_id, status, uow.now, enrolled_on=cmd.enrolled_on, expected_end_on=cmd.expected_end_on
    )
    await uow.emit(EnrolledInMeasure(**cmd.model_dump(), measure_kind=kind))


async def complete_measure(uow: UnitOfWork, cmd: CompleteMeasure) -> None:
    await lock_active(uow.conn, cmd.participant_id)
    kind, status = _state(await measure_of(uow.conn, cmd.participant_id, cmd.measure_id))
    with refused():
        status = domain.complete(kind, status)
    await store.update_measure(uow.conn, cmd.measure_id, status, uow.now, ended_on=cmd.completed_on)
    await uow.emit(MeasureCompleted(**cmd.model_dump(), measure_kind=kind))
    await settle(uow, cmd.participant_id, cmd.completed_on)


async def drop_measure(uow: UnitOfWork, cmd: DropMeasure) -> None:
    await lock_active(uow.conn, cmd.participant_id)
    kind, status = _state(await measure_of(uow.conn, cmd.participant_id, cmd.measure_id))
    with refused():
        status = domain.drop(kind, status)
    await store.update_measure(uow.conn, cmd.measure_id, status, uow.now, ended_on=cmd.dropped_on)
    await uow.emit(MeasureDropped(**cmd.model_dump(), measure_kind=kind))
    await settle(uow, cmd.participant_id, cmd.dropped_on)


async def record_language_certificate(uow: UnitOfWork, cmd: RecordLanguageCertificate) -> None:
    pid = cmd.participant_id
    row = await lock_active(uow.conn, pid)
    if cmd.measure_id is not None:
        kind, _ = _state(await measure_of(uow.conn, pid, cmd.measure_id))
        if kind is not MeasureKind.LANGUAGE_COURSE:
            raise Rejected(RejectionReason.NOT_ALLOWED_IN_STATE, f"a certificate cannot come from a {kind.value}")
    await store.add_certificate(uow.conn, pid, cmd.certificate.value, cmd.level, cmd.language_domain, cmd.obtained_on)
    await uow.emit(LanguageCertificateObtained(**cmd.model_dump(exclude={"measure_id"})))
    profession = Profession(row["target_profession"])
    target = domain.target_level(profession)
    reached = domain.language_target_reached(profession, await store.certificates(uow.conn, pid))
    if row["language_target_reached_on"] is None and target is not None and reached:
        await store.update(uow.conn, pid, uow.now, language_target_reached_on=cmd.obtained_on)
        await uow.emit(
            LanguageTargetReached(
                participant_id=pid,
                level=cmd.level,
                target_level=target,
                language_domain=cmd.language_domain,
                reached_on=cmd.obtained_on,
            )
        )
    await settle(uow, pid, cmd.obtained_on)


async def record_exam_result(uow: UnitOfWork, cmd: RecordExamResult) -> None:
    pid = cmd.participant_id
    row = await lock_active(uow.conn, pid)
    measure = await _measure_for_exam(uow.conn, cmd)
    limit = domain.attempt_limit(cmd.exam, Profession(row["target_profession"]))
    with refused():
        record = domain.sit_exam(cmd.exam, await store.exam(uow.conn, pid, cmd.exam), cmd.attempt, cmd.result, limit)
    await store.save_exam(uow.conn, pid, cmd.exam, record, cmd.taken_on)
    measure_id: UUID | None = None
    if measure is not None:
        measure_id, (kind, status) = measure["measure_id"], _state(measure)
        after = domain.measure_after_exam(kind, status, record, limit)
        if after is not status:
            await store.update_measure(uow.conn, measure["measure_id"], after, uow.now, ended_on=cmd.taken_on)
    event = ExamPassed if record.passed else ExamFailed
    await uow.emit(
        event(participant_id=pid, exam=cmd.exam, attempt=cmd.attempt, taken_on=cmd.taken_on, measure_id=measure_id)
    )
    await settle(uow, pid, cmd.taken_on)


async def _measure_for_exam(conn: asyncpg.Connection, cmd: RecordExamResult) -> asyncpg.Record | None:
    """The measure the command names, else the open preparation the exam ends (knowledge or aptitude test)."""
    if cmd.measure_id is not None:
        measure = await measure_of(conn, cmd.participant_id, cmd.measure_id)
        with refused():
            domain.check_exam_measure(cmd.exam, *_state(measure))
        return measure
    kind = domain.MEASURE_FOR_EXAM[cmd.exam]
    if kind not in domain.EXAM_ENDS:
        return None
    candidates = [m for m in await store.measures(conn, cmd.participant_id) if domain.is_open(*_state(m))]
    return next((m for m in candidates if m["kind"] == kind), None)


def _state(measure: asyncpg.Record) -> tuple[MeasureKind, MeasureStatus]:
    return MeasureKind(measure["kind"]), MeasureStatus(measure["status"])
