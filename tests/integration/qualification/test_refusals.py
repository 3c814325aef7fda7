"""Commands the plan refuses: each yields a rejection with its reason and changes nothing."""

from __future__ import annotations

import uuid

from shared.contracts.qualification import (
    CompleteMeasure,
    DropMeasure,
    DropReason,
    EnrolInMeasure,
    ExamFailed,
    ExamFinallyFailed,
    ExamPart,
    ExamResult,
    MeasurePlanned,
)
from shared.contracts.recruitment import ParticipantWithdrawn, WithdrawalReason
from shared.contracts.rejections import RejectionReason
from tests.integration.qualification.conftest import OtherStages, Rows
from tests.integration.qualification.facts import DAY, certificate, exam, name, recruited
from tests.support.infra import Infra
from tests.support.kafka import Partner, Tap, for_participant
from tests.support.processes import ServiceProcess

EVENTS = "journey.qualification.events"
REJECTIONS = "journey.qualification.rejections"


async def test_completing_a_measure_nobody_enrolled_in_is_rejected_and_changes_nothing(
    infra: Infra, partner: Partner, stages: OtherStages, rows: Rows, qualification: ServiceProcess
) -> None:
    pid = uuid.uuid4()
    async with Tap(infra.kafka, EVENTS) as events, Tap(infra.kafka, REJECTIONS) as rejections:
        await stages.publish(recruited(pid))
        [course] = await events.wait_for(for_participant(pid, MeasurePlanned.ce_type()))
        course_id = course.body["measure_id"]
        refused_id = await partner.send(CompleteMeasure(participant_id=pid, measure_id=course_id, completed_on=DAY))
        [rejection] = await rejections.wait_for(for_participant(pid))
        found = await events.wait_for(for_participant(pid), settle_s=1)

    assert rejection.body["reason"] == RejectionReason.NOT_ALLOWED_IN_STATE
    assert rejection.body["rejected_id"] == refused_id
    assert "planned" in rejection.body["message"]
    assert [name(r) for r in found] == ["MeasurePlanned"]
    assert await rows.measure_status(course_id) == "planned"


async def test_unknown_participants_and_unknown_measures_are_rejected_with_clear_messages(
    infra: Infra, partner: Partner, stages: OtherStages, qualification: ServiceProcess
) -> None:
    stranger, pid, nowhere = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    async with Tap(infra.kafka, EVENTS) as events, Tap(infra.kafka, REJECTIONS) as rejections:
        await partner.send(certificate(stranger))
        await stages.publish(recruited(pid))
        await events.wait_for(for_participant(pid, MeasurePlanned.ce_type()))
        await partner.send(EnrolInMeasure(participant_id=pid, measure_id=nowhere, enrolled_on=DAY))
        [unknown_participant] = await rejections.wait_for(for_participant(stranger))
        [unknown_measure] = await rejections.wait_for(for_participant(pid))

    assert unknown_participant.body["reason"] == RejectionReason.UNKNOWN_PARTICIPANT
    assert unknown_measure.body["reason"] == RejectionReason.NOT_ALLOWED_IN_STATE
    assert unknown_measure.body["message"] == f"unknown measure: participant {pid} has no measure {nowhere}"


async def test_exam_attempts_must_come_in_order_and_a_nurse_has_two_per_part(
    infra: Infra, partner: Partner, stages: OtherStages, rows: Rows, qualification: ServiceProcess
) -> None:
    pid = uuid.uuid4()
    failed = for_participant(pid, ExamFailed.ce_type())
    async with Tap(infra.kafka, EVENTS) as events, Tap(infra.kafka, REJECTIONS) as rejections:
        await stages.publish(recruited(pid))
        await events.wait_for(for_participant(pid, MeasurePlanned.ce_type()))
        await partner.send(exam(pid, 2, ExamResult.FAILED, part=ExamPart.ORAL))  # skips the first attempt
        await partner.send(exam(pid, 1, ExamResult.FAILED, part=ExamPart.ORAL))
        await partner.send(
            exam(pid, 1, ExamResult.PASSED, part=ExamPart.ORAL)
        )  # the same attempt again, under a new id
        await partner.send(exam(pid, 2, ExamResult.FAILED, part=ExamPart.ORAL))
        await partner.send(exam(pid, 3, ExamResult.PASSED, part=ExamPart.ORAL))  # beyond the nurse's limit
        refused = await rejections.wait_for(for_participant(pid), count=3)
        found = await events.wait_for(failed, count=2, settle_s=1)
        [final] = await events.wait_for(for_participant(pid, ExamFinallyFailed.ce_type()))

    assert [r.body["reason"] for r in refused] == [
        RejectionReason.NOT_ALLOWED_IN_STATE,
        RejectionReason.ALREADY_EXISTS,
        RejectionReason.NOT_ALLOWED_IN_STATE,
    ]
    assert "expected 1" in refused[0].body["message"]
    assert "all 2 attempts were used" in refused[2].body["message"]
    assert [r.body["attempt"] for r in found] == [1, 2]
    assert (final.body["part"], final.body["attempts"]) == ("oral", 2)
    [record] = await rows.fetch("SELECT attempts, passed FROM qualification.exams WHERE participant_id = $1", pid)
    assert (record["attempts"], record["passed"]) == (2, False)


async def test_a_withdrawn_participants_plan_is_closed_and_takes_no_more_commands(
    infra: Infra, partner: Partner, stages: OtherStages, rows: Rows, qualification: ServiceProcess
) -> None:
    pid = uuid.uuid4()
    async with Tap(infra.kafka, EVENTS) as events, Tap(infra.kafka, REJECTIONS) as rejections:
        await stages.publish(recruited(pid))
        [course] = await events.wait_for(for_participant(pid, MeasurePlanned.ce_type()))
        withdrawn = ParticipantWithdrawn(participant_id=pid, reason=WithdrawalReason.MOVED_AWAY, withdrawn_on=DAY)
        await stages.publish(withdrawn)
        await rows.wait_until(rows.participant_status, pid, equals="withdrawn")  # it emits nothing to wait for
        await partner.send(
            DropMeasure(
                participant_id=pid, measure_id=course.body["measure_id"], dropped_on=DAY, reason=DropReason.MOVED_AWAY
            )
        )
        [rejection] = await rejections.wait_for(for_participant(pid))

    assert rejection.body["reason"] == RejectionReason.NOT_ALLOWED_IN_STATE
    assert "withdrawn" in rejection.body["message"]
    assert await rows.measure_status(course.body["measure_id"]) == "cancelled"
