"""Which language courses and compensation measures the rules plan, and their ids."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from services.qualification.domain.language import Certificate, language_courses, target_level
from services.qualification.domain.measures import MeasureSpec, MeasureStatus, compensation_to_plan
from shared.contracts.enums import CefrLevel, CompensationMeasure, LanguageCertificate, Profession
from shared.contracts.qualification import LanguageDomain, MeasureKind

B2 = CefrLevel.B2


def test_a_nurse_with_b1_gets_a_professional_b2_course() -> None:
    assert language_courses(Profession.NURSING_PROFESSIONAL, CefrLevel.B1) == [
        MeasureSpec(MeasureKind.LANGUAGE_COURSE, B2, LanguageDomain.PROFESSIONAL)
    ]


def test_a_nurse_who_declares_b2_gets_no_course() -> None:
    assert language_courses(Profession.NURSING_PROFESSIONAL, B2) == []


def test_a_doctor_with_b1_gets_a_general_b2_course_and_a_medical_c1_course() -> None:
    assert language_courses(Profession.DOCTOR, CefrLevel.B1) == [
        MeasureSpec(MeasureKind.LANGUAGE_COURSE, B2, LanguageDomain.GENERAL),
        MeasureSpec(MeasureKind.LANGUAGE_COURSE, CefrLevel.C1, LanguageDomain.MEDICAL),
    ]


def test_a_doctor_with_c2_general_german_still_needs_the_medical_c1_course() -> None:
    assert language_courses(Profession.DOCTOR, CefrLevel.C2) == [
        MeasureSpec(MeasureKind.LANGUAGE_COURSE, CefrLevel.C1, LanguageDomain.MEDICAL)
    ]


@pytest.mark.parametrize("profession", [Profession.NURSING_ASSISTANT, Profession.HOME_CARE])
def test_assistants_and_home_care_aim_for_b1_by_default(profession: Profession) -> None:
    assert language_courses(profession, CefrLevel.A2) == [
        MeasureSpec(MeasureKind.LANGUAGE_COURSE, CefrLevel.B1, LanguageDomain.GENERAL)
    ]
    assert language_courses(profession, CefrLevel.B1) == []
    assert target_level(profession) is CefrLevel.B1


def test_other_professions_have_no_language_rule_and_no_course() -> None:
    assert language_courses(Profession.OTHER, CefrLevel.A1) == []
    assert target_level(Profession.OTHER) is None


def test_a_certificate_already_held_makes_its_course_unnecessary() -> None:
    held = [Certificate(B2, LanguageDomain.GENERAL, LanguageCertificate.GOETHE, date(2025, 11, 3))]
    assert language_courses(Profession.NURSING_PROFESSIONAL, CefrLevel.A2, held) == []


def test_planned_measure_ids_derive_from_participant_and_purpose() -> None:
    spec = MeasureSpec(MeasureKind.LANGUAGE_COURSE, B2, LanguageDomain.PROFESSIONAL)
    someone, someone_else = uuid.uuid4(), uuid.uuid4()
    assert spec.measure_id(someone) == spec.measure_id(someone)
    assert spec.measure_id(someone) != spec.measure_id(someone_else)
    assert spec.measure_id(someone) != MeasureSpec(MeasureKind.ADAPTATION_COURSE).measure_id(someone)


@pytest.mark.parametrize(
    ("chosen", "kind"),
    [
        (CompensationMeasure.KNOWLEDGE_TEST, MeasureKind.KNOWLEDGE_TEST_PREPARATION),
        (CompensationMeasure.APTITUDE_TEST, MeasureKind.APTITUDE_TEST_PREPARATION),
        (CompensationMeasure.ADAPTATION_COURSE, MeasureKind.ADAPTATION_COURSE),
    ],
)
def test_a_chosen_compensation_plans_its_matching_measure(chosen: CompensationMeasure, kind: MeasureKind) -> None:
    assert compensation_to_plan(chosen, []) == MeasureSpec(kind)


def test_choosing_the_same_compensation_again_plans_nothing_while_one_is_open() -> None:
    planned = [(MeasureKind.KNOWLEDGE_TEST_PREPARATION, MeasureStatus.ENROLLED)]
    assert compensation_to_plan(CompensationMeasure.KNOWLEDGE_TEST, planned) is None


def test_choosing_again_after_a_drop_plans_a_new_measure_with_a_new_id() -> None:
    dropped = [(MeasureKind.ADAPTATION_COURSE, MeasureStatus.DROPPED)]
    again = compensation_to_plan(CompensationMeasure.ADAPTATION_COURSE, dropped)
    assert again is not None and again == MeasureSpec(MeasureKind.ADAPTATION_COURSE, round=1)
    pid = uuid.uuid4()
    assert again.measure_id(pid) != MeasureSpec(MeasureKind.ADAPTATION_COURSE).measure_id(pid)
