"""What each partner's command about a measure decides: the plan after it and the facts to publish, the cascade
included (completing or dropping the last open measure may complete the plan). Pure."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from services.qualification.domain import measures
from services.qualification.domain.measures import MeasureStatus, is_open
from services.qualification.domain.plan import (
    Measure,
    Plan,
    PlannedBy,
    active,
    dropped,
    measure_of,
    planned,
    same_purpose,
    settle,
    untaken,
)
from shared.contracts.qualification import (
    AssignProvider,
    CompleteMeasure,
    DropMeasure,
    DropReason,
    EnrolInMeasure,
    EnrolledInMeasure,
    MeasureCompleted,
    MeasureDropped,
    PlanMeasure,
    ProviderAssigned,
)
from shared.decision import Decision
from shared.refusals import AlreadyExists, NotAllowed


def plan_measure(plan: Plan, cmd: PlanMeasure, *, id_in_use: bool, today: date) -> Decision[Plan]:
    """A partner plans a measure under an id of its choice; `id_in_use`: a measure of any participant has it. A
    measure the rules planned for the same purpose that nobody took on yet is dropped (`superseded`, `today`)."""
    active(plan)
    if id_in_use or plan.measure(cmd.measure_id) is not None:
        raise AlreadyExists(f"measure {cmd.measure_id} is planned already")
    decision = Decision(plan)
    for replaced in plan.measures:
        if untaken(replaced) and same_purpose(replaced, cmd.measure_kind, cmd.target_level):
            decision = decision.then(dropped(decision.state, replaced, today, DropReason.SUPERSEDED))
    measure = Measure(
        cmd.measure_id,
        cmd.measure_kind,
        MeasureStatus.PLANNED,
        cmd.provider_id,
        PlannedBy.PARTNER,
        target_level=cmd.target_level,
        language_domain=cmd.language_domain,
        starts_on=cmd.starts_on,
    )
    return decision.then(planned(decision.state, measure))


def assign_provider(plan: Plan, cmd: AssignProvider) -> Decision[Plan]:
    """A provider takes on (or over) an open measure; the planned first day is kept unless a new one is given."""
    active(plan)
    measure = measure_of(plan, cmd.measure_id)
    if not is_open(measure.kind, measure.status):
        raise NotAllowed(f"cannot assign a provider to a {measure.kind.value} that is {measure.status.value}")
    assigned = replace(measure, provider_id=cmd.provider_id, starts_on=cmd.starts_on or measure.starts_on)
    if assigned == measure:
        return Decision(plan)
    event = ProviderAssigned(
        participant_id=plan.participant_id,
        measure_id=measure.measure_id,
        measure_kind=measure.kind,
        provider_id=assigned.provider_id,
        starts_on=assigned.starts_on,
    )
    return Decision(plan.with_measure(assigned), (event,))


def enrol_in_measure(plan: Plan, cmd: EnrolInMeasure) -> Decision[Plan]:
    active(plan)
    measure = measure_of(plan, cmd.measure_id)
    status = measures.enrol(measure.kind, measure.status)
    enrolled = replace(measure, status=status, enrolled_on=cmd.enrolled_on, expected_end_on=cmd.expected_end_on)
    event = EnrolledInMeasure(**cmd.model_dump(), measure_kind=measure.kind)
    return Decision(plan.with_measure(enrolled), (event,))


def complete_measure(plan: Plan, cmd: CompleteMeasure) -> Decision[Plan]:
    """A preparation whose exam was passed is completed already (`MeasureCompleted` said so): completing it again
    changes nothing and is not refused."""
    active(plan)
    measure = measure_of(plan, cmd.measure_id)
    if measure.status is MeasureStatus.PASSED:
        return Decision(plan)
    status = measures.complete(measure.kind, measure.status)
    after = plan.with_measure(replace(measure, status=status, ended_on=cmd.completed_on))
    event = MeasureCompleted(**cmd.model_dump(), measure_kind=measure.kind)
    return Decision(after, (event,)).then(settle(after, cmd.completed_on))


def drop_measure(plan: Plan, cmd: DropMeasure) -> Decision[Plan]:
    active(plan)
    measure = measure_of(plan, cmd.measure_id)
    status = measures.drop(measure.kind, measure.status)
    after = plan.with_measure(replace(measure, status=status, ended_on=cmd.dropped_on))
    event = MeasureDropped(**cmd.model_dump(), measure_kind=measure.kind)
    return Decision(after, (event,)).then(settle(after, cmd.dropped_on))
