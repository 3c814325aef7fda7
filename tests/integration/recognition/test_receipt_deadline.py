"""The receipt deadline on the real broker and database: set on submission, cancelled by the confirmation or a
withdrawal, and a missed one raises ReceiptOverdue exactly once."""

from __future__ import annotations

from datetime import date, timedelta

from shared.contracts.enums import RecognitionTrack
from shared.contracts.recognition import (
    ApplicationSubmitted,
    ConfirmReceipt,
    ReceiptConfirmed,
    ReceiptOverdue,
)
from shared.contracts.recruitment import ParticipantWithdrawn, WithdrawalReason
from tests.integration.recognition.journey import (
    EVENTS,
    case_row,
    eventually,
    handled,
    let_time_pass,
    open_case,
    publish_fact,
    submit,
    timers,
)
from tests.support.infra import Infra
from tests.support.kafka import Partner, Tap, for_participant
from tests.support.processes import ServiceProcess

OVERDUE = ReceiptOverdue.ce_type()


async def test_a_submission_reported_after_its_receipt_month_is_overdue_once_with_the_month_clamped(
    infra: Infra, partner: Partner, recognition: ServiceProcess
) -> None:
    async with Tap(infra.kafka, EVENTS) as events:
        pid = await open_case(partner, events)
        await partner.send(submit(pid, submitted_on=date(2025, 1, 31)))
        [submitted] = await events.wait_for(for_participant(pid, ApplicationSubmitted.ce_type()))
        overdue = await events.wait_for(for_participant(pid, OVERDUE), settle_s=3)  # six more sweeps

    assert submitted.body["receipt_due_on"] == "2025-02-28"  # one month; there is no 31 February
    assert [r.body for r in overdue] == [
        {
            "participant_id": str(pid),
            "submitted_on": "2025-01-31",
            "receipt_due_on": "2025-02-28",
            "track": "standard",
        }
    ]
    [timer] = await timers(infra, pid, "receipt_due")
    assert timer["timer_id"] == f"receipt_due:{pid}:2025-02-28" and timer["fired_at"] is not None
    row = await case_row(infra, pid)
    assert row is not None and row["state"] == "submitted"  # the overdue receipt changes nothing but is told


async def test_on_the_fast_track_two_weeks_pass_and_only_the_unconfirmed_application_is_overdue(
    infra: Infra, partner: Partner, recognition: ServiceProcess
) -> None:
    today, fast = date.today(), RecognitionTrack.FAST_TRACK_81A
    async with Tap(infra.kafka, EVENTS) as events:
        confirmed = await open_case(partner, events)
        withdrawn = await open_case(partner, events)
        forgotten = await open_case(partner, events)  # neither: the control
        for pid in (confirmed, withdrawn, forgotten):
            await partner.send(submit(pid, track=fast))
        submitted = await events.wait_for(
            lambda r: r.ce_type == ApplicationSubmitted.ce_type() and r.key == str(forgotten)
        )
        await partner.send(ConfirmReceipt(participant_id=confirmed, received_on=today))
        await events.wait_for(for_participant(confirmed, ReceiptConfirmed.ce_type()))
        withdrawal = await publish_fact(
            partner,
            ParticipantWithdrawn(participant_id=withdrawn, reason=WithdrawalReason.MOVED_AWAY, withdrawn_on=today),
        )
        await eventually(lambda: handled(infra, withdrawal))
        for pid in (confirmed, withdrawn, forgotten):
            await let_time_pass(infra, pid)
        found = await events.wait_for(
            lambda r: r.ce_type == OVERDUE and r.key in {str(confirmed), str(withdrawn), str(forgotten)}, settle_s=3
        )

    due = (today + timedelta(weeks=2)).isoformat()
    assert [r.body["receipt_due_on"] for r in submitted] == [due]
    assert [(r.key, r.body["track"], r.body["receipt_due_on"]) for r in found] == [
        (str(forgotten), "fast_track_81a", due)
    ]
    for pid in (confirmed, withdrawn):
        [timer] = await timers(infra, pid, "receipt_due")
        assert timer["cancelled_at"] is not None and timer["fired_at"] is None
