"""The contradictions issue 11 lists, one test each: every one held on the recognition service before it followed
the routes of the law, and none may come back. Each test is named after the contradiction it rules out."""

from __future__ import annotations

from datetime import date

import pytest

from services.recognition import domain
from services.recognition.domain import CaseState, Outcome
from shared.contracts.enums import CompensationMeasure, Profession, Route
from shared.contracts.recognition import CompensationMeasureChosen, LegalBasis, LicenceKind
from shared.refusals import InvalidValue, NotAllowed
from tests.unit.recognition.steps import (
    DOCTOR,
    choice,
    complete,
    decided,
    exam_finally_failed,
    licence,
    ruling,
)


def test_contradiction_a_licence_is_granted_straight_after_a_deficit_notice_with_no_measure_passed() -> None:
    chosen = domain.choose(decided(Outcome.COMPENSATION_REQUIRED), choice("knowledge_test")).state

    with pytest.raises(NotAllowed) as refused:
        domain.grant(chosen, licence(LicenceKind.NURSING_LICENCE, date(2025, 9, 1)))

    assert str(refused.value).startswith(
        "cannot grant licence: waits for QualificationCompleted: the chosen knowledge_test is not passed or the"
        " language not proved yet; the case is measure_chosen"
    )


def test_contradiction_a_doctor_trained_outside_the_eu_can_be_offered_an_adaptation_course() -> None:
    with pytest.raises(InvalidValue) as refused:
        domain.decide(complete(DOCTOR), ruling(Outcome.COMPENSATION_REQUIRED, frozenset({"adaptation_course"})))

    assert refused.value.field == "measures_offered"
    assert str(refused.value).startswith("the doctor route, trained outside the EU/EEA/CH: knowledge_test only (BÄO")
    assert str(refused.value).endswith("offered: adaptation_course")


def test_contradiction_after_the_last_failed_attempt_recognition_still_accepts_a_licence() -> None:
    chosen = domain.choose(decided(Outcome.COMPENSATION_REQUIRED), choice("knowledge_test")).state
    failed = domain.finally_failed(chosen, exam_finally_failed()).state

    with pytest.raises(NotAllowed, match=r"the knowledge_test \(practical\) was finally failed on 2026-03-12"):
        domain.grant(failed, licence(LicenceKind.NURSING_LICENCE, date(2026, 4, 1)))


def test_contradiction_the_choice_of_measure_can_never_change() -> None:
    chosen = domain.choose(decided(Outcome.COMPENSATION_REQUIRED), choice("adaptation_course")).state

    changed = domain.choose(chosen, choice("knowledge_test"))

    assert changed.state.measure == "knowledge_test" and changed.state.state is CaseState.MEASURE_CHOSEN
    assert changed.events == (
        CompensationMeasureChosen(
            **choice("knowledge_test").model_dump(), previous_measure=CompensationMeasure.ADAPTATION_COURSE
        ),
    )


def test_contradiction_the_decision_deadline_ignores_the_legal_basis() -> None:
    # Complete on 10 March, trained in the Philippines: the PflBG (Directive 2005/36/EC, general system) gives the
    # authority 4 months, a Land law's BQFG 3.
    nurse = complete(Profession.NURSING_PROFESSIONAL)
    assistant = complete(Profession.NURSING_ASSISTANT, legal_basis=LegalBasis.LAND_BQFG)

    assert nurse.decision_due_on == date(2025, 7, 10)
    assert assistant.decision_due_on == date(2025, 6, 10)


def test_contradiction_home_support_is_treated_as_regulated() -> None:
    home_care = complete(Profession.HOME_CARE, legal_basis=LegalBasis.BQFG)

    assert home_care.route is Route.NON_REGULATED
    with pytest.raises(InvalidValue, match="compensation_required exists only for regulated professions") as refused:
        domain.decide(home_care, ruling(Outcome.COMPENSATION_REQUIRED))
    assert refused.value.field == "outcome"
    assert domain.decide(home_care, ruling(Outcome.PARTIAL_EQUIVALENCE)).state.outcome is Outcome.PARTIAL_EQUIVALENCE
