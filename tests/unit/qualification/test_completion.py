"""When a qualification plan is complete (recognition settled as its route requires, the German proved, no measure
left open), every row of the completion table, and how settling a plan completes it once."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

import pytest

from services.qualification.domain import Measure, Plan, PlanStatus, settle
from services.qualification.domain.completion import SETTLEMENTS, Picture, is_qualified, recognition_settled
from services.qualification.domain.exams import ExamRecord
from services.qualification.domain.language import Certificate
from services.qualification.domain.measures import MeasureStatus
from services.qualification.domain.plan import PlannedBy
from shared.contracts.enums import (
    CefrLevel,
    CompensationMeasure,
    LanguageCertificate,
    Profession,
    RecognitionOutcome,
    Route,
)
from shared.contracts.qualification import ExamKind, ExamPart, LanguageDomain, MeasureKind, QualificationCompleted
from shared.contracts.routes import LANGUAGE_TARGETS
from shared.decision import Decision

PID = uuid.UUID("0b5e8f1c-2d3a-4b6c-9e7f-1a2b3c4d5e6f")
DAY = date(2026, 3, 2)
Outcome, M = RecognitionOutcome, CompensationMeasure


def certified(level: CefrLevel, domain: LanguageDomain) -> Certificate:
    return Certificate(level, domain, LanguageCertificate.TELC, DAY)


B2_GENERAL = certified(CefrLevel.B2, LanguageDomain.GENERAL)
COURSE_DONE = (MeasureKind.LANGUAGE_COURSE, MeasureStatus.COMPLETED)
PREPARATION_PASSED = (MeasureKind.KNOWLEDGE_TEST_PREPARATION, MeasureStatus.PASSED)

NURSE_READY = Picture(
    recruited=True,
    route=Route.NURSE,
    route_closed=False,
    targets=LANGUAGE_TARGETS[Profession.NURSING_PROFESSIONAL],
    certificates=(B2_GENERAL,),
    measures=(COURSE_DONE, PREPARATION_PASSED),
    exams_passed=frozenset({ExamKind.KNOWLEDGE_TEST}),
    outcome=Outcome.COMPENSATION_REQUIRED,
    chosen=M.KNOWLEDGE_TEST,
)
DECIDED = replace(NURSE_READY, measures=(COURSE_DONE,), exams_passed=frozenset(), chosen=None)
ADAPTATION_DONE = (MeasureKind.ADAPTATION_COURSE, MeasureStatus.COMPLETED)

# Each row of the completion table: (route, what is known, settled?).
ROWS = [
    (Route.NON_REGULATED, replace(DECIDED, outcome=Outcome.FULL_EQUIVALENCE), True),
    (Route.NON_REGULATED, replace(DECIDED, outcome=Outcome.PARTIAL_EQUIVALENCE), True),
    (Route.NON_REGULATED, replace(DECIDED, outcome=Outcome.REJECTED), False),
    *(
        row
        for route in (Route.REGULATED, Route.DOCTOR, Route.NURSE)
        for row in (
            (route, replace(DECIDED, outcome=Outcome.FULL_EQUIVALENCE), True),
            (route, replace(DECIDED, outcome=Outcome.PARTIAL_EQUIVALENCE), False),
            (route, replace(DECIDED, outcome=Outcome.REJECTED), False),
            (route, replace(DECIDED, outcome=Outcome.COMPENSATION_REQUIRED), False),
            (route, NURSE_READY, True),
            (route, replace(NURSE_READY, exams_passed=frozenset()), False),
            (route, replace(DECIDED, outcome=Outcome.COMPENSATION_REQUIRED, chosen=M.ADAPTATION_COURSE), False),
            (
                route,
                replace(
                    DECIDED,
                    outcome=Outcome.COMPENSATION_REQUIRED,
                    chosen=M.ADAPTATION_COURSE,
                    measures=(COURSE_DONE, ADAPTATION_DONE),
                ),
                True,
            ),
            (route, replace(NURSE_READY, chosen=M.APTITUDE_TEST), False),
        )
    ),
    *(
        row
        for route in (Route.STATEMENT_OF_COMPARABILITY, Route.NO_RECOGNITION_NEEDED, Route.VOCATIONAL_TRAINING)
        for row in (
            (route, replace(DECIDED, outcome=None, route_closed=True), True),
            (route, replace(DECIDED, outcome=Outcome.FULL_EQUIVALENCE, route_closed=False), False),
        )
    ),
    (None, replace(DECIDED, outcome=Outcome.FULL_EQUIVALENCE), False),
]


@pytest.mark.parametrize(("route", "picture", "settled"), ROWS)
def test_recognition_is_settled_as_each_row_of_the_table_says(route: Route, picture: Picture, settled: bool) -> None:
    assert recognition_settled(replace(picture, route=route)) is settled


def test_every_route_has_a_row_with_its_source() -> None:
    assert set(SETTLEMENTS) == set(Route)
    assert all(row.source for row in SETTLEMENTS.values())


def test_a_nurse_with_b2_a_finished_course_and_a_passed_knowledge_test_is_qualified() -> None:
    assert is_qualified(NURSE_READY)


def test_without_a_decision_the_plan_waits() -> None:
    assert not is_qualified(replace(NURSE_READY, outcome=None, chosen=None))


def test_an_open_measure_holds_the_plan_up_but_a_dropped_one_does_not() -> None:
    enrolled = (MeasureKind.LANGUAGE_COURSE, MeasureStatus.ENROLLED)
    dropped = (MeasureKind.LANGUAGE_COURSE, MeasureStatus.DROPPED)
    assert not is_qualified(replace(NURSE_READY, measures=(*NURSE_READY.measures, enrolled)))
    assert is_qualified(replace(NURSE_READY, measures=(*NURSE_READY.measures, dropped)))


def test_the_language_target_needs_a_certificate_not_a_declared_level() -> None:
    assert not is_qualified(replace(NURSE_READY, certificates=()))
    assert not is_qualified(replace(NURSE_READY, certificates=(certified(CefrLevel.B1, LanguageDomain.GENERAL),)))


def test_a_participant_not_yet_recruited_is_never_qualified() -> None:
    assert not is_qualified(replace(NURSE_READY, recruited=False))


def test_routes_without_a_language_target_need_no_certificate() -> None:
    assert is_qualified(replace(NURSE_READY, targets=(), certificates=()))


def test_settling_a_qualified_plan_completes_it_once_on_the_given_day_with_the_highest_level_and_route() -> None:
    plan = Plan(
        PID,
        profession=Profession.NURSING_PROFESSIONAL,
        route=Route.NURSE,
        certificates=(B2_GENERAL, certified(CefrLevel.C1, LanguageDomain.MEDICAL)),
        outcome=Outcome.FULL_EQUIVALENCE,
    )

    decision = settle(plan, DAY)

    assert decision.events == (
        QualificationCompleted(participant_id=PID, completed_on=DAY, language_level=CefrLevel.C1, route=Route.NURSE),
    )
    assert decision.state == replace(plan, completed_on=DAY)
    assert settle(decision.state, date(2026, 9, 1)) == Decision(decision.state)


def test_settling_decides_nothing_while_the_picture_is_open_or_the_plan_withdrawn() -> None:
    waiting = Plan(PID, profession=Profession.NURSING_PROFESSIONAL, route=Route.NURSE, certificates=(B2_GENERAL,))
    assert settle(waiting, DAY) == Decision(waiting)
    qualified = replace(waiting, outcome=Outcome.FULL_EQUIVALENCE)
    withdrawn = replace(qualified, status=PlanStatus.WITHDRAWN)
    assert settle(withdrawn, DAY) == Decision(withdrawn)


def test_a_plans_picture_is_what_completion_depends_on() -> None:
    course = Measure(uuid.uuid4(), MeasureKind.LANGUAGE_COURSE, MeasureStatus.COMPLETED, "school", PlannedBy.RULES)
    plan = Plan(
        PID,
        profession=Profession.NURSING_PROFESSIONAL,
        route=Route.NURSE,
        certificates=(B2_GENERAL,),
        measures=(course,),
        exams={
            (ExamKind.KNOWLEDGE_TEST, ExamPart.ORAL): ExamRecord(1, True),
            (ExamKind.KNOWLEDGE_TEST, ExamPart.PRACTICAL): ExamRecord(2, True),
            (ExamKind.APTITUDE_TEST, None): ExamRecord(1, False),
        },
        outcome=Outcome.COMPENSATION_REQUIRED,
        chosen=M.KNOWLEDGE_TEST,
    )
    assert plan.picture() == replace(NURSE_READY, measures=(COURSE_DONE,))
    one_part = {**plan.exams, (ExamKind.KNOWLEDGE_TEST, ExamPart.PRACTICAL): ExamRecord(2, False)}
    assert replace(plan, exams=one_part).picture().exams_passed == frozenset()


def test_the_reference_profession_and_the_route_decide_the_targets() -> None:
    plan = Plan(PID, profession=Profession.NURSING_PROFESSIONAL, reference_profession=Profession.DOCTOR)
    assert plan.picture().targets == LANGUAGE_TARGETS[Profession.DOCTOR]
    assert replace(plan, route=Route.VOCATIONAL_TRAINING).picture().targets == ()
