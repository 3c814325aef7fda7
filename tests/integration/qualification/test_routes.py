"""The routes of the law on the real broker and database: a nurse's knowledge test in parts up to its final
failure, a doctor's plan a partner made itself, and a change of compensation measure."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from shared.contracts.enums import CefrLevel, CompensationMeasure, LanguageCertificate, Profession, RecognitionOutcome
from shared.contracts.qualification import (
    CompleteMeasure,
    EnrolInMeasure,
    EnrolledInMeasure,
    ExamFinallyFailed,
    ExamKind,
    ExamPart,
    ExamResult,
    LanguageDomain,
    MeasureDropped,
    MeasureKind,
    MeasurePlanned,
    PlanMeasure,
    QualificationCompleted,
)
from tests.integration.qualification.conftest import OtherStages, Rows
from tests.integration.qualification.facts import (
    DAY,
    certificate,
    chosen,
    decided,
    exam,
    name,
    recruited,
    submitted,
)
from tests.support.infra import Infra
from tests.support.kafka import Partner, Tap, for_participant
from tests.support.processes import ServiceProcess

EVENTS = "journey.qualification.events"
COMPENSATION = RecognitionOutcome.COMPENSATION_REQUIRED
KNOWLEDGE_TEST, ADAPTATION_COURSE = CompensationMeasure.KNOWLEDGE_TEST, CompensationMeasure.ADAPTATION_COURSE


async def test_a_nurses_knowledge_test_in_parts_ends_in_a_final_failure_of_one_part(
    infra: Infra, partner: Partner, stages: OtherStages, rows: Rows, qualification: ServiceProcess
) -> None:
    pid = uuid.uuid4()
    planned = for_participant(pid, MeasurePlanned.ce_type())
    async with Tap(infra.kafka, EVENTS) as events:
        await stages.publish(recruited(pid))
        await stages.publish(submitted(pid))
        await stages.publish(decided(pid, COMPENSATION, ADAPTATION_COURSE, KNOWLEDGE_TEST))
        await stages.publish(chosen(pid, KNOWLEDGE_TEST))
        # Recruitment's and recognition's facts come on two topics: the two measures may be planned in either order.
        plans = await events.wait_for(planned, count=2)
        [preparation] = [r for r in plans if r.body["measure_kind"] == "knowledge_test_preparation"]
        for attempt, result, part in (
            (1, ExamResult.PASSED, ExamPart.ORAL),
            (1, ExamResult.FAILED, ExamPart.PRACTICAL),
            (2, ExamResult.FAILED, ExamPart.PRACTICAL),
        ):
            await partner.send(exam(pid, attempt, result, part=part))
        [final] = await events.wait_for(for_participant(pid, ExamFinallyFailed.ce_type()))
        found = await events.wait_for(for_participant(pid), settle_s=1)

    preparation_id = preparation.body["measure_id"]
    assert [name(r) for r in found][2:] == ["ExamPassed", "ExamFailed", "ExamFailed", "ExamFinallyFailed"]
    assert final.body == {
        "participant_id": str(pid),
        "exam": "knowledge_test",
        "part": "practical",
        "attempts": 2,
        "failed_on": DAY.isoformat(),
        "measure_id": preparation_id,
    }
    assert await rows.measure_status(preparation_id) == "failed"
    stored = await rows.fetch("SELECT part, attempts, passed FROM qualification.exams WHERE participant_id = $1", pid)
    assert sorted((r["part"], r["attempts"], r["passed"]) for r in stored) == [
        ("oral", 1, True),
        ("practical", 2, False),
    ]


async def test_a_partner_planning_a_doctors_measures_itself_gets_no_duplicates_and_a_completed_qualification(
    infra: Infra, partner: Partner, stages: OtherStages, rows: Rows, qualification: ServiceProcess
) -> None:
    pid = uuid.uuid4()
    planned = for_participant(pid, MeasurePlanned.ce_type())
    dropped = for_participant(pid, MeasureDropped.ce_type())
    own = [
        PlanMeasure(
            participant_id=pid,
            measure_id=uuid.uuid4(),
            measure_kind=MeasureKind.LANGUAGE_COURSE,
            provider_id="partner-school",
            target_level=level,
            language_domain=domain,
        )
        for level, domain in ((CefrLevel.B2, LanguageDomain.GENERAL), (CefrLevel.C1, LanguageDomain.MEDICAL))
    ]
    preparation = PlanMeasure(
        participant_id=pid,
        measure_id=uuid.uuid4(),
        measure_kind=MeasureKind.KNOWLEDGE_TEST_PREPARATION,
        provider_id="partner-academy",
    )
    async with Tap(infra.kafka, EVENTS) as events:
        await stages.publish(recruited(pid, Profession.DOCTOR))
        await stages.publish(submitted(pid, Profession.DOCTOR))
        await events.wait_for(planned, count=2)  # the rules' two language courses
        for cmd in (*own, preparation):
            await partner.send(cmd)
        await events.wait_for(planned, count=5)
        await stages.publish(decided(pid, COMPENSATION, KNOWLEDGE_TEST))
        await stages.publish(chosen(pid, KNOWLEDGE_TEST))  # the partner planned it already: nothing new
        await rows.wait_until(_chosen_of(rows), pid, equals="knowledge_test")
        for cmd in (*own, preparation):
            await partner.send(EnrolInMeasure(participant_id=pid, measure_id=cmd.measure_id, enrolled_on=DAY))
        for cmd in own:
            await partner.send(CompleteMeasure(participant_id=pid, measure_id=cmd.measure_id, completed_on=DAY))
        await partner.send(
            certificate(pid, language_domain=LanguageDomain.GENERAL, certificate=LanguageCertificate.GOETHE)
        )
        await partner.send(exam(pid, 1, ExamResult.PASSED, kind=ExamKind.FACHSPRACHPRUEFUNG))
        await partner.send(exam(pid, 1, ExamResult.PASSED, measure_id=preparation.measure_id))
        [done] = await events.wait_for(for_participant(pid, QualificationCompleted.ce_type()), settle_s=1)
        found_planned = await events.wait_for(planned, count=5, settle_s=1)
        found_dropped = await events.wait_for(dropped, count=2, settle_s=1)

    assert len(found_planned) == 5
    assert [r.body["provider_id"] for r in found_planned] == [
        "unassigned",
        "unassigned",
        *["partner-school"] * 2,
        "partner-academy",
    ]
    assert [r.body["reason"] for r in found_dropped] == ["superseded", "superseded"]
    assert {r.body["measure_id"] for r in found_dropped} == {r.body["measure_id"] for r in found_planned[:2]}
    assert (done.body["route"], done.body["language_level"]) == ("doctor", "C1")
    assert await rows.measure_status(str(preparation.measure_id)) == "passed"


async def test_a_change_of_measure_drops_the_adaptation_course_and_plans_the_knowledge_test(
    infra: Infra, partner: Partner, stages: OtherStages, rows: Rows, qualification: ServiceProcess
) -> None:
    pid = uuid.uuid4()
    planned = for_participant(pid, MeasurePlanned.ce_type())
    async with Tap(infra.kafka, EVENTS) as events:
        await stages.publish(recruited(pid, level=CefrLevel.B2))  # no language course
        await stages.publish(submitted(pid))
        await stages.publish(decided(pid, COMPENSATION, ADAPTATION_COURSE, KNOWLEDGE_TEST))
        await stages.publish(chosen(pid, ADAPTATION_COURSE))
        [course] = await events.wait_for(planned)
        await partner.send(EnrolInMeasure(participant_id=pid, measure_id=course.body["measure_id"], enrolled_on=DAY))
        # Commands and other stages' facts come on different topics: wait for the enrolment before the change.
        await events.wait_for(for_participant(pid, EnrolledInMeasure.ce_type()))
        await stages.publish(chosen(pid, KNOWLEDGE_TEST, previous=ADAPTATION_COURSE))
        await stages.publish(chosen(pid, KNOWLEDGE_TEST, previous=ADAPTATION_COURSE))  # the same fact again
        [_, new] = await events.wait_for(planned, count=2, settle_s=1)
        found = await events.wait_for(for_participant(pid), settle_s=1)

    assert [name(r) for r in found] == ["MeasurePlanned", "EnrolledInMeasure", "MeasureDropped", "MeasurePlanned"]
    assert found[2].body["measure_id"] == course.body["measure_id"]
    assert found[2].body["reason"] == "measure_changed"
    assert new.body["measure_kind"] == "knowledge_test_preparation"
    assert await rows.measure_status(course.body["measure_id"]) == "dropped"


def _chosen_of(rows: Rows) -> Callable[[uuid.UUID], Awaitable[str | None]]:
    async def chosen_compensation(participant_id: uuid.UUID) -> str | None:
        found = await rows.fetch(
            "SELECT chosen_compensation FROM qualification.participants WHERE participant_id = $1", participant_id
        )
        return found[0]["chosen_compensation"] if found else None

    return chosen_compensation
