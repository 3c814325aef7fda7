"""The aggregate: a participant's qualification plan, everything this stage knows of them, and the one rule every
change ends with (`settle`: complete the plan the first time the whole picture is settled). Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from uuid import UUID

from services.qualification.domain.completion import Picture, is_qualified
from services.qualification.domain.exams import ExamKey, ExamRecord, exam_passed
from services.qualification.domain.language import Certificate, Targets, highest_certified, targets_for
from services.qualification.domain.measures import CLOSED, MeasureSpec, MeasureStatus
from shared.contracts.enums import CefrLevel, CompensationMeasure, Profession, RecognitionOutcome, Route
from shared.contracts.qualification import (
    DropReason,
    ExamKind,
    LanguageDomain,
    MeasureDropped,
    MeasureKind,
    MeasurePlanned,
    QualificationCompleted,
)
from shared.contracts.routes import ExamRule, exam_rule
from shared.decision import Decision
from shared.refusals import NotAllowed, UnknownParticipant

# MeasurePlanned requires a provider; measures the rules plan have none until a partner takes them on.
UNASSIGNED_PROVIDER = "unassigned"


class PlanStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


class PlannedBy(StrEnum):
    RULES = "rules"
    PARTNER = "partner"


@dataclass(frozen=True, slots=True)
class Measure:
    """A course or preparation in the plan, with the days partners reported for it."""

    measure_id: UUID
    kind: MeasureKind
    status: MeasureStatus
    provider_id: str
    planned_by: PlannedBy
    target_level: CefrLevel | None = None
    language_domain: LanguageDomain | None = None
    starts_on: date | None = None
    enrolled_on: date | None = None
    expected_end_on: date | None = None
    ended_on: date | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    """A participant's qualification. `Plan(participant_id)` is the empty plan another stage's fact opens when it
    arrives before the recruitment: active, but unknown to partners until the profession is known."""

    participant_id: UUID
    status: PlanStatus = PlanStatus.ACTIVE
    profession: Profession | None = None  # the target profession, None until ParticipantRecruited arrived
    reference_profession: Profession | None = None  # of the application (or training); governs once known
    route: Route | None = None  # None until an application, a statement, advice or a training said which
    route_closed_on: date | None = None  # day of the fact that closes a fact-settled route
    declared_level: CefrLevel | None = None  # declared at recruitment or intake, proves nothing
    certificates: tuple[Certificate, ...] = ()
    measures: tuple[Measure, ...] = ()  # in the order they were planned
    exams: Mapping[ExamKey, ExamRecord] = field(default_factory=dict)
    outcome: RecognitionOutcome | None = None
    decided_on: date | None = None
    measures_offered: frozenset[CompensationMeasure] = frozenset()
    chosen: CompensationMeasure | None = None
    language_target_reached_on: date | None = None
    completed_on: date | None = None

    @property
    def governing(self) -> Profession | None:
        """The profession whose rules apply: the reference profession once recognition named one, else the target
        profession of the recruitment."""
        return self.reference_profession or self.profession

    def targets(self) -> Targets:
        return targets_for(self.governing, self.route)

    def exam_rule(self, exam: ExamKind) -> ExamRule | None:
        return exam_rule(self.governing, exam)

    def measure(self, measure_id: UUID) -> Measure | None:
        return next((m for m in self.measures if m.measure_id == measure_id), None)

    def with_measure(self, measure: Measure) -> Plan:
        """The plan with `measure` in place of the one with its id, or added at the end."""
        if self.measure(measure.measure_id) is None:
            return replace(self, measures=(*self.measures, measure))
        return replace(
            self, measures=tuple(measure if m.measure_id == measure.measure_id else m for m in self.measures)
        )

    def picture(self) -> Picture:
        return Picture(
            recruited=self.profession is not None,
            route=self.route,
            route_closed=self.route_closed_on is not None,
            targets=self.targets(),
            certificates=self.certificates,
            measures=tuple((m.kind, m.status) for m in self.measures),
            exams_passed=frozenset(
                exam for exam in {exam for exam, _ in self.exams} if exam_passed(exam, self.exam_rule(exam), self.exams)
            ),
            outcome=self.outcome,
            chosen=self.chosen,
        )


def settle(plan: Plan, on: date) -> Decision[Plan]:
    """QualificationCompleted the first time the whole picture is settled; `on` is the date of the last fact."""
    if plan.completed_on is not None or plan.status is not PlanStatus.ACTIVE or not is_qualified(plan.picture()):
        return Decision(plan)
    completed = QualificationCompleted(
        participant_id=plan.participant_id,
        completed_on=on,
        language_level=highest_certified(plan.certificates),
        route=plan.route,
    )
    return Decision(replace(plan, completed_on=on), (completed,))


def active(plan: Plan) -> None:
    """A plan that takes partners' commands: known from recruitment, not withdrawn."""
    if plan.profession is None:
        raise UnknownParticipant(f"qualification has no participant {plan.participant_id}")
    if plan.status is not PlanStatus.ACTIVE:
        raise NotAllowed(f"the participant is {plan.status.value}")


def measure_of(plan: Plan, measure_id: UUID) -> Measure:
    """The plan's measure; the contract has no reason code for an unknown measure, so the state refuses."""
    found = plan.measure(measure_id)
    if found is None:
        raise NotAllowed(f"unknown measure: participant {plan.participant_id} has no measure {measure_id}")
    return found


def planned(plan: Plan, measure: Measure) -> Decision[Plan]:
    """`measure` added to the plan, and announced."""
    event = MeasurePlanned(
        participant_id=plan.participant_id,
        measure_id=measure.measure_id,
        measure_kind=measure.kind,
        provider_id=measure.provider_id,
        target_level=measure.target_level,
        language_domain=measure.language_domain,
        starts_on=measure.starts_on,
    )
    return Decision(plan.with_measure(measure), (event,))


def dropped(plan: Plan, measure: Measure, on: date, reason: DropReason) -> Decision[Plan]:
    """`measure` dropped on `on`, and announced."""
    event = MeasureDropped(
        participant_id=plan.participant_id,
        measure_id=measure.measure_id,
        measure_kind=measure.kind,
        dropped_on=on,
        reason=reason,
    )
    return Decision(plan.with_measure(replace(measure, status=MeasureStatus.DROPPED, ended_on=on)), (event,))


def untaken(measure: Measure) -> bool:
    """Planned by the rules and nobody took it on yet: the service may still replace or drop it."""
    return (
        measure.planned_by is PlannedBy.RULES
        and measure.status is MeasureStatus.PLANNED
        and measure.provider_id == UNASSIGNED_PROVIDER
    )


def same_purpose(measure: Measure, kind: MeasureKind, target_level: CefrLevel | None) -> bool:
    """Two measures serve the same purpose: same kind; for language courses, the same target level too (a
    profession's targets differ by level)."""
    return measure.kind is kind and (kind is not MeasureKind.LANGUAGE_COURSE or measure.target_level is target_level)


def plan_by_rules(plan: Plan, specs: Iterable[MeasureSpec]) -> Decision[Plan]:
    """Each measure the rules ask for, once: its id derives from the participant and its purpose, so a repeat
    finds it planned already and plans nothing; nor is one planned while a measure for the same purpose (a
    partner's) is open or done."""
    decision = Decision(plan)
    for spec in specs:
        measure_id = spec.measure_id(plan.participant_id)
        if decision.state.measure(measure_id) is not None or any(
            same_purpose(m, spec.kind, spec.target_level) and m.status not in CLOSED for m in decision.state.measures
        ):
            continue
        measure = Measure(
            measure_id,
            spec.kind,
            MeasureStatus.PLANNED,
            UNASSIGNED_PROVIDER,
            PlannedBy.RULES,
            target_level=spec.target_level,
            language_domain=spec.language_domain,
        )
        decision = decision.then(planned(decision.state, measure))
    return decision
