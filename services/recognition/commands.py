"""Recognition's use cases: one function per command on `journey.recognition.commands`."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from services.recognition import deadlines, store
from services.recognition.domain import Case, InvalidCommand, Licence, NotAllowed, Outcome, Track
from shared.contracts.recognition import (
    ApplicationCompleted,
    ApplicationSubmitted,
    ChooseCompensationMeasure,
    CompensationMeasureChosen,
    CompleteApplication,
    ConfirmReceipt,
    CounsellingHeld,
    DeadlineExtended,
    ExtendDeadline,
    GrantLicence,
    LicenceGranted,
    ReceiptConfirmed,
    RecognitionDecided,
    RecordCounselling,
    RecordDecision,
    SubmitApplication,
)
from shared.contracts.rejections import RejectionReason
from shared.errors import Rejected
from shared.unit_of_work import UnitOfWork


async def record_counselling(uow: UnitOfWork, cmd: RecordCounselling) -> None:
    await _change(uow, cmd.participant_id, lambda case: case.record_counselling())
    await uow.emit(CounsellingHeld(participant_id=cmd.participant_id, held_on=cmd.held_on, partner_org=cmd.partner_org))


async def submit_application(uow: UnitOfWork, cmd: SubmitApplication) -> None:
    await _change(uow, cmd.participant_id, lambda case: case.submit(cmd.reference_profession, Track(cmd.track)))
    await uow.emit(ApplicationSubmitted(**cmd.model_dump()))


async def confirm_receipt(uow: UnitOfWork, cmd: ConfirmReceipt) -> None:
    await _change(uow, cmd.participant_id, lambda case: case.confirm_receipt())
    await uow.emit(ReceiptConfirmed(**cmd.model_dump()))


async def complete_application(uow: UnitOfWork, cmd: CompleteApplication) -> None:
    _, case = await _change(uow, cmd.participant_id, lambda case: case.complete(cmd.complete_on))
    await deadlines.set_decision_due(uow, case)
    assert case.decision_due_on is not None  # complete() always sets it
    await uow.emit(
        ApplicationCompleted(
            participant_id=cmd.participant_id, complete_on=cmd.complete_on, decision_due_on=case.decision_due_on
        )
    )


async def extend_deadline(uow: UnitOfWork, cmd: ExtendDeadline) -> None:
    before, after = await _change(uow, cmd.participant_id, lambda case: case.extend(cmd.new_decision_due_on))
    await deadlines.cancel_decision_due(uow, before)
    await deadlines.set_decision_due(uow, after)
    assert before.decision_due_on is not None  # a complete case has one
    await uow.emit(
        DeadlineExtended(
            participant_id=cmd.participant_id,
            decision_due_on=cmd.new_decision_due_on,
            previous_decision_due_on=before.decision_due_on,
            reason=cmd.reason,
        )
    )


async def record_decision(uow: UnitOfWork, cmd: RecordDecision) -> None:
    measures = frozenset(str(m) for m in cmd.measures_offered)
    before, _ = await _change(uow, cmd.participant_id, lambda case: case.decide(Outcome(cmd.outcome), measures))
    await deadlines.cancel_decision_due(uow, before)
    await uow.emit(RecognitionDecided(**cmd.model_dump()))


async def choose_compensation_measure(uow: UnitOfWork, cmd: ChooseCompensationMeasure) -> None:
    await _change(uow, cmd.participant_id, lambda case: case.choose(str(cmd.measure)))
    await uow.emit(CompensationMeasureChosen(**cmd.model_dump()))


async def grant_licence(uow: UnitOfWork, cmd: GrantLicence) -> None:
    licence = Licence(cmd.licence)
    before, after = await _change(
        uow, cmd.participant_id, lambda case: case.grant(licence, cmd.granted_on, cmd.valid_until)
    )
    await deadlines.cancel_permit_expiry(uow, before)  # any new licence supersedes a Berufserlaubnis
    await deadlines.set_permit_expiry(uow, after)
    await uow.emit(LicenceGranted(**cmd.model_dump()))


async def _change(uow: UnitOfWork, participant_id: UUID, change: Callable[[Case], Case]) -> tuple[Case, Case]:
    """Lock the case, apply the rule, save the result: (before, after); a refusal becomes a rejection."""
    before = await store.lock(uow.conn, participant_id)
    if before is None:
        raise Rejected(RejectionReason.UNKNOWN_PARTICIPANT, f"no recognition case for participant {participant_id}")
    try:
        after = change(before)
    except NotAllowed as error:
        raise Rejected(RejectionReason.NOT_ALLOWED_IN_STATE, str(error)) from None
    except InvalidCommand as error:
        raise Rejected(RejectionReason.INVALID_PAYLOAD, str(error), [(error.field, error.problem)]) from None
    await store.save(uow.conn, after, uow.now)
    return before, after
