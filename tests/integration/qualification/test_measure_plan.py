"""A participant's plan from recruitment to QualificationCompleted, on the real broker and database."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from shared.contracts.enums import CefrLevel, CompensationMeasure, RecognitionOutcome
from shared.contracts.qualification import (
    CompleteMeasure,
    EnrolInMeasure,
    ExamPart,
    ExamResult,
    LanguageTargetReached,
    MeasureCompleted,
    MeasurePlanned,
    QualificationCompleted,
)
from tests.integration.qualification.conftest import OtherStages, Rows
from tests.integration.qualification.facts import DAY, certificate, chosen, decided, exam, name, recruited, submitted
from tests.support.infra import Infra
from tests.support.kafka import Partner, Tap, for_participant
from tests.support.processes import ServiceProcess

EVENTS = "journey.qualification.events"
COMPENSATION = RecognitionOutcome.COMPENSATION_REQUIRED
KNOWLEDGE_TEST = CompensationMeasure.KNOWLEDGE_TEST


async def test_a_b1_nurse_choosing_the_knowledge_test_gets_both_measures_and_is_qualified_once(
    infra: Infra, partner: Partner, stages: OtherStages, rows: Rows, qualification: ServiceProcess
) -> None:
    pid = uuid.uuid4()
    planned = for_participant(pid, MeasurePlanned.ce_type())
    async with Tap(infra.kafka, EVENTS) as events:
        await stages.publish(recruited(pid))
        [course] = await events.wait_for(planned)
        await stages.publish(submitted(pid))
        await stages.publish(decided(pid, COMPENSATION, CompensationMeasure.ADAPTATION_COURSE, KNOWLEDGE_TEST))
        await stages.publish(chosen(pid, KNOWLEDGE_TEST))
        [_, preparation] = await events.wait_for(planned, count=2)
        course_id, preparation_id = course.body["measure_id"], preparation.body["measure_id"]

        for measure_id in (course_id, preparation_id):
            await partner.send(EnrolInMeasure(participant_id=pid, measure_id=measure_id, enrolled_on=DAY))
        oral, practical = ExamPart.ORAL, ExamPart.PRACTICAL
        for attempt, result, part in (
            (1, ExamResult.FAILED, oral),
            (2, ExamResult.PASSED, oral),
            (1, ExamResult.PASSED, practical),
        ):
            await partner.send(exam(pid, attempt, result, part=part))
        await partner.send(certificate(pid))
        await partner.send(CompleteMeasure(participant_id=pid, measure_id=course_id, completed_on=DAY))
        await events.wait_for(for_participant(pid, QualificationCompleted.ce_type()), settle_s=2)
        found = await events.wait_for(for_participant(pid))

    assert (course.body["measure_kind"], course.body["target_level"]) == ("language_course", "B2")
    assert course.body["language_domain"] == "professional"
    assert preparation.body["measure_kind"] == "knowledge_test_preparation"
    assert [name(r) for r in found] == [
        "MeasurePlanned",
        "MeasurePlanned",
        "EnrolledInMeasure",
        "EnrolledInMeasure",
        "ExamFailed",
        "ExamPassed",
        "ExamPassed",
        "MeasureCompleted",
        "LanguageCertificateObtained",
        "LanguageTargetReached",
        "MeasureCompleted",
        "QualificationCompleted",
    ]
    failed, passed, practical_passed = found[4].body, found[5].body, found[6].body
    assert (failed["attempt"], failed["part"], passed["attempt"], passed["part"]) == (1, "oral", 2, "oral")
    assert practical_passed["part"] == "practical"
    assert failed["measure_id"] == passed["measure_id"] == preparation_id
    assert found[7].body == {**found[7].body, "measure_id": preparation_id, "completed_on": DAY.isoformat()}
    assert found[9].body["target_level"] == "B2"
    assert found[11].body["language_level"] == "B2" and found[11].body["route"] == "nurse"
    assert await rows.measure_status(preparation_id) == "passed"
    assert await rows.measure_status(course_id) == "completed"


@pytest.mark.parametrize("order", ["certificate_first", "decision_first", "both_at_once"])
async def test_certificate_and_decision_in_either_order_complete_the_plan_exactly_once(
    order: str, infra: Infra, partner: Partner, stages: OtherStages, rows: Rows, qualification: ServiceProcess
) -> None:
    pid = uuid.uuid4()
    completed = for_participant(pid, QualificationCompleted.ce_type())
    async with Tap(infra.kafka, EVENTS) as events:
        await stages.publish(recruited(pid))
        [course] = await events.wait_for(for_participant(pid, MeasurePlanned.ce_type()))
        await stages.publish(submitted(pid))
        course_id = course.body["measure_id"]
        await partner.send(EnrolInMeasure(participant_id=pid, measure_id=course_id, enrolled_on=DAY))
        await partner.send(CompleteMeasure(participant_id=pid, measure_id=course_id, completed_on=DAY))
        await events.wait_for(for_participant(pid, MeasureCompleted.ce_type()))

        async def send_certificate() -> None:
            await partner.send(certificate(pid))
            await events.wait_for(for_participant(pid, LanguageTargetReached.ce_type()))

        async def publish_decision() -> None:
            await stages.publish(decided(pid, RecognitionOutcome.FULL_EQUIVALENCE))
            await rows.wait_until(rows.outcome, pid, equals="full_equivalence")

        if order == "both_at_once":
            await asyncio.gather(partner.send(certificate(pid)), publish_decision())
        else:
            first, second = send_certificate, publish_decision
            if order == "decision_first":
                first, second = second, first
            await first()
            assert await events.wait_for(completed, timeout_s=1) == []  # half the picture is not enough
            await second()
        await events.wait_for(completed)
        await partner.send(certificate(pid, CefrLevel.C1))  # a later fact settles nothing twice
        found = await events.wait_for(for_participant(pid), count=7, settle_s=2)

    assert [name(r) for r in found if name(r) in {"LanguageTargetReached", "QualificationCompleted"}] == [
        "LanguageTargetReached",
        "QualificationCompleted",
    ]
    [done] = [r for r in found if completed(r)]
    assert done.body["language_level"] == "B2"
    assert [name(r) for r in found][-1] == "LanguageCertificateObtained"
