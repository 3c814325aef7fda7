"""Recognition's use cases: one function per command on `journey.recognition.commands`; each loads the case, lets
the domain decide, saves, and records the facts and due dates."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from services.recognition import domain, store
from services.recognition.domain import Case
from shared.contracts.recognition import (
    ChooseCompensationMeasure,
    CompleteApplication,
    CompleteTraining,
    ConfirmReceipt,
    ExtendDeadline,
    GrantLicence,
    RecordComparabilityStatement,
    RecordCounselling,
    RecordDecision,
    RecordNoRecognitionNeeded,
    StartTraining,
    SubmitApplication,
)
from shared.decision import Decision
from shared.handling import change
from shared.unit_of_work import UnitOfWork


async def record_counselling(uow: UnitOfWork, cmd: RecordCounselling) -> None:
    await _change(uow, cmd.participant_id, lambda case: domain.record_counselling(case, cmd))


async def submit_application(uow: UnitOfWork, cmd: SubmitApplication) -> None:
    await _change(uow, cmd.participant_id, lambda case: domain.submit(case, cmd))


async def confirm_receipt(uow: UnitOfWork, cmd: ConfirmReceipt) -> None:
    await _change(uow, cmd.participant_id, lambda case: domain.confirm_receipt(case, cmd))


async def complete_application(uow: UnitOfWork, cmd: CompleteApplication) -> None:
    await _change(uow, cmd.participant_id, lambda case: domain.complete(case, cmd))


async def extend_deadline(uow: UnitOfWork, cmd: ExtendDeadline) -> None:
    await _change(uow, cmd.participant_id, lambda case: domain.extend(case, cmd))


async def record_decision(uow: UnitOfWork, cmd: RecordDecision) -> None:
    await _change(uow, cmd.participant_id, lambda case: domain.decide(case, cmd))


async def choose_compensation_measure(uow: UnitOfWork, cmd: ChooseCompensationMeasure) -> None:
    await _change(uow, cmd.participant_id, lambda case: domain.choose(case, cmd))


async def grant_licence(uow: UnitOfWork, cmd: GrantLicence) -> None:
    await _change(uow, cmd.participant_id, lambda case: domain.grant(case, cmd))


async def record_comparability_statement(uow: UnitOfWork, cmd: RecordComparabilityStatement) -> None:
    await _change(uow, cmd.participant_id, lambda case: domain.state_comparability(case, cmd))


async def record_no_recognition_needed(uow: UnitOfWork, cmd: RecordNoRecognitionNeeded) -> None:
    await _change(uow, cmd.participant_id, lambda case: domain.not_needed(case, cmd))


async def start_training(uow: UnitOfWork, cmd: StartTraining) -> None:
    await _change(uow, cmd.participant_id, lambda case: domain.start_training(case, cmd))


async def complete_training(uow: UnitOfWork, cmd: CompleteTraining) -> None:
    await _change(uow, cmd.participant_id, lambda case: domain.complete_training(case, cmd))


async def _change(uow: UnitOfWork, participant_id: UUID, decide: Callable[[Case], Decision[Case]]) -> None:
    missing = f"no recognition case for participant {participant_id}"
    await change(uow, participant_id, load=store.lock, save=store.save, decide=decide, missing=missing)
