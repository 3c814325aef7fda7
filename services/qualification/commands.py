"""Qualification's use cases for partners' commands: one per command; each loads the plan, lets the domain decide,
saves, emits."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from services.qualification import domain, store
from services.qualification.domain import Plan
from shared.calendar import german_date
from shared.contracts.qualification import (
    AssignProvider,
    CompleteMeasure,
    DropMeasure,
    EnrolInMeasure,
    PlanMeasure,
    RecordExamResult,
    RecordLanguageCertificate,
)
from shared.decision import Decision
from shared.handling import change
from shared.unit_of_work import UnitOfWork


async def plan_measure(uow: UnitOfWork, cmd: PlanMeasure) -> None:
    in_use = await store.measure_exists(uow.conn, cmd.measure_id)  # partners choose ids; they are unique over all
    today = german_date(uow.now)
    await _change(uow, cmd.participant_id, lambda plan: domain.plan_measure(plan, cmd, id_in_use=in_use, today=today))


async def assign_provider(uow: UnitOfWork, cmd: AssignProvider) -> None:
    await _change(uow, cmd.participant_id, lambda plan: domain.assign_provider(plan, cmd))


async def enrol_in_measure(uow: UnitOfWork, cmd: EnrolInMeasure) -> None:
    await _change(uow, cmd.participant_id, lambda plan: domain.enrol_in_measure(plan, cmd))


async def record_language_certificate(uow: UnitOfWork, cmd: RecordLanguageCertificate) -> None:
    await _change(uow, cmd.participant_id, lambda plan: domain.record_language_certificate(plan, cmd))


async def record_exam_result(uow: UnitOfWork, cmd: RecordExamResult) -> None:
    await _change(uow, cmd.participant_id, lambda plan: domain.record_exam_result(plan, cmd))


async def complete_measure(uow: UnitOfWork, cmd: CompleteMeasure) -> None:
    await _change(uow, cmd.participant_id, lambda plan: domain.complete_measure(plan, cmd))


async def drop_measure(uow: UnitOfWork, cmd: DropMeasure) -> None:
    await _change(uow, cmd.participant_id, lambda plan: domain.drop_measure(plan, cmd))


async def _change(uow: UnitOfWork, participant_id: UUID, decide: Callable[[Plan], Decision[Plan]]) -> None:
    missing = f"qualification has no participant {participant_id}"
    await change(uow, participant_id, load=store.lock, save=store.save, decide=decide, missing=missing)
