"""What other stages' facts decide about the plan: this stage's copy of them (the profession and route that govern
it among them), the measures the rules plan or drop in answer, and whether the plan is complete. Never refused: a
fact has happened. Pure."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from services.qualification.domain.language import language_courses
from services.qualification.domain.measures import (
    COMPENSATION_MEASURE_KIND,
    MeasureSpec,
    MeasureStatus,
    compensation_to_plan,
    is_open,
)
from services.qualification.domain.plan import (
    Plan,
    PlanStatus,
    dropped,
    plan_by_rules,
    same_purpose,
    settle,
    untaken,
)
from shared.contracts.enums import CefrLevel, Profession, Route
from shared.contracts.qualification import DropReason, MeasureKind
from shared.contracts.recognition import (
    ApplicationSubmitted,
    ComparabilityStated,
    CompensationMeasureChosen,
    RecognitionDecided,
    RecognitionNotNeeded,
    TrainingCompleted,
    TrainingStarted,
)
from shared.contracts.recruitment import IntakeRecorded, ParticipantReactivated, ParticipantRecruited
from shared.contracts.routes import application_route
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


def reactivate(plan: Plan, event: ParticipantReactivated) -> Decision[Plan]:
    """The participant is back after dropping out: a withdrawn plan is active again. The measures the withdrawal
    cancelled stay cancelled: the course dates and providers of then are gone, so a partner plans anew. The rules
    plan the language courses the governing profession still needs (each in a new round: the id of a cancelled one
    is taken), and the plan settles on the day of the return. A plan that was not withdrawn (the participant
    completed) stays as it is."""
    if plan.status is not PlanStatus.WITHDRAWN:
        return Decision(plan)
    after = replace(plan, status=PlanStatus.ACTIVE)
    decision = plan_by_rules(after, _courses_anew(after))
    return decision.then(settle(decision.state, event.reactivated_on))


def _courses_anew(plan: Plan) -> list[MeasureSpec]:
    """The language courses the rules plan (once recruited: the declared level decides), each in the round after
    the plan's measures for its purpose (the first when there are none); while one of those is open or done,
    `plan_by_rules` plans none."""
    if plan.declared_level is None:
        return []
    return [
        replace(spec, round=sum(same_purpose(m, spec.kind, spec.target_level) for m in plan.measures))
        for spec in language_courses(plan.targets(), plan.declared_level, plan.certificates)
    ]


def application_submitted(plan: Plan, event: ApplicationSubmitted) -> Decision[Plan]:
    """The reference profession governs from now on (an intake no longer changes it), on the route recognition
    named, or, in events from before it did, the route the published rules give."""
    route = event.route or application_route(event.reference_profession, event.legal_basis, event.regulated)
    after = replace(plan, reference_profession=event.reference_profession, route=route, route_closed_on=None)
    return _follow(after, event.submitted_on)


def comparability_stated(plan: Plan, event: ComparabilityStated) -> Decision[Plan]:
    after = replace(plan, route=Route.STATEMENT_OF_COMPARABILITY, route_closed_on=event.issued_on)
    return _follow(after, event.issued_on)


def recognition_not_needed(plan: Plan, event: RecognitionNotNeeded) -> Decision[Plan]:
    after = replace(plan, route=Route.NO_RECOGNITION_NEEDED, route_closed_on=event.decided_on)
    return _follow(after, event.decided_on)


def training_started(plan: Plan, event: TrainingStarted) -> Decision[Plan]:
    """Vocational training instead of recognition: the profession trained for governs; the training proves the
    German, so no language course is needed any more."""
    after = replace(plan, reference_profession=event.profession, route=Route.VOCATIONAL_TRAINING, route_closed_on=None)
    return _follow(after, event.starts_on)


def training_completed(plan: Plan, event: TrainingCompleted) -> Decision[Plan]:
    after = replace(
        plan,
        reference_profession=event.profession,
        route=Route.VOCATIONAL_TRAINING,
        route_closed_on=event.completed_on,
    )
    return _follow(after, event.completed_on)


def recognition_decided(plan: Plan, event: RecognitionDecided) -> Decision[Plan]:
    after = replace(
        plan, outcome=event.outcome, decided_on=event.decided_on, measures_offered=frozenset(event.measures_offered)
    )
    return settle(after, event.decided_on)


def compensation_measure_chosen(plan: Plan, event: CompensationMeasureChosen) -> Decision[Plan]:
    """A first choice plans its measure; a change of measure (`previous_measure` named, or simply another one than
    the plan's) first drops the open measures of the earlier choice. A kind already open or done (a partner may have
    planned it) is not planned again; one chosen again after its earlier measure closed gets a new round's id."""
    earlier = {m for m in (plan.chosen, event.previous_measure) if m is not None and m is not event.measure}
    after = replace(plan, chosen=event.measure)
    if after.status is not PlanStatus.ACTIVE:
        return Decision(after)
    decision = Decision(after)
    earlier_kinds = {COMPENSATION_MEASURE_KIND[m] for m in earlier}
    for measure in after.measures:
        if measure.kind in earlier_kinds and is_open(measure.kind, measure.status):
            decision = decision.then(dropped(decision.state, measure, event.chosen_on, DropReason.MEASURE_CHANGED))
    spec = compensation_to_plan(event.measure, [(m.kind, m.status) for m in decision.state.measures])
    decision = decision.then(plan_by_rules(decision.state, [] if spec is None else [spec]))
    return decision.then(settle(decision.state, event.chosen_on))


def _profile(plan: Plan, profession: Profession, level: CefrLevel, on: date) -> Decision[Plan]:
    """Recruitment and intake tell the target profession (it governs until recognition names a reference
    profession) and the declared level."""
    return _follow(replace(plan, profession=profession, declared_level=level), on)


def _follow(plan: Plan, on: date) -> Decision[Plan]:
    """For an active plan: the language courses the rules planned that the governing profession and route no
    longer need are dropped while nobody took them on, the missing ones planned (once recruited: the declared level
    decides), then the plan settles on `on`."""
    if plan.status is not PlanStatus.ACTIVE:
        return Decision(plan)
    needed = {(t.level, t.course_domain) for t in plan.targets()}
    decision = Decision(plan)
    for measure in plan.measures:
        course = measure.kind is MeasureKind.LANGUAGE_COURSE
        if course and untaken(measure) and (measure.target_level, measure.language_domain) not in needed:
            decision = decision.then(dropped(decision.state, measure, on, DropReason.NOT_NEEDED))
    if plan.declared_level is not None:
        specs = language_courses(plan.targets(), plan.declared_level, plan.certificates)
        decision = decision.then(plan_by_rules(decision.state, specs))
    return decision.then(settle(decision.state, on))
