"""The German each reference profession needs (every row of the published LANGUAGE_TARGETS), which certificates
prove it, which language courses and compensation measures the rules plan, and their ids."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from services.qualification.domain.language import (
    Certificate,
    language_courses,
    medical_language_exam,
    target_level,
    targets_for,
    unmet,
)
from services.qualification.domain.measures import MeasureSpec, MeasureStatus, compensation_to_plan
from shared.contracts.enums import CefrLevel, CompensationMeasure, LanguageCertificate, Profession, Route
from shared.contracts.qualification import LanguageDomain, MeasureKind
from shared.contracts.routes import LANGUAGE_TARGETS

B1, B2, C1 = CefrLevel.B1, CefrLevel.B2, CefrLevel.C1
GENERAL, PROFESSIONAL, MEDICAL = LanguageDomain.GENERAL, LanguageDomain.PROFESSIONAL, LanguageDomain.MEDICAL
DAY = date(2025, 11, 3)


def cert(
    level: CefrLevel, domain: LanguageDomain, issuer: LanguageCertificate = LanguageCertificate.TELC
) -> Certificate:
    return Certificate(level, domain, issuer, DAY)


def reached(profession: Profession, *certificates: Certificate) -> bool:
    return not unmet(targets_for(profession, None), certificates)


def test_every_profession_has_a_row() -> None:
    assert set(LANGUAGE_TARGETS) == set(Profession)


def test_nurses_need_b2_in_any_domain_and_get_a_professional_course() -> None:
    assert not reached(Profession.NURSING_PROFESSIONAL, cert(B1, PROFESSIONAL))
    assert all(reached(Profession.NURSING_PROFESSIONAL, cert(B2, domain)) for domain in LanguageDomain)
    assert reached(Profession.NURSING_PROFESSIONAL, cert(C1, MEDICAL, LanguageCertificate.OESD))
    assert language_courses(targets_for(Profession.NURSING_PROFESSIONAL, None), B1) == [
        MeasureSpec(MeasureKind.LANGUAGE_COURSE, B2, PROFESSIONAL)
    ]
    assert language_courses(targets_for(Profession.NURSING_PROFESSIONAL, None), B2) == []


def test_doctors_need_general_b2_and_the_fachsprachpruefung_and_get_a_course_for_each() -> None:
    general = cert(B2, GENERAL)
    assert not reached(Profession.DOCTOR, general)
    assert not reached(Profession.DOCTOR, general, cert(C1, MEDICAL))  # C1 medical, but not the chamber's exam
    assert not reached(Profession.DOCTOR, cert(B2, PROFESSIONAL), medical_language_exam(DAY))
    assert reached(Profession.DOCTOR, general, medical_language_exam(DAY))
    assert language_courses(targets_for(Profession.DOCTOR, None), B1) == [
        MeasureSpec(MeasureKind.LANGUAGE_COURSE, B2, GENERAL),
        MeasureSpec(MeasureKind.LANGUAGE_COURSE, C1, MEDICAL),
    ]
    # declared C2 general German: an exam, not a course, for B2; the medical exam still needs its course
    assert language_courses(targets_for(Profession.DOCTOR, None), CefrLevel.C2) == [
        MeasureSpec(MeasureKind.LANGUAGE_COURSE, C1, MEDICAL)
    ]
    assert target_level(targets_for(Profession.DOCTOR, None)) is C1


def test_nursing_assistants_need_b1_in_any_domain_and_get_a_general_course() -> None:
    assert reached(Profession.NURSING_ASSISTANT, cert(B1, PROFESSIONAL))
    assert not reached(Profession.NURSING_ASSISTANT, cert(CefrLevel.A2, GENERAL))
    assert language_courses(targets_for(Profession.NURSING_ASSISTANT, None), CefrLevel.A2) == [
        MeasureSpec(MeasureKind.LANGUAGE_COURSE, B1, GENERAL)
    ]


@pytest.mark.parametrize("profession", [Profession.HOME_CARE, Profession.OTHER])
def test_home_care_and_other_professions_need_no_german_and_get_no_course(profession: Profession) -> None:
    assert reached(profession)
    assert language_courses(targets_for(profession, None), CefrLevel.A1) == []
    assert target_level(targets_for(profession, None)) is None


@pytest.mark.parametrize("profession", list(Profession))
def test_vocational_training_needs_no_german_the_training_proves_it(profession: Profession) -> None:
    assert targets_for(profession, Route.VOCATIONAL_TRAINING) == ()


def test_without_a_profession_nothing_is_needed_yet() -> None:
    assert targets_for(None, Route.NURSE) == ()


def test_a_certificate_already_held_makes_its_course_unnecessary() -> None:
    held = [Certificate(B2, GENERAL, LanguageCertificate.GOETHE, DAY)]
    assert language_courses(targets_for(Profession.NURSING_PROFESSIONAL, None), CefrLevel.A2, held) == []


def test_planned_measure_ids_derive_from_participant_and_purpose() -> None:
    spec = MeasureSpec(MeasureKind.LANGUAGE_COURSE, B2, PROFESSIONAL)
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


def test_choosing_again_after_its_measure_closed_plans_a_new_round_with_a_new_id() -> None:
    dropped = [(MeasureKind.ADAPTATION_COURSE, MeasureStatus.DROPPED)]
    again = compensation_to_plan(CompensationMeasure.ADAPTATION_COURSE, dropped)
    assert again is not None and again == MeasureSpec(MeasureKind.ADAPTATION_COURSE, round=1)
    pid = uuid.uuid4()
    assert again.measure_id(pid) != MeasureSpec(MeasureKind.ADAPTATION_COURSE).measure_id(pid)
