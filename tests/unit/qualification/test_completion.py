"""When a qualification plan is complete (language proved, recognition settled, no measure left open), and how
settling a plan completes it once."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

import pytest

from services.qualification.domain import Measure, Plan, PlanStatus, settle
from services.qualification.domain.completion import Picture, is_qualified
from services.qualification.domain.exams import ExamRecord
from services.qualification.domain.language import Certificate, language_target_reached
from services.qualification.domain.measures import MeasureStatus
from services.qualification.domain.plan import PlannedBy
from shared.contracts.enums import CefrLevel, CompensationMeasure, LanguageCertificate, Profession, RecognitionOutcome
from shared.contracts.qualification import ExamKind, LanguageDomain, MeasureKind, QualificationCompleted
from shared.decision import Decision

PID = uuid.UUID("0b5e8f1c-2d3a-4b6c-9e7f-1a2b3c4d5e6f")
DAY = date(2026, 3, 2)


def certified(level: CefrLevel, domain: LanguageDomain) -> Certificate:
    return Certificate(level, domain, LanguageCertificate.TELC, DAY)


B2_GENERAL = certified(CefrLevel.B2, LanguageDomain.GENERAL)
COURSE_DONE = (MeasureKind.LANGUAGE_COURSE, MeasureStatus.COMPLETED)
PREPARATION_PASSED = (MeasureKind.KNOWLEDGE_TEST_PREPARATION, MeasureStatus.PASSED)

NURSE_READY = Picture(
    profession=Profession.NURSING_PROFESSIONAL,
    certificates=(B2_GENERAL,),
    measures=(COURSE_DONE, PREPARATION_PASSED),
    exams_passed=frozenset({ExamKind.KNOWLEDGE_TEST}),
    outcome=RecognitionOutcome.COMPENSATION_REQUIRED,
    chosen=CompensationMeasure.KNOWLEDGE_TEST,
)


def test_a_nurse_with_b2_a_finished_course_and_a_passed_knowledge_test_is_qualified() -> None:
    assert is_qualified(NURSE_READY)


def test_without_a_decision_the_plan_waits() -> None:
    assert not is_qualified(replace(NURSE_READY, outcome=None, chosen=None))


@pytest.mark.parametrize("outcome", [RecognitionOutcome.FULL_EQUIVALENCE, RecognitionOutcome.PARTIAL_EQUIVALENCE])
def test_equivalence_needs_no_compensation(outcome: RecognitionOutcome) -> None:
    picture = replace(NURSE_READY, outcome=outcome, chosen=None, measures=(COURSE_DONE,), exams_passed=frozenset())
    assert is_qualified(picture)


def test_a_rejected_application_never_completes_the_plan() -> None:
    assert not is_qualified(replace(NURSE_READY, outcome=RecognitionOutcome.REJECTED))


def test_compensation_required_waits_for_a_choice_and_for_its_exam() -> None:
    assert not is_qualified(replace(NURSE_READY, chosen=None))
    waiting = (MeasureKind.KNOWLEDGE_TEST_PREPARATION, MeasureStatus.COMPLETED)
    assert not is_qualified(replace(NURSE_READY, measures=(COURSE_DONE, waiting), exams_passed=frozenset()))


def test_a_chosen_adaptation_course_counts_once_completed() -> None:
    adaptation = replace(NURSE_READY, chosen=CompensationMeasure.ADAPTATION_COURSE, exams_passed=frozenset())
    done = (MeasureKind.ADAPTATION_COURSE, MeasureStatus.COMPLETED)
    assert not is_qualified(replace(adaptation, measures=(COURSE_DONE,)))
    assert is_qualified(replace(adaptation, measures=(COURSE_DONE, done)))


def test_an_open_measure_holds_the_plan_up_but_a_dropped_one_does_not() -> None:
    enrolled = (MeasureKind.LANGUAGE_COURSE, MeasureStatus.ENROLLED)
    dropped = (MeasureKind.LANGUAGE_COURSE, MeasureStatus.DROPPED)
    assert not is_qualified(replace(NURSE_READY, measures=(*NURSE_READY.measures, enrolled)))
    assert is_qualified(replace(NURSE_READY, measures=(*NURSE_READY.measures, dropped)))


def test_the_language_target_needs_a_certificate_not_a_declared_level() -> None:
    assert not is_qualified(replace(NURSE_READY, certificates=()))
    assert not is_qualified(replace(NURSE_READY, certificates=(certified(CefrLevel.B1, LanguageDomain.GENERAL),)))


def test_a_doctor_needs_general_b2_and_medical_c1() -> None:
    medical_c1 = certified(CefrLevel.C1, LanguageDomain.MEDICAL)
    assert not language_target_reached(Profession.DOCTOR, [medical_c1])
    assert not language_target_reached(Profession.DOCTOR, [B2_GENERAL])
    assert language_target_reached(Profession.DOCTOR, [B2_GENERAL, medical_c1])


def test_any_domain_proves_a_nurses_b2_and_higher_levels_count() -> None:
    assert language_target_reached(Profession.NURSING_PROFESSIONAL, [certified(CefrLevel.C1, LanguageDomain.MEDICAL)])


def test_a_participant_not_yet_recruited_is_never_qualified() -> None:
    assert not is_qualified(replace(NURSE_READY, profession=None))


def test_other_professions_need_no_language_proof() -> None:
    assert is_qualified(replace(NURSE_READY, profession=Profession.OTHER, certificates=()))
    assert not language_target_reached(Profession.OTHER, [])


def test_settling_a_qualified_plan_completes_it_once_on_the_given_day_with_the_highest_level() -> None:
    plan = Plan(
        PID,
        profession=Profession.NURSING_PROFESSIONAL,
        certificates=(B2_GENERAL, certified(CefrLevel.C1, LanguageDomain.MEDICAL)),
        outcome=RecognitionOutcome.FULL_EQUIVALENCE,
    )

    decision = settle(plan, DAY)

    assert decision.events == (
        QualificationCompleted(participant_id=PID, completed_on=DAY, language_level=CefrLevel.C1),
    )
    assert decision.state == replace(plan, completed_on=DAY)
    assert settle(decision.state, date(2026, 9, 1)) == Decision(decision.state)


def test_settling_decides_nothing_while_the_picture_is_open_or_the_plan_withdrawn() -> None:
    waiting = Plan(PID, profession=Profession.NURSING_PROFESSIONAL, certificates=(B2_GENERAL,))
    assert settle(waiting, DAY) == Decision(waiting)
    qualified = replace(waiting, outcome=RecognitionOutcome.FULL_EQUIVALENCE)
    withdrawn = replace(qualified, status=PlanStatus.WITHDRAWN)
    assert settle(withdrawn, DAY) == Decision(withdrawn)


def test_a_plans_picture_is_what_completion_depends_on() -> None:
    course = Measure(uuid.uuid4(), MeasureKind.LANGUAGE_COURSE, MeasureStatus.COMPLETED, "school", PlannedBy.RULES)
    plan = Plan(
        PID,
        profession=Profession.NURSING_PROFESSIONAL,
        certificates=(B2_GENERAL,),
        measures=(course,),
        exams={ExamKind.KNOWLEDGE_TEST: ExamRecord(2, True), ExamKind.APTITUDE_TEST: ExamRecord(1, False)},
        outcome=RecognitionOutcome.COMPENSATION_REQUIRED,
        chosen=CompensationMeasure.KNOWLEDGE_TEST,
    )
    assert plan.picture() == replace(NURSE_READY, measures=(COURSE_DONE,))
