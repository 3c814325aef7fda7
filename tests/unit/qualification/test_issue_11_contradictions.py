"""The contradictions issue 11 lists, one test each, named after the contradiction: each failed on the code before
the routes and passes now."""

from __future__ import annotations

import uuid

from services.qualification import domain
from services.qualification.domain import Plan
from services.qualification.domain.measures import MeasureStatus
from shared.contracts.enums import CefrLevel, CompensationMeasure, LanguageCertificate, Profession, RecognitionOutcome
from shared.contracts.qualification import (
    ExamFailed,
    ExamFinallyFailed,
    ExamKind,
    ExamPart,
    ExamResult,
    LanguageDomain,
    MeasureCompleted,
    MeasureDropped,
    MeasureKind,
    PlanMeasure,
    QualificationCompleted,
)
from shared.refusals import InvalidValue
from tests.unit.qualification.plans import (
    DAY,
    PID,
    applied,
    certificate,
    choosing,
    chosen,
    complete,
    decided,
    enrolled,
    exam,
    recruited,
    submitted,
    the,
)

PREPARATION = MeasureKind.KNOWLEDGE_TEST_PREPARATION
FAILED, PASSED = ExamResult.FAILED, ExamResult.PASSED


def test_partial_equivalence_counts_as_qualified_for_nurses_and_doctors_no_more() -> None:
    """Nobody is licensed after a partial equivalence: it never completed a nurse's or a doctor's qualification."""
    nurse = domain.record_language_certificate(applied(level=CefrLevel.B2), certificate()).state
    doctor = domain.record_language_certificate(
        applied(Profession.DOCTOR, CefrLevel.C2), certificate(language_domain=LanguageDomain.GENERAL)
    ).state
    doctor = domain.record_exam_result(doctor, exam(1, PASSED, kind=ExamKind.FACHSPRACHPRUEFUNG)).state
    medical_course = the(doctor, MeasureKind.LANGUAGE_COURSE).measure_id
    doctor = domain.complete_measure(enrolled(doctor, MeasureKind.LANGUAGE_COURSE), complete(medical_course)).state
    for plan in (nurse, doctor):
        decision = domain.recognition_decided(plan, decided(RecognitionOutcome.PARTIAL_EQUIVALENCE))
        assert not any(isinstance(e, QualificationCompleted) for e in decision.events)
        assert domain.recognition_decided(plan, decided(RecognitionOutcome.FULL_EQUIVALENCE)).state.completed_on


def test_a_nurses_knowledge_test_is_one_attempt_count_no_more() -> None:
    """Sat in an oral and a practical part, each retaken at most once: two failures of different parts leave both
    retakes; without a part the result is refused."""
    plan = enrolled(choosing(applied(), CompensationMeasure.KNOWLEDGE_TEST), PREPARATION)
    try:
        domain.record_exam_result(plan, exam(1, FAILED))
        raise AssertionError("a nurse's knowledge test result without a part was accepted")
    except InvalidValue as refused:
        assert refused.field == "part"
    plan = domain.record_exam_result(plan, exam(1, FAILED, part=ExamPart.ORAL)).state
    plan = domain.record_exam_result(plan, exam(1, FAILED, part=ExamPart.PRACTICAL)).state
    assert the(plan, PREPARATION).status is MeasureStatus.ENROLLED


def test_the_choice_of_measure_can_never_change_no_more() -> None:
    """A nurse leaving the adaptation course for the knowledge test: the course ends, the preparation is planned."""
    plan = choosing(applied(), CompensationMeasure.ADAPTATION_COURSE)
    change = chosen(CompensationMeasure.KNOWLEDGE_TEST, previous=CompensationMeasure.ADAPTATION_COURSE)

    after = domain.compensation_measure_chosen(plan, change).state

    assert the(after, MeasureKind.ADAPTATION_COURSE).status is MeasureStatus.DROPPED
    assert the(after, PREPARATION).status is MeasureStatus.PLANNED


def test_the_medical_language_exam_exists_twice_and_nothing_checks_it_is_c1_medical_no_more() -> None:
    """Only the chamber's Fachsprachprüfung proves a doctor's C1 medical German; the exam recorded passed is that
    certificate, and the certificate recorded as well counts once."""
    plan = domain.record_language_certificate(
        applied(Profession.DOCTOR), certificate(language_domain=LanguageDomain.GENERAL)
    ).state
    telc = domain.record_language_certificate(plan, certificate(CefrLevel.C1, language_domain=LanguageDomain.MEDICAL))
    assert telc.state.language_target_reached_on is None

    passed = domain.record_exam_result(plan, exam(1, PASSED, kind=ExamKind.FACHSPRACHPRUEFUNG)).state
    assert passed.language_target_reached_on == DAY
    the_certificate = certificate(
        CefrLevel.C1, certificate=LanguageCertificate.FACHSPRACHPRUEFUNG, language_domain=LanguageDomain.MEDICAL
    )
    assert domain.record_language_certificate(passed, the_certificate).state == passed


def test_qualification_takes_the_profession_from_registration_and_ignores_the_reference_profession_no_more() -> None:
    """Recruited as a nurse, applying as a doctor: the doctor's German is planned and required."""
    plan = recruited(Profession.NURSING_PROFESSIONAL, CefrLevel.B1)

    after = domain.application_submitted(plan, submitted(Profession.DOCTOR)).state

    planned = {(m.target_level, m.language_domain) for m in after.measures if m.status is MeasureStatus.PLANNED}
    assert planned == {(CefrLevel.B2, LanguageDomain.GENERAL), (CefrLevel.C1, LanguageDomain.MEDICAL)}
    b2 = domain.record_language_certificate(after, certificate(CefrLevel.B2)).state
    assert b2.language_target_reached_on is None  # a nurse's B2 is not a doctor's German


def test_a_partner_that_plans_a_doctors_measures_itself_gets_them_twice_no_more() -> None:
    """The partner plans the language courses and the preparation: the rules' untaken ones give way."""
    plan = choosing(applied(Profession.DOCTOR), CompensationMeasure.KNOWLEDGE_TEST)
    owns = [
        (MeasureKind.LANGUAGE_COURSE, CefrLevel.B2, LanguageDomain.GENERAL),
        (MeasureKind.LANGUAGE_COURSE, CefrLevel.C1, LanguageDomain.MEDICAL),
        (PREPARATION, None, None),
    ]
    for kind, level, language in owns:
        cmd = PlanMeasure(
            participant_id=PID,
            measure_id=uuid.uuid4(),
            measure_kind=kind,
            provider_id="partner-school",
            target_level=level,
            language_domain=language,
        )
        plan = domain.plan_measure(plan, cmd, id_in_use=False, today=DAY).state

    open_ones = [m for m in plan.measures if m.status is MeasureStatus.PLANNED]
    assert len(open_ones) == 3 and all(m.provider_id == "partner-school" for m in open_ones)


def test_completing_the_preparation_after_the_passed_exam_is_refused_no_more() -> None:
    """The passed exam completes the preparation (said with MeasureCompleted); completing it again is accepted."""
    plan = enrolled(choosing(applied(Profession.DOCTOR), CompensationMeasure.KNOWLEDGE_TEST), PREPARATION)

    passed = domain.record_exam_result(plan, exam(1, PASSED))

    assert any(isinstance(e, MeasureCompleted) for e in passed.events)
    again = domain.complete_measure(passed.state, complete(the(plan, PREPARATION).measure_id))
    assert again.events == ()


def test_after_the_last_failed_attempt_nothing_says_finally_failed_no_more() -> None:
    """The last attempt the law allows failed: ExamFinallyFailed says so."""
    plan: Plan = enrolled(choosing(applied(Profession.DOCTOR), CompensationMeasure.KNOWLEDGE_TEST), PREPARATION)
    for attempt in (1, 2):
        plan = domain.record_exam_result(plan, exam(attempt, FAILED)).state

    last = domain.record_exam_result(plan, exam(3, FAILED))

    assert [type(e) for e in last.events] == [ExamFailed, ExamFinallyFailed]
    assert not any(isinstance(e, MeasureDropped) for e in last.events)
