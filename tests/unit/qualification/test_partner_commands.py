"""What each partner's command decides about a plan: the plan after it, the facts in order, and the refusals."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

import pytest

from services.qualification import domain
from services.qualification.domain import Plan, PlanStatus
from services.qualification.domain.exams import ExamRecord
from services.qualification.domain.measures import MeasureStatus
from services.qualification.domain.plan import PlannedBy
from shared.contracts.enums import CefrLevel, CompensationMeasure, Profession, RecognitionOutcome
from shared.contracts.qualification import (
    DropMeasure,
    DropReason,
    EnrolledInMeasure,
    ExamFailed,
    ExamKind,
    ExamPassed,
    ExamResult,
    LanguageCertificateObtained,
    LanguageDomain,
    LanguageTargetReached,
    MeasureCompleted,
    MeasureDropped,
    MeasureKind,
    MeasurePlanned,
    PlanMeasure,
    QualificationCompleted,
)
from shared.refusals import AlreadyExists, NotAllowed, UnknownParticipant
from tests.unit.qualification.plans import (
    DAY,
    PID,
    certificate,
    choosing,
    complete,
    decided,
    enrol,
    enrolled,
    exam,
    recruited,
    the,
)

COURSE = MeasureKind.LANGUAGE_COURSE
PREPARATION = MeasureKind.KNOWLEDGE_TEST_PREPARATION
LATER = date(2026, 9, 1)


def plan_command(measure_id: uuid.UUID) -> PlanMeasure:
    return PlanMeasure(
        participant_id=PID,
        measure_id=measure_id,
        measure_kind=MeasureKind.ADAPTATION_COURSE,
        provider_id="care-school-example",
        starts_on=DAY,
    )


def test_a_partner_plans_a_measure_under_its_own_id() -> None:
    cmd = plan_command(uuid.uuid4())

    decision = domain.plan_measure(recruited(), cmd, id_in_use=False)

    assert decision.events == (MeasurePlanned(**cmd.model_dump()),)
    added = decision.state.measure(cmd.measure_id)
    assert added is not None
    assert (added.status, added.planned_by, added.provider_id) == (
        MeasureStatus.PLANNED,
        PlannedBy.PARTNER,
        cmd.provider_id,
    )
    assert decision.state.measures[-1] == added


def test_a_measure_id_in_use_is_refused_as_existing() -> None:
    plan = recruited()
    with pytest.raises(AlreadyExists, match="is planned already"):
        domain.plan_measure(plan, plan_command(uuid.uuid4()), id_in_use=True)
    with pytest.raises(AlreadyExists):
        domain.plan_measure(plan, plan_command(the(plan, COURSE).measure_id), id_in_use=False)


def test_a_plan_opened_by_another_stage_is_unknown_to_partners_until_recruitment() -> None:
    with pytest.raises(UnknownParticipant, match=f"qualification has no participant {PID}"):
        domain.plan_measure(Plan(PID), plan_command(uuid.uuid4()), id_in_use=False)


def test_a_withdrawn_plan_takes_no_commands() -> None:
    withdrawn = domain.withdraw(recruited()).state
    course_id = the(withdrawn, COURSE).measure_id
    with pytest.raises(NotAllowed, match="the participant is withdrawn"):
        domain.enrol_in_measure(withdrawn, enrol(course_id))
    with pytest.raises(NotAllowed, match="the participant is withdrawn"):
        domain.record_language_certificate(withdrawn, certificate())


def test_enrolling_records_the_days_and_reports_the_measure_kind() -> None:
    plan = recruited()
    course = the(plan, COURSE)
    cmd = enrol(course.measure_id).model_copy(update={"expected_end_on": LATER})

    decision = domain.enrol_in_measure(plan, cmd)

    assert decision.events == (EnrolledInMeasure(**cmd.model_dump(), measure_kind=COURSE),)
    assert decision.state.measure(course.measure_id) == replace(
        course, status=MeasureStatus.ENROLLED, enrolled_on=DAY, expected_end_on=LATER
    )


def test_an_unknown_measure_is_refused_as_not_allowed_in_state() -> None:
    nowhere = uuid.uuid4()
    with pytest.raises(NotAllowed) as refused:
        domain.enrol_in_measure(recruited(), enrol(nowhere))
    assert refused.value.message == f"unknown measure: participant {PID} has no measure {nowhere}"


def test_completing_a_measure_not_enrolled_in_is_refused() -> None:
    plan = recruited()
    with pytest.raises(NotAllowed, match="planned; only an enrolled measure"):
        domain.complete_measure(plan, complete(the(plan, COURSE).measure_id))


def test_completing_the_course_reports_it_and_waits_while_recognition_is_open() -> None:
    plan = enrolled(recruited(), COURSE)
    course_id = the(plan, COURSE).measure_id

    decision = domain.complete_measure(plan, complete(course_id, LATER))

    assert decision.events == (
        MeasureCompleted(participant_id=PID, measure_id=course_id, measure_kind=COURSE, completed_on=LATER),
    )
    assert decision.state.measure(course_id) == replace(
        the(plan, COURSE), status=MeasureStatus.COMPLETED, ended_on=LATER
    )
    assert decision.state.completed_on is None


def test_completing_the_last_open_measure_completes_the_plan_on_that_day() -> None:
    plan = domain.recognition_decided(recruited(), decided(RecognitionOutcome.FULL_EQUIVALENCE)).state
    plan = domain.record_language_certificate(plan, certificate()).state
    plan = enrolled(plan, COURSE)

    decision = domain.complete_measure(plan, complete(the(plan, COURSE).measure_id, LATER))

    assert [type(e) for e in decision.events] == [MeasureCompleted, QualificationCompleted]
    assert decision.events[1] == QualificationCompleted(
        participant_id=PID, completed_on=LATER, language_level=CefrLevel.B2
    )
    assert decision.state.completed_on == LATER


def test_dropping_the_last_open_measure_completes_the_plan_too() -> None:
    plan = domain.recognition_decided(recruited(), decided(RecognitionOutcome.FULL_EQUIVALENCE)).state
    plan = domain.record_language_certificate(plan, certificate()).state
    course = the(plan, COURSE)
    cmd = DropMeasure(participant_id=PID, measure_id=course.measure_id, dropped_on=LATER, reason=DropReason.MOVED_AWAY)

    decision = domain.drop_measure(plan, cmd)

    assert decision.events[0] == MeasureDropped(**cmd.model_dump(), measure_kind=COURSE)
    assert isinstance(decision.events[1], QualificationCompleted) and decision.events[1].completed_on == LATER
    assert decision.state.measure(course.measure_id) == replace(course, status=MeasureStatus.DROPPED, ended_on=LATER)
    with pytest.raises(NotAllowed, match="cannot drop a language_course that is dropped"):
        domain.drop_measure(decision.state, cmd)


def test_the_first_certificate_proving_the_target_announces_it_once() -> None:
    decision = domain.record_language_certificate(recruited(), certificate(CefrLevel.B2))

    assert decision.events == (
        LanguageCertificateObtained(**certificate(CefrLevel.B2).model_dump(exclude={"measure_id"})),
        LanguageTargetReached(
            participant_id=PID,
            level=CefrLevel.B2,
            target_level=CefrLevel.B2,
            language_domain=LanguageDomain.PROFESSIONAL,
            reached_on=DAY,
        ),
    )
    assert decision.state.language_target_reached_on == DAY
    assert len(decision.state.certificates) == 1

    again = domain.record_language_certificate(decision.state, certificate(CefrLevel.C1, obtained_on=LATER))
    assert [type(e) for e in again.events] == [LanguageCertificateObtained]
    assert again.state.language_target_reached_on == DAY and len(again.state.certificates) == 2


def test_a_certificate_below_the_target_is_recorded_but_reaches_nothing() -> None:
    decision = domain.record_language_certificate(recruited(), certificate(CefrLevel.B1))
    assert [type(e) for e in decision.events] == [LanguageCertificateObtained]
    assert decision.state.language_target_reached_on is None


def test_a_doctors_target_is_reached_with_the_second_proof_at_its_level_and_domain() -> None:
    plan = recruited(Profession.DOCTOR)
    general = domain.record_language_certificate(
        plan, certificate(CefrLevel.B2, language_domain=LanguageDomain.GENERAL)
    )
    assert [type(e) for e in general.events] == [LanguageCertificateObtained]

    medical = certificate(CefrLevel.C1, language_domain=LanguageDomain.MEDICAL, obtained_on=LATER)
    decision = domain.record_language_certificate(general.state, medical)

    reached = decision.events[1]
    assert isinstance(reached, LanguageTargetReached)
    assert (reached.level, reached.target_level, reached.language_domain) == (
        CefrLevel.C1,
        CefrLevel.C1,
        LanguageDomain.MEDICAL,
    )
    assert decision.state.language_target_reached_on == LATER


def test_a_profession_without_a_language_rule_never_reaches_a_target() -> None:
    decision = domain.record_language_certificate(recruited(Profession.OTHER), certificate(CefrLevel.C2))
    assert [type(e) for e in decision.events] == [LanguageCertificateObtained]


def test_a_certificate_may_name_its_language_course_but_no_other_measure() -> None:
    plan = choosing(recruited(), CompensationMeasure.KNOWLEDGE_TEST)
    domain.record_language_certificate(plan, certificate(measure_id=the(plan, COURSE).measure_id))
    with pytest.raises(NotAllowed, match="a certificate cannot come from a knowledge_test_preparation"):
        domain.record_language_certificate(plan, certificate(measure_id=the(plan, PREPARATION).measure_id))
    with pytest.raises(NotAllowed, match="unknown measure"):
        domain.record_language_certificate(plan, certificate(measure_id=uuid.uuid4()))


def test_the_certificate_that_settles_the_plan_announces_target_then_completion() -> None:
    declared_b2 = recruited(level=CefrLevel.B2)  # no course planned
    plan = domain.recognition_decided(declared_b2, decided(RecognitionOutcome.FULL_EQUIVALENCE)).state
    assert plan.measures == () and plan.completed_on is None  # declared is not proved

    decision = domain.record_language_certificate(plan, certificate(CefrLevel.C1))

    assert [type(e) for e in decision.events] == [
        LanguageCertificateObtained,
        LanguageTargetReached,
        QualificationCompleted,
    ]
    assert decision.events[2] == QualificationCompleted(
        participant_id=PID, completed_on=DAY, language_level=CefrLevel.C1
    )


def test_an_exam_result_finds_the_open_preparation_it_ends() -> None:
    plan = enrolled(choosing(recruited(), CompensationMeasure.KNOWLEDGE_TEST), PREPARATION)
    preparation = the(plan, PREPARATION)

    failed = domain.record_exam_result(plan, exam(1, ExamResult.FAILED))

    assert failed.events == (
        ExamFailed(
            participant_id=PID, exam=ExamKind.KNOWLEDGE_TEST, attempt=1, taken_on=DAY, measure_id=preparation.measure_id
        ),
    )
    assert failed.state.exams[ExamKind.KNOWLEDGE_TEST] == ExamRecord(1, False, DAY)
    assert failed.state.measure(preparation.measure_id) == preparation  # a retake is left

    passed = domain.record_exam_result(failed.state, exam(2, ExamResult.PASSED, taken_on=LATER))

    assert passed.events[0] == ExamPassed(
        participant_id=PID, exam=ExamKind.KNOWLEDGE_TEST, attempt=2, taken_on=LATER, measure_id=preparation.measure_id
    )
    assert passed.state.measure(preparation.measure_id) == replace(
        preparation, status=MeasureStatus.PASSED, ended_on=LATER
    )
    assert passed.state.exams[ExamKind.KNOWLEDGE_TEST] == ExamRecord(2, True, LATER)


def test_a_nurses_second_failure_closes_the_preparation() -> None:
    plan = choosing(recruited(), CompensationMeasure.KNOWLEDGE_TEST)
    first = domain.record_exam_result(plan, exam(1, ExamResult.FAILED)).state

    last = domain.record_exam_result(first, exam(2, ExamResult.FAILED, taken_on=LATER))

    assert the(last.state, PREPARATION).status is MeasureStatus.FAILED
    assert the(last.state, PREPARATION).ended_on == LATER
    with pytest.raises(NotAllowed, match="all 2 attempts were used"):
        domain.record_exam_result(last.state, exam(3, ExamResult.PASSED))


def test_exam_attempts_come_in_order_and_once() -> None:
    plan = recruited()
    with pytest.raises(NotAllowed, match="expected 1"):
        domain.record_exam_result(plan, exam(2, ExamResult.FAILED))
    first = domain.record_exam_result(plan, exam(1, ExamResult.FAILED)).state
    with pytest.raises(AlreadyExists, match="attempt 1 at the knowledge_test is recorded already"):
        domain.record_exam_result(first, exam(1, ExamResult.PASSED))


def test_an_exam_without_its_preparation_is_still_counted() -> None:
    decision = domain.record_exam_result(recruited(), exam(1, ExamResult.FAILED))
    [failed] = decision.events
    assert isinstance(failed, ExamFailed) and failed.measure_id is None
    assert decision.state.exams[ExamKind.KNOWLEDGE_TEST].attempts == 1


def test_a_language_exam_names_a_course_only_when_told_and_leaves_it_as_it_was() -> None:
    plan = enrolled(recruited(), COURSE)
    course = the(plan, COURSE)
    language_exam = exam(1, ExamResult.PASSED, kind=ExamKind.LANGUAGE_EXAM)

    unnamed = domain.record_exam_result(plan, language_exam)
    named = domain.record_exam_result(plan, language_exam.model_copy(update={"measure_id": course.measure_id}))

    assert isinstance(unnamed.events[0], ExamPassed) and unnamed.events[0].measure_id is None
    assert isinstance(named.events[0], ExamPassed) and named.events[0].measure_id == course.measure_id
    assert named.state.measure(course.measure_id) == course


def test_an_exam_must_fit_the_open_measure_it_names() -> None:
    plan = choosing(recruited(), CompensationMeasure.KNOWLEDGE_TEST)
    with pytest.raises(NotAllowed, match="a knowledge_test result cannot belong to a language_course"):
        domain.record_exam_result(plan, exam(1, ExamResult.PASSED, measure_id=the(plan, COURSE).measure_id))
    with pytest.raises(NotAllowed, match="unknown measure"):
        domain.record_exam_result(plan, exam(1, ExamResult.PASSED, measure_id=uuid.uuid4()))


def test_passing_the_chosen_test_last_completes_the_plan_on_the_exam_day() -> None:
    plan = choosing(recruited(), CompensationMeasure.KNOWLEDGE_TEST)
    plan = domain.record_language_certificate(plan, certificate()).state
    plan = domain.complete_measure(enrolled(plan, COURSE), complete(the(plan, COURSE).measure_id)).state
    assert plan.completed_on is None

    decision = domain.record_exam_result(plan, exam(1, ExamResult.PASSED, taken_on=LATER))

    assert [type(e) for e in decision.events] == [ExamPassed, QualificationCompleted]
    assert decision.state.completed_on == LATER
    assert decision.state.status is PlanStatus.ACTIVE
