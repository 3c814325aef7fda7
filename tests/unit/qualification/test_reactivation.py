"""A participant who dropped out comes back: the withdrawn plan is active again, what the withdrawal cancelled stays
cancelled, and the rules plan the language courses still missing."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

from services.qualification import domain
from services.qualification.domain import Plan, PlanStatus
from services.qualification.domain.measures import MeasureSpec, MeasureStatus
from services.qualification.domain.plan import UNASSIGNED_PROVIDER, PlannedBy
from shared.contracts.enums import CefrLevel, CompensationMeasure, Profession, RecognitionOutcome, Residence, Route
from shared.contracts.qualification import (
    LanguageDomain,
    MeasureKind,
    MeasurePlanned,
    PlanMeasure,
    QualificationCompleted,
)
from shared.contracts.recruitment import IntakeRecorded, ParticipantReactivated, ParticipantStatus
from tests.unit.qualification.plans import (
    DAY,
    PID,
    applied,
    certificate,
    choosing,
    complete,
    decided,
    enrolled,
    recruited,
    recruited_event,
    the,
)

COURSE = MeasureKind.LANGUAGE_COURSE
PREPARATION = MeasureKind.KNOWLEDGE_TEST_PREPARATION
BACK_ON = date(2026, 11, 2)


def reactivation(previous: ParticipantStatus = ParticipantStatus.WITHDRAWN) -> ParticipantReactivated:
    return ParticipantReactivated(participant_id=PID, reactivated_on=BACK_ON, previous_status=previous)


def courses(plan: Plan) -> list[tuple[MeasureStatus, PlannedBy]]:
    return [(m.status, m.planned_by) for m in plan.measures if m.kind is COURSE]


def test_a_withdrawn_plan_is_active_again_and_the_rules_plan_the_course_still_missing_anew() -> None:
    before = recruited()  # a B1 nurse: one course towards B2 planned by the rules
    withdrawn = domain.withdraw(before).state

    decision = domain.reactivate(withdrawn, reactivation())

    after = decision.state
    assert after.status is PlanStatus.ACTIVE
    assert courses(after) == [(MeasureStatus.CANCELLED, PlannedBy.RULES), (MeasureStatus.PLANNED, PlannedBy.RULES)]
    cancelled, anew = (m for m in after.measures if m.kind is COURSE)
    assert cancelled == the(withdrawn, COURSE)  # stays cancelled
    spec = MeasureSpec(COURSE, CefrLevel.B2, LanguageDomain.PROFESSIONAL, round=1)
    assert anew.measure_id == spec.measure_id(PID) != cancelled.measure_id
    assert (anew.provider_id, anew.target_level) == (UNASSIGNED_PROVIDER, CefrLevel.B2)
    assert decision.events == (
        MeasurePlanned(
            participant_id=PID,
            measure_id=anew.measure_id,
            measure_kind=COURSE,
            provider_id=UNASSIGNED_PROVIDER,
            target_level=CefrLevel.B2,
            language_domain=LanguageDomain.PROFESSIONAL,
            starts_on=None,
        ),
    )


def test_partners_plan_and_commands_apply_again_after_the_return() -> None:
    back = domain.reactivate(domain.withdraw(recruited()).state, reactivation()).state
    measure_id = uuid.uuid4()
    command = PlanMeasure(
        participant_id=PID,
        measure_id=measure_id,
        measure_kind=COURSE,
        provider_id="language-school-x",
        target_level=CefrLevel.B2,
        language_domain=LanguageDomain.PROFESSIONAL,
    )

    decision = domain.plan_measure(back, command, id_in_use=False, today=BACK_ON)

    assert decision.state.measure(measure_id) is not None
    # the partner's course replaces the one the rules planned on the return, nobody having taken that on yet
    assert courses(decision.state) == [
        (MeasureStatus.CANCELLED, PlannedBy.RULES),
        (MeasureStatus.DROPPED, PlannedBy.RULES),
        (MeasureStatus.PLANNED, PlannedBy.PARTNER),
    ]


def test_the_cancelled_compensation_measure_stays_cancelled_for_the_partner_to_plan_anew() -> None:
    plan = choosing(recruited(), CompensationMeasure.KNOWLEDGE_TEST)
    plan = domain.complete_measure(enrolled(plan, COURSE), complete(the(plan, COURSE).measure_id)).state

    back = domain.reactivate(domain.withdraw(plan).state, reactivation()).state

    assert the(back, PREPARATION).status is MeasureStatus.CANCELLED
    assert courses(back) == [(MeasureStatus.COMPLETED, PlannedBy.RULES)]  # done: no course planned again
    assert back.chosen is CompensationMeasure.KNOWLEDGE_TEST


def test_the_courses_planned_on_return_follow_the_profile_as_it_is_now() -> None:
    withdrawn = domain.withdraw(recruited()).state
    intake = IntakeRecorded(
        participant_id=PID,
        recorded_on=DAY,
        target_profession=Profession.DOCTOR,
        isco_code=None,
        country_of_training="PH",
        language_level=CefrLevel.A2,
        residence=Residence.ABROAD,
        region="DE-SL",
    )
    while_away = domain.intake_recorded(withdrawn, intake).state  # kept, plans nothing

    back = domain.reactivate(while_away, reactivation()).state

    planned = [(m.target_level, m.language_domain) for m in back.measures if m.status is MeasureStatus.PLANNED]
    doctor = domain.participant_recruited(Plan(PID), recruited_event(Profession.DOCTOR, CefrLevel.A2), DAY).state
    assert planned == [(m.target_level, m.language_domain) for m in doctor.measures]
    assert len(planned) >= 1


def test_a_plan_settled_while_away_completes_on_the_day_of_the_return() -> None:
    plan = domain.record_language_certificate(applied(), certificate(CefrLevel.B2)).state
    withdrawn = domain.withdraw(plan).state
    full = decided(RecognitionOutcome.FULL_EQUIVALENCE)
    while_away = domain.recognition_decided(withdrawn, full)
    assert while_away.events == ()  # a withdrawn plan does not complete

    decision = domain.reactivate(while_away.state, reactivation())

    assert decision.events == (
        QualificationCompleted(
            participant_id=PID, completed_on=BACK_ON, language_level=CefrLevel.B2, route=Route.NURSE
        ),
    )
    assert decision.state.completed_on == BACK_ON


def test_a_reactivation_of_a_plan_that_was_not_withdrawn_changes_nothing() -> None:
    plan = recruited()  # e.g. the participant completed: nothing was cancelled

    decision = domain.reactivate(plan, reactivation(ParticipantStatus.COMPLETED))

    assert decision.state is plan and decision.events == ()


def test_a_reactivation_told_again_plans_nothing_more() -> None:
    back = domain.reactivate(domain.withdraw(recruited()).state, reactivation()).state

    again = domain.reactivate(back, reactivation())

    assert again.state is back and again.events == ()


def test_a_second_withdrawal_and_return_plans_the_course_in_a_further_round() -> None:
    first = domain.reactivate(domain.withdraw(recruited()).state, reactivation()).state

    second = domain.reactivate(domain.withdraw(first).state, reactivation()).state

    assert courses(second) == [
        (MeasureStatus.CANCELLED, PlannedBy.RULES),
        (MeasureStatus.CANCELLED, PlannedBy.RULES),
        (MeasureStatus.PLANNED, PlannedBy.RULES),
    ]
    assert len({m.measure_id for m in second.measures}) == 3
    assert replace(second, measures=()) == replace(first, measures=())
