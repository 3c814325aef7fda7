"""A participant who dropped out comes back, on the real broker and database: the closed case reopens in the state
it was closed in, takes that state's next command, and its legal due date is set again and raised once."""

from __future__ import annotations

import uuid
from datetime import date

from shared.contracts.recognition import (
    ApplicationCompleted,
    CompleteApplication,
    ConfirmReceipt,
    DecisionOverdue,
    ReceiptConfirmed,
)
from shared.contracts.recruitment import (
    ParticipantReactivated,
    ParticipantStatus,
    ParticipantWithdrawn,
    WithdrawalReason,
)
from shared.contracts.rejections import RejectionReason
from tests.integration.recognition.journey import (
    EVENTS,
    REJECTIONS,
    case_row,
    complete_case,
    let_time_pass,
    name,
    open_case,
    submit,
    tell,
    timers,
)
from tests.support.infra import Infra
from tests.support.kafka import Partner, Tap, for_participant
from tests.support.processes import ServiceProcess


def withdrawal(pid: uuid.UUID) -> ParticipantWithdrawn:
    return ParticipantWithdrawn(participant_id=pid, reason=WithdrawalReason.MOVED_AWAY, withdrawn_on=date.today())


def reactivation(pid: uuid.UUID) -> ParticipantReactivated:
    return ParticipantReactivated(
        participant_id=pid, reactivated_on=date.today(), previous_status=ParticipantStatus.WITHDRAWN
    )


async def test_a_case_closed_in_receipt_confirmed_refuses_completion_until_the_participant_is_back(
    infra: Infra, partner: Partner, recognition: ServiceProcess
) -> None:
    today = date.today()
    async with Tap(infra.kafka, EVENTS) as events, Tap(infra.kafka, REJECTIONS) as rejections:
        pid = await open_case(partner, events)
        await partner.send(submit(pid))
        await partner.send(ConfirmReceipt(participant_id=pid, received_on=today))
        await events.wait_for(for_participant(pid, ReceiptConfirmed.ce_type()))
        await tell(partner, infra, withdrawal(pid))
        refused_id = await partner.send(CompleteApplication(participant_id=pid, complete_on=today))
        [rejection] = await rejections.wait_for(for_participant(pid))
        await tell(partner, infra, reactivation(pid))
        await partner.send(CompleteApplication(participant_id=pid, complete_on=today))  # the next valid command
        [completed] = await events.wait_for(for_participant(pid, ApplicationCompleted.ce_type()))
        found = await events.wait_for(for_participant(pid), count=4, settle_s=1)

    assert rejection.body["reason"] == RejectionReason.NOT_ALLOWED_IN_STATE
    assert rejection.body["rejected_id"] == refused_id
    assert "the case is closed; allowed now: nothing" in rejection.body["message"]
    assert [name(r) for r in found] == [
        "RecognitionCaseOpened",
        "ApplicationSubmitted",
        "ReceiptConfirmed",
        "ApplicationCompleted",
    ]
    row = await case_row(infra, pid)
    assert row is not None and (row["state"], row["closed_from"], row["closed_at"]) == ("complete", None, None)
    [decision_due] = await timers(infra, pid, "decision_due")
    assert decision_due["timer_id"] == f"decision_due:{pid}:{completed.body['decision_due_on']}"


async def test_the_decision_due_date_the_withdrawal_dropped_is_set_again_and_raised_once(
    infra: Infra, partner: Partner, recognition: ServiceProcess
) -> None:
    async with Tap(infra.kafka, EVENTS) as events:
        pid, due = await complete_case(partner, events, date.today())
        await tell(partner, infra, withdrawal(pid))
        [dropped] = await timers(infra, pid, "decision_due")
        await tell(partner, infra, reactivation(pid))
        reopened = await case_row(infra, pid)
        await tell(partner, infra, reactivation(pid))  # the same fact again under another id: changes nothing
        [set_again] = await timers(infra, pid, "decision_due")
        told_again = await case_row(infra, pid)
        await let_time_pass(infra, pid)
        overdue = await events.wait_for(for_participant(pid, DecisionOverdue.ce_type()), settle_s=3)

    assert dropped["cancelled_at"] is not None
    assert set_again["timer_id"] == dropped["timer_id"] == f"decision_due:{pid}:{due.isoformat()}"
    assert (set_again["cancelled_at"], set_again["fired_at"]) == (None, None)
    assert set_again["due_at"] == dropped["due_at"]  # its own day: the end of the decision due date
    assert reopened is not None and reopened["state"] == "complete"
    assert told_again == reopened
    assert [r.body["decision_due_on"] for r in overdue] == [due.isoformat()]
