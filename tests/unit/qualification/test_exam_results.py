"""What an exam attempt decides about a plan: counted per part where the rules say so, the preparation it ends
passed (and said completed) or finally failed, a passed Fachsprachprüfung as the C1 medical certificate."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

import pytest

from services.qualification import domain
from services.qualification.domain import Plan, PlanStatus
from services.qualification.domain.exams import ExamRecord
from services.qualification.domain.measures import MeasureStatus
from shared.contracts.enums import CefrLevel, CompensationMeasure, LanguageCertificate, Profession, Route
from shared.contracts.qualification import (
    ExamFailed,
    ExamFinallyFailed,
    ExamKind,
    ExamPart,
    ExamPassed,
    ExamResult,
    LanguageCertificateObtained,
    LanguageDomain,
    LanguageTargetReached,
    MeasureCompleted,
    MeasureKind,
    QualificationCompleted,
)
from shared.refusals import AlreadyExists, InvalidValue, NotAllowed
from tests.unit.qualification.plans import (
    DAY,
    PID,
    applied,
    certificate,
    choosing,
    complete,
    enrolled,
    exam,
    the,
)

COURSE = MeasureKind.LANGUAGE_COURSE
PREPARATION = MeasureKind.KNOWLEDGE_TEST_PREPARATION
KNOWLEDGE = ExamKind.KNOWLEDGE_TEST
ORAL, PRACTICAL = ExamPart.ORAL, ExamPart.PRACTICAL
PASSED, FAILED = ExamResult.PASSED, ExamResult.FAILED
LATER = date(2026, 9, 1)


def doctor_preparing() -> Plan:
    return enrolled(choosing(applied(Profession.DOCTOR), CompensationMeasure.KNOWLEDGE_TEST), PREPARATION)


def nurse_preparing() -> Plan:
    return enrolled(choosing(applied(), CompensationMeasure.KNOWLEDGE_TEST), PREPARATION)


def test_an_exam_result_finds_the_open_preparation_it_ends_and_a_pass_completes_it() -> None:
    plan = doctor_preparing()
    preparation = the(plan, PREPARATION)

    failed = domain.record_exam_result(plan, exam(1, FAILED))

    assert failed.events == (
        ExamFailed(participant_id=PID, exam=KNOWLEDGE, attempt=1, taken_on=DAY, measure_id=preparation.measure_id),
    )
    assert failed.state.exams[(KNOWLEDGE, None)] == ExamRecord(1, False, DAY)
    assert failed.state.measure(preparation.measure_id) == preparation  # a retake is left

    passed = domain.record_exam_result(failed.state, exam(2, PASSED, taken_on=LATER))

    assert passed.events == (
        ExamPassed(participant_id=PID, exam=KNOWLEDGE, attempt=2, taken_on=LATER, measure_id=preparation.measure_id),
        MeasureCompleted(
            participant_id=PID, measure_id=preparation.measure_id, measure_kind=PREPARATION, completed_on=LATER
        ),
    )
    assert passed.state.measure(preparation.measure_id) == replace(
        preparation, status=MeasureStatus.PASSED, ended_on=LATER
    )
    assert passed.state.exams[(KNOWLEDGE, None)] == ExamRecord(2, True, LATER)


def test_completing_a_passed_preparation_again_changes_nothing_and_is_not_refused() -> None:
    plan = domain.record_exam_result(doctor_preparing(), exam(1, PASSED)).state
    again = domain.complete_measure(plan, complete(the(plan, PREPARATION).measure_id, LATER))
    assert again.events == () and again.state == plan


def test_a_doctor_has_three_attempts_and_the_third_failure_is_final() -> None:
    plan = doctor_preparing()
    preparation = the(plan, PREPARATION)
    for attempt in (1, 2):
        plan = domain.record_exam_result(plan, exam(attempt, FAILED)).state
    assert the(plan, PREPARATION).status is MeasureStatus.ENROLLED

    last = domain.record_exam_result(plan, exam(3, FAILED, taken_on=LATER))

    assert last.events[1] == ExamFinallyFailed(
        participant_id=PID, exam=KNOWLEDGE, part=None, attempts=3, failed_on=LATER, measure_id=preparation.measure_id
    )
    assert the(last.state, PREPARATION).status is MeasureStatus.FAILED
    with pytest.raises(NotAllowed, match="all 3 attempts were used"):
        domain.record_exam_result(last.state, exam(4, PASSED))


def test_a_nurses_knowledge_test_needs_a_part_and_a_test_sat_whole_refuses_one() -> None:
    with pytest.raises(InvalidValue) as refused:
        domain.record_exam_result(nurse_preparing(), exam(1, PASSED))
    assert refused.value.field == "part"
    with pytest.raises(InvalidValue) as refused:
        domain.record_exam_result(doctor_preparing(), exam(1, PASSED, part=ORAL))
    assert refused.value.field == "part"


def test_a_nurse_retakes_only_the_failed_part_and_passes_when_both_parts_are_passed() -> None:
    plan = nurse_preparing()
    preparation = the(plan, PREPARATION)
    plan = domain.record_exam_result(plan, exam(1, PASSED, part=ORAL)).state
    plan = domain.record_exam_result(plan, exam(1, FAILED, part=PRACTICAL)).state
    assert the(plan, PREPARATION).status is MeasureStatus.ENROLLED
    with pytest.raises(NotAllowed, match=r"\(oral part\) was passed already"):
        domain.record_exam_result(plan, exam(2, PASSED, part=ORAL))

    passed = domain.record_exam_result(plan, exam(2, PASSED, part=PRACTICAL, taken_on=LATER))

    assert [type(e) for e in passed.events] == [ExamPassed, MeasureCompleted]
    assert passed.events[0] == ExamPassed(
        participant_id=PID,
        exam=KNOWLEDGE,
        attempt=2,
        taken_on=LATER,
        measure_id=preparation.measure_id,
        part=PRACTICAL,
    )
    assert the(passed.state, PREPARATION).status is MeasureStatus.PASSED


def test_a_nurses_second_failure_of_a_part_is_final_and_ends_the_test() -> None:
    plan = domain.record_exam_result(nurse_preparing(), exam(1, FAILED, part=PRACTICAL)).state

    last = domain.record_exam_result(plan, exam(2, FAILED, part=PRACTICAL, taken_on=LATER))

    assert [type(e) for e in last.events] == [ExamFailed, ExamFinallyFailed]
    final = last.events[1]
    assert isinstance(final, ExamFinallyFailed) and (final.part, final.attempts) == (PRACTICAL, 2)
    assert the(last.state, PREPARATION).status is MeasureStatus.FAILED
    with pytest.raises(NotAllowed, match="finally failed"):
        domain.record_exam_result(last.state, exam(1, PASSED, part=ORAL))


def test_exam_attempts_come_in_order_and_once() -> None:
    plan = applied(Profession.DOCTOR)
    with pytest.raises(NotAllowed, match="expected 1"):
        domain.record_exam_result(plan, exam(2, FAILED))
    first = domain.record_exam_result(plan, exam(1, FAILED)).state
    with pytest.raises(AlreadyExists, match="attempt 1 at the knowledge_test is recorded already"):
        domain.record_exam_result(first, exam(1, PASSED))


def test_an_exam_without_its_preparation_is_still_counted() -> None:
    decision = domain.record_exam_result(applied(Profession.DOCTOR), exam(1, FAILED))
    [failed] = decision.events
    assert isinstance(failed, ExamFailed) and failed.measure_id is None
    assert decision.state.exams[(KNOWLEDGE, None)].attempts == 1


def test_a_language_exam_names_a_course_only_when_told_and_leaves_it_as_it_was() -> None:
    plan = enrolled(applied(), COURSE)
    course = the(plan, COURSE)
    language_exam = exam(1, PASSED, kind=ExamKind.LANGUAGE_EXAM)

    unnamed = domain.record_exam_result(plan, language_exam)
    named = domain.record_exam_result(plan, language_exam.model_copy(update={"measure_id": course.measure_id}))

    assert isinstance(unnamed.events[0], ExamPassed) and unnamed.events[0].measure_id is None
    assert isinstance(named.events[0], ExamPassed) and named.events[0].measure_id == course.measure_id
    assert named.state.measure(course.measure_id) == course


def test_an_exam_must_fit_the_open_measure_it_names() -> None:
    plan = choosing(applied(Profession.DOCTOR), CompensationMeasure.KNOWLEDGE_TEST)
    course_id = plan.measures[0].measure_id
    with pytest.raises(NotAllowed, match="a knowledge_test result cannot belong to a language_course"):
        domain.record_exam_result(plan, exam(1, PASSED, measure_id=course_id))
    with pytest.raises(NotAllowed, match="unknown measure"):
        domain.record_exam_result(plan, exam(1, PASSED, measure_id=uuid.uuid4()))


def test_a_passed_fachsprachpruefung_is_the_c1_medical_certificate_counted_once() -> None:
    plan = domain.record_language_certificate(
        applied(Profession.DOCTOR), certificate(CefrLevel.B2, language_domain=LanguageDomain.GENERAL)
    ).state

    decision = domain.record_exam_result(plan, exam(1, PASSED, kind=ExamKind.FACHSPRACHPRUEFUNG, taken_on=LATER))

    assert [type(e) for e in decision.events] == [ExamPassed, LanguageCertificateObtained, LanguageTargetReached]
    assert decision.events[1] == LanguageCertificateObtained(
        participant_id=PID,
        certificate=LanguageCertificate.FACHSPRACHPRUEFUNG,
        level=CefrLevel.C1,
        language_domain=LanguageDomain.MEDICAL,
        obtained_on=LATER,
    )
    the_certificate = certificate(
        CefrLevel.C1, certificate=LanguageCertificate.FACHSPRACHPRUEFUNG, language_domain=LanguageDomain.MEDICAL
    )
    again = domain.record_language_certificate(decision.state, the_certificate)
    assert again.events == () and again.state == decision.state
    assert len(decision.state.certificates) == 2


def test_passing_the_chosen_test_last_completes_the_plan_on_the_exam_day() -> None:
    plan = choosing(applied(), CompensationMeasure.KNOWLEDGE_TEST)
    plan = domain.record_language_certificate(plan, certificate()).state
    plan = domain.complete_measure(enrolled(plan, COURSE), complete(the(plan, COURSE).measure_id)).state
    plan = domain.record_exam_result(plan, exam(1, PASSED, part=ORAL)).state
    assert plan.completed_on is None

    decision = domain.record_exam_result(plan, exam(1, PASSED, part=PRACTICAL, taken_on=LATER))

    assert [type(e) for e in decision.events] == [ExamPassed, MeasureCompleted, QualificationCompleted]
    assert decision.events[2] == QualificationCompleted(
        participant_id=PID, completed_on=LATER, language_level=CefrLevel.B2, route=Route.NURSE
    )
    assert decision.state.status is PlanStatus.ACTIVE
