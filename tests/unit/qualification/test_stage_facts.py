"""What other stages' facts decide about a plan: the copy kept, the measures the rules plan, completion."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

import pytest

from services.qualification import domain
from services.qualification.domain import Plan, PlanStatus
from services.qualification.domain.measures import MeasureSpec, MeasureStatus
from services.qualification.domain.plan import UNASSIGNED_PROVIDER, PlannedBy
from shared.contracts.enums import CefrLevel, CompensationMeasure, Profession, RecognitionOutcome, Route
from shared.contracts.qualification import (
    DropMeasure,
    DropReason,
    LanguageDomain,
    MeasureDropped,
    MeasureKind,
    MeasurePlanned,
    PlanMeasure,
    QualificationCompleted,
)
from shared.contracts.recognition import (
    ComparabilityStated,
    RecognitionNotNeeded,
    TrainingCompleted,
    TrainingStarted,
)
from shared.contracts.recruitment import IntakeRecorded, Residence
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
    recruited,
    recruited_event,
    submitted,
    the,
)

COURSE = MeasureKind.LANGUAGE_COURSE
PREPARATION = MeasureKind.KNOWLEDGE_TEST_PREPARATION
ADAPTATION = MeasureKind.ADAPTATION_COURSE
LATER = date(2026, 9, 1)


def intake(level: CefrLevel, profession: Profession = Profession.NURSING_PROFESSIONAL) -> IntakeRecorded:
    return IntakeRecorded(
        participant_id=PID,
        recorded_on=LATER,
        target_profession=profession,
        isco_code=None,
        country_of_training="PH",
        language_level=level,
        residence=Residence.IN_GERMANY,
        region="DE-SL",
    )


def test_recruiting_a_b1_nurse_plans_a_professional_b2_course_by_the_rules() -> None:
    decision = domain.participant_recruited(Plan(PID), recruited_event(), DAY)

    course_id = MeasureSpec(COURSE, CefrLevel.B2, LanguageDomain.PROFESSIONAL).measure_id(PID)
    assert decision.events == (
        MeasurePlanned(
            participant_id=PID,
            measure_id=course_id,
            measure_kind=COURSE,
            provider_id=UNASSIGNED_PROVIDER,
            target_level=CefrLevel.B2,
            language_domain=LanguageDomain.PROFESSIONAL,
            starts_on=None,
        ),
    )
    [course] = decision.state.measures
    assert (course.measure_id, course.status, course.planned_by) == (course_id, MeasureStatus.PLANNED, PlannedBy.RULES)
    assert (decision.state.profession, decision.state.declared_level) == (Profession.NURSING_PROFESSIONAL, CefrLevel.B1)


def test_the_same_fact_again_plans_nothing_twice() -> None:
    plan = recruited()
    again = domain.participant_recruited(plan, recruited_event(), DAY)
    assert again.events == () and again.state == plan


def test_a_doctor_gets_a_course_per_unproved_requirement_in_order() -> None:
    plan = recruited(Profession.DOCTOR)
    assert [(m.target_level, m.language_domain) for m in plan.measures] == [
        (CefrLevel.B2, LanguageDomain.GENERAL),
        (CefrLevel.C1, LanguageDomain.MEDICAL),
    ]


def test_an_intake_updates_the_profile_and_plans_what_the_new_profession_needs() -> None:
    decision = domain.intake_recorded(recruited(), intake(CefrLevel.B1, Profession.DOCTOR))

    assert decision.state.profession is Profession.DOCTOR
    planned = [(e.target_level, e.language_domain) for e in decision.events if isinstance(e, MeasurePlanned)]
    assert planned == [(CefrLevel.B2, LanguageDomain.GENERAL), (CefrLevel.C1, LanguageDomain.MEDICAL)]
    nurses_course = decision.state.measures[0]  # nobody took it on: dropped, the doctor does not need it
    assert nurses_course.language_domain is LanguageDomain.PROFESSIONAL
    assert nurses_course.status is MeasureStatus.DROPPED
    [drop] = [e for e in decision.events if isinstance(e, MeasureDropped)]
    assert (drop.measure_id, drop.reason) == (nurses_course.measure_id, DropReason.NOT_NEEDED)


def test_a_withdrawn_plan_keeps_the_new_profile_but_plans_nothing() -> None:
    withdrawn = domain.withdraw(recruited()).state

    decision = domain.intake_recorded(withdrawn, intake(CefrLevel.A2, Profession.DOCTOR))

    assert decision.events == ()
    assert decision.state == replace(withdrawn, profession=Profession.DOCTOR, declared_level=CefrLevel.A2)


def test_withdrawal_cancels_the_open_measures_keeps_the_finished_ones_and_says_nothing() -> None:
    plan = choosing(recruited(), CompensationMeasure.KNOWLEDGE_TEST)
    plan = domain.complete_measure(enrolled(plan, COURSE), complete(the(plan, COURSE).measure_id)).state

    decision = domain.withdraw(plan)

    assert decision.events == ()
    assert decision.state.status is PlanStatus.WITHDRAWN
    assert the(decision.state, COURSE) == the(plan, COURSE)  # completed, done
    assert the(decision.state, PREPARATION) == replace(the(plan, PREPARATION), status=MeasureStatus.CANCELLED)


def test_a_decision_before_recruitment_is_kept_and_completes_nothing() -> None:
    offered = (CompensationMeasure.ADAPTATION_COURSE, CompensationMeasure.KNOWLEDGE_TEST)

    decision = domain.recognition_decided(Plan(PID), decided(RecognitionOutcome.COMPENSATION_REQUIRED, *offered))

    assert decision.events == ()
    assert decision.state == replace(
        Plan(PID),
        outcome=RecognitionOutcome.COMPENSATION_REQUIRED,
        decided_on=DAY,
        measures_offered=frozenset(offered),
    )


def test_full_equivalence_completes_a_plan_with_nothing_else_to_do_on_the_decision_day() -> None:
    plan = domain.application_submitted(recruited(Profession.OTHER), submitted(Profession.OTHER)).state

    decision = domain.recognition_decided(plan, decided(RecognitionOutcome.FULL_EQUIVALENCE))

    assert decision.events == (
        QualificationCompleted(participant_id=PID, completed_on=DAY, language_level=None, route=Route.NON_REGULATED),
    )
    assert decision.state.completed_on == DAY


def test_recruitment_after_the_decision_may_complete_the_plan_on_the_day_given() -> None:
    plan = domain.application_submitted(Plan(PID), submitted(Profession.OTHER)).state
    plan = domain.recognition_decided(plan, decided(RecognitionOutcome.PARTIAL_EQUIVALENCE)).state

    decision = domain.participant_recruited(plan, recruited_event(Profession.OTHER), LATER)

    assert decision.events == (
        QualificationCompleted(participant_id=PID, completed_on=LATER, language_level=None, route=Route.NON_REGULATED),
    )


def test_a_chosen_compensation_plans_its_preparation_once() -> None:
    plan = domain.recognition_decided(recruited(), decided(RecognitionOutcome.COMPENSATION_REQUIRED)).state

    decision = domain.compensation_measure_chosen(plan, chosen(CompensationMeasure.KNOWLEDGE_TEST))

    [planned] = decision.events
    assert isinstance(planned, MeasurePlanned) and planned.measure_kind is PREPARATION
    assert planned.measure_id == MeasureSpec(PREPARATION).measure_id(PID)
    assert decision.state.chosen is CompensationMeasure.KNOWLEDGE_TEST
    again = domain.compensation_measure_chosen(decision.state, chosen(CompensationMeasure.KNOWLEDGE_TEST))
    assert again.events == () and again.state == decision.state


def test_choosing_again_after_a_drop_plans_a_new_round() -> None:
    plan = choosing(recruited(), CompensationMeasure.ADAPTATION_COURSE)
    first = the(plan, ADAPTATION)
    drop = DropMeasure(participant_id=PID, measure_id=first.measure_id, dropped_on=DAY, reason=DropReason.OTHER)
    plan = domain.drop_measure(plan, drop).state

    decision = domain.compensation_measure_chosen(plan, chosen(CompensationMeasure.ADAPTATION_COURSE, LATER))

    [planned] = decision.events
    assert isinstance(planned, MeasurePlanned)
    assert planned.measure_id == MeasureSpec(ADAPTATION, round=1).measure_id(PID) != first.measure_id


def test_a_choice_for_a_withdrawn_plan_is_kept_but_plans_nothing() -> None:
    withdrawn = domain.withdraw(recruited()).state
    decision = domain.compensation_measure_chosen(withdrawn, chosen(CompensationMeasure.APTITUDE_TEST))
    assert decision.events == ()
    assert decision.state == replace(withdrawn, chosen=CompensationMeasure.APTITUDE_TEST)


def test_a_choice_met_by_a_measure_already_done_plans_nothing_and_completes_on_the_choice_day() -> None:
    plan = domain.recognition_decided(
        applied(level=CefrLevel.B2), decided(RecognitionOutcome.COMPENSATION_REQUIRED)
    ).state
    plan = domain.record_language_certificate(plan, certificate()).state
    course = PlanMeasure(participant_id=PID, measure_id=uuid.uuid4(), measure_kind=ADAPTATION, provider_id="school")
    plan = enrolled(domain.plan_measure(plan, course, id_in_use=False, today=DAY).state, ADAPTATION)
    plan = domain.complete_measure(plan, complete(course.measure_id)).state
    assert plan.completed_on is None  # no compensation chosen yet

    decision = domain.compensation_measure_chosen(plan, chosen(CompensationMeasure.ADAPTATION_COURSE, LATER))

    assert decision.events == (
        QualificationCompleted(participant_id=PID, completed_on=LATER, language_level=CefrLevel.B2, route=Route.NURSE),
    )


def test_an_application_sets_the_reference_profession_and_route_and_an_intake_no_longer_changes_them() -> None:
    plan = domain.application_submitted(recruited(), submitted(Profession.DOCTOR, Route.DOCTOR)).state
    assert (plan.governing, plan.route) == (Profession.DOCTOR, Route.DOCTOR)

    decision = domain.intake_recorded(plan, intake(CefrLevel.B1, Profession.NURSING_ASSISTANT))

    assert decision.state.governing is Profession.DOCTOR
    assert decision.events == ()


@pytest.mark.parametrize(
    ("profession", "route"),
    [
        (Profession.DOCTOR, Route.DOCTOR),
        (Profession.NURSING_PROFESSIONAL, Route.NURSE),
        (Profession.NURSING_ASSISTANT, Route.REGULATED),
        (Profession.HOME_CARE, Route.NON_REGULATED),
        (Profession.OTHER, Route.NON_REGULATED),  # under the federal BQFG, not said to be regulated
    ],
)
def test_an_application_without_a_route_takes_it_from_the_published_rules(profession: Profession, route: Route) -> None:
    assert domain.application_submitted(recruited(), submitted(profession)).state.route is route


def test_a_statement_of_comparability_settles_the_plan_by_itself() -> None:
    plan = recruited(Profession.OTHER)
    event = ComparabilityStated(participant_id=PID, issued_on=LATER, occupation=None)

    decision = domain.comparability_stated(plan, event)

    assert decision.events == (
        QualificationCompleted(
            participant_id=PID, completed_on=LATER, language_level=None, route=Route.STATEMENT_OF_COMPARABILITY
        ),
    )


def test_no_recognition_needed_settles_the_plan_once_the_german_is_proved() -> None:
    plan = recruited(Profession.NURSING_ASSISTANT, CefrLevel.B1)  # B1 declared: no course, a certificate needed
    event = RecognitionNotNeeded(participant_id=PID, decided_on=DAY, partner_org="iq-saar-example", occupation=None)

    decision = domain.recognition_not_needed(plan, event)

    assert decision.events == () and decision.state.route is Route.NO_RECOGNITION_NEEDED
    done = domain.record_language_certificate(decision.state, certificate(CefrLevel.B1, obtained_on=LATER))
    assert isinstance(done.events[-1], QualificationCompleted) and done.events[-1].completed_on == LATER


def test_vocational_training_needs_no_german_and_is_settled_by_its_completion() -> None:
    plan = recruited()  # a nurse with B1: the rules planned a B2 course
    started = TrainingStarted(
        participant_id=PID,
        school_id="nursing-school-x",
        profession=Profession.NURSING_PROFESSIONAL,
        occupation=None,
        starts_on=DAY,
        expected_end_on=date(2029, 8, 31),
    )

    decision = domain.training_started(plan, started)

    assert (decision.state.route, decision.state.governing) == (Route.VOCATIONAL_TRAINING, started.profession)
    [drop] = decision.events  # nobody took the course on and the training proves the German
    assert isinstance(drop, MeasureDropped) and drop.measure_id == the(plan, COURSE).measure_id
    completed = TrainingCompleted(participant_id=PID, profession=started.profession, completed_on=LATER)
    done = domain.training_completed(decision.state, completed)
    assert done.events == (
        QualificationCompleted(
            participant_id=PID, completed_on=LATER, language_level=None, route=Route.VOCATIONAL_TRAINING
        ),
    )


def test_a_change_of_measure_drops_the_open_measure_of_the_earlier_choice_and_plans_the_new_one() -> None:
    plan = enrolled(choosing(applied(), CompensationMeasure.ADAPTATION_COURSE), ADAPTATION)
    course = the(plan, ADAPTATION)
    change = chosen(CompensationMeasure.KNOWLEDGE_TEST, LATER, previous=CompensationMeasure.ADAPTATION_COURSE)

    decision = domain.compensation_measure_chosen(plan, change)

    dropped, planned = decision.events
    assert dropped == MeasureDropped(
        participant_id=PID,
        measure_id=course.measure_id,
        measure_kind=ADAPTATION,
        dropped_on=LATER,
        reason=DropReason.MEASURE_CHANGED,
    )
    assert isinstance(planned, MeasurePlanned) and planned.measure_id == MeasureSpec(PREPARATION).measure_id(PID)
    assert decision.state.chosen is CompensationMeasure.KNOWLEDGE_TEST
    assert domain.compensation_measure_chosen(decision.state, change).events == ()  # the same fact again

    back = domain.compensation_measure_chosen(decision.state, chosen(CompensationMeasure.ADAPTATION_COURSE))
    assert [type(e) for e in back.events] == [MeasureDropped, MeasurePlanned]
    again = back.events[1]
    assert isinstance(again, MeasurePlanned)
    assert again.measure_id == MeasureSpec(ADAPTATION, round=1).measure_id(PID) != course.measure_id


def test_a_choice_after_the_partner_planned_that_kind_plans_no_second_one() -> None:
    plan = domain.recognition_decided(applied(), decided(RecognitionOutcome.COMPENSATION_REQUIRED)).state
    own = PlanMeasure(participant_id=PID, measure_id=uuid.uuid4(), measure_kind=PREPARATION, provider_id="school")
    plan = domain.plan_measure(plan, own, id_in_use=False, today=DAY).state

    decision = domain.compensation_measure_chosen(plan, chosen(CompensationMeasure.KNOWLEDGE_TEST))

    assert decision.events == ()
    assert [m.measure_id for m in decision.state.measures if m.kind is PREPARATION] == [own.measure_id]
