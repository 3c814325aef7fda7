"""What other stages' facts decide about the plan: this stage's copy of them, the measures the rules plan in
answer, and whether the plan is complete. Never refused: a fact has happened. Pure."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from services.qualification.domain.language import language_courses
from services.qualification.domain.measures import MeasureStatus, compensation_to_plan, is_open
from services.qualification.domain.plan import Plan, PlanStatus, plan_by_rules, settle
from shared.contracts.enums import CefrLevel, Profession
from shared.contracts.recognition import CompensationMeasureChosen, RecognitionDecided
from shared.contracts.recruitment import IntakeRecorded, ParticipantRecruited
from shared.decision import Decision


def participant_recruited(plan: Plan, event: ParticipantRecruited, today: date) -> Decision[Plan]:
    return _profile(plan, event.target_profession, event.language_level, today)


def intake_recorded(plan: Plan, event: IntakeRecorded) -> Decision[Plan]:
    return _profile(plan, event.target_profession, event.language_level, event.recorded_on)


def withdraw(plan: Plan) -> Decision[Plan]:
    """The participant left: the measures still open are cancelled, the plan takes no more commands."""
    cancelled = tuple(
        replace(m, status=MeasureStatus.CANCELLED) if is_open(m.kind, m.status) else m for m in plan.measures
    )
    return Decision(replace(plan, status=PlanStatus.WITHDRAWN, measures=cancelled))


def recognition_decided(plan: Plan, event: RecognitionDecided) -> Decision[Plan]:
    after = replace(
        plan, outcome=event.outcome, decided_on=event.decided_on, measures_offered=frozenset(event.measures_offered)
    )
    return settle(after, event.decided_on)


def compensation_measure_chosen(plan: Plan, event: CompensationMeasureChosen) -> Decision[Plan]:
    """The measure for the chosen compensation is planned, unless one of its kind is open or done already."""
    after = replace(plan, chosen=event.measure)
    if after.status is not PlanStatus.ACTIVE:
        return Decision(after)
    spec = compensation_to_plan(event.measure, [(m.kind, m.status) for m in after.measures])
    decision = plan_by_rules(after, [] if spec is None else [spec])
    return decision.then(settle(decision.state, event.chosen_on))


def _profile(plan: Plan, profession: Profession, level: CefrLevel, on: date) -> Decision[Plan]:
    """Recruitment and intake tell the target profession and declared level; the language courses missing are
    planned (only for an active plan), then the plan settles."""
    after = replace(plan, profession=profession, declared_level=level)
    if after.status is not PlanStatus.ACTIVE:
        return Decision(after)
    decision = plan_by_rules(after, language_courses(profession, level, after.certificates))
    return decision.then(settle(decision.state, on))
