"""Commands that do not fit the case are refused with a reason and change nothing; redeliveries are skipped."""

from __future__ import annotations

import uuid
from datetime import date

from shared.contracts.enums import CompensationMeasure, RecognitionOutcome
from shared.contracts.recognition import (
    ApplicationSubmitted,
    ChooseCompensationMeasure,
    CompleteApplication,
    RecordCounselling,
    RecordDecision,
)
from shared.contracts.rejections import RejectionReason
from tests.integration.recognition.journey import (
    EVENTS,
    REJECTIONS,
    case_row,
    complete_case,
    name,
    open_case,
    query,
    submit,
    timers,
)
from tests.support.infra import Infra
from tests.support.kafka import Partner, Tap, for_participant
from tests.support.processes import ServiceProcess


async def test_a_command_out_of_order_is_rejected_naming_the_state_and_changes_nothing(
    infra: Infra, partner: Partner, recognition: ServiceProcess
) -> None:
    async with Tap(infra.kafka, EVENTS) as events, Tap(infra.kafka, REJECTIONS) as rejections:
        pid = await open_case(partner, events)
        refused_id = await partner.send(CompleteApplication(participant_id=pid, complete_on=date(2025, 3, 10)))
        await partner.send(submit(pid))  # the next command still applies
        [rejection] = await rejections.wait_for(for_participant(pid))
        found = await events.wait_for(for_participant(pid), count=2, settle_s=1)

    assert rejection.body["reason"] == RejectionReason.NOT_ALLOWED_IN_STATE
    assert rejection.body["rejected_id"] == refused_id
    assert rejection.body["message"] == (
        "cannot complete application: the case is opened; allowed now: record counselling, submit application,"
        " record comparability statement, record no recognition needed, start training"
    )
    assert [name(r) for r in found] == ["RecognitionCaseOpened", "ApplicationSubmitted"]
    row = await case_row(infra, pid)
    assert row is not None and row["state"] == "submitted" and row["decision_due_on"] is None
    assert [t["kind"] for t in await timers(infra, pid)] == ["receipt_due"]


async def test_a_measure_that_was_not_offered_is_rejected_naming_the_field(
    infra: Infra, partner: Partner, recognition: ServiceProcess
) -> None:
    async with Tap(infra.kafka, EVENTS) as events, Tap(infra.kafka, REJECTIONS) as rejections:
        pid, _ = await complete_case(partner, events, date.today())
        await partner.send(
            RecordDecision(
                participant_id=pid,
                outcome=RecognitionOutcome.COMPENSATION_REQUIRED,
                decided_on=date.today(),
                measures_offered=frozenset({CompensationMeasure.ADAPTATION_COURSE}),
            )
        )
        await partner.send(
            ChooseCompensationMeasure(
                participant_id=pid, measure=CompensationMeasure.APTITUDE_TEST, chosen_on=date.today()
            )
        )
        [rejection] = await rejections.wait_for(for_participant(pid))

    assert rejection.body["reason"] == RejectionReason.INVALID_PAYLOAD
    assert rejection.body["errors"] == [
        {"location": "measure", "problem": "aptitude_test was not offered; offered: adaptation_course"}
    ]
    row = await case_row(infra, pid)
    assert row is not None and row["state"] == "decided" and row["measure"] is None


async def test_a_command_for_a_participant_without_a_case_is_rejected_as_unknown(
    infra: Infra, partner: Partner, recognition: ServiceProcess
) -> None:
    stranger = uuid.uuid4()
    async with Tap(infra.kafka, REJECTIONS) as rejections:
        await partner.send(RecordCounselling(participant_id=stranger, held_on=date.today(), partner_org="iq-example"))
        [rejection] = await rejections.wait_for(for_participant(stranger))

    assert rejection.body["reason"] == RejectionReason.UNKNOWN_PARTICIPANT
    assert await case_row(infra, stranger) is None


async def test_a_redelivered_command_has_no_second_effect(
    infra: Infra, partner: Partner, recognition: ServiceProcess
) -> None:
    async with Tap(infra.kafka, EVENTS) as events, Tap(infra.kafka, REJECTIONS) as rejections:
        pid = await open_case(partner, events)
        ce_id = await partner.send(submit(pid))
        await partner.send(submit(pid), ce_id=ce_id)  # the same message again, as after a crash before the ack
        found = await events.wait_for(for_participant(pid, ApplicationSubmitted.ce_type()), settle_s=3)
        refused = await rejections.wait_for(for_participant(pid), timeout_s=0.5)

    assert len(found) == 1
    assert refused == []  # skipped as a duplicate, not refused as a second submission
    [outbox] = await query(
        infra,
        "SELECT count(*) AS n FROM recognition.outbox WHERE key = $1 AND ce_type = $2",
        str(pid).encode(),
        ApplicationSubmitted.ce_type(),
    )
    assert outbox["n"] == 1
