"""The aggregate: a participant's qualification plan, everything this stage knows of them, and the one rule every
change ends with (`settle`: complete the plan the first time the whole picture is settled). Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from uuid import UUID

from services.qualification.domain.completion import Picture, is_qualified
from services.qualification.domain.exams import ExamRecord
from services.qualification.domain.language import Certificate, highest_certified
from services.qualification.domain.measures import MeasureSpec, MeasureStatus
from shared.contracts.enums import CefrLevel, CompensationMeasure, Profession, RecognitionOutcome
from shared.contracts.qualification import ExamKind, LanguageDomain, MeasureKind, MeasurePlanned, QualificationCompleted
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
    profession: Profession | None = None  # None until ParticipantRecruited arrived
    declared_level: CefrLevel | None = None  # declared at recruitment or intake, proves nothing
    certificates: tuple[Certificate, ...] = ()
    measures: tuple[Measure, ...] = ()  # in the order they were planned
    exams: Mapping[ExamKind, ExamRecord] = field(default_factory=dict)
    outcome: RecognitionOutcome | None = None
    decided_on: date | None = None
    measures_offered: frozenset[CompensationMeasure] = frozenset()
    chosen: CompensationMeasure | None = None
    language_target_reached_on: date | None = None
    completed_on: date | None = None

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
            profession=self.profession,
            certificates=self.certificates,
            measures=tuple((m.kind, m.status) for m in self.measures),
            exams_passed=frozenset(exam for exam, record in self.exams.items() if record.passed),
            outcome=self.outcome,
            chosen=self.chosen,
        )


def settle(plan: Plan, on: date) -> Decision[Plan]:
    """QualificationCompleted the first time the whole picture is settled; `on` is the date of the last fact."""
    if plan.completed_on is not None or plan.status is not PlanStatus.ACTIVE or not is_qualified(plan.picture()):
        return Decision(plan)
    completed = QualificationCompleted(
        participant_id=plan.participant_id, completed_on=on, language_level=highest_certified(plan.certificates)
    )
    return Decision(replace(plan, completed_on=on), (completed,))


def active(plan: Plan) -> Profession:
    """The profession of a plan that takes partners' commands: known from recruitment, not withdrawn."""
    if plan.profession is None:
        raise UnknownParticipant(f"qualification has no participant {plan.participant_id}")
    if plan.status is not PlanStatus.ACTIVE:
        raise NotAllowed(f"the participant is {plan.status.value}")
    return plan.profession


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


def plan_by_rules(plan: Plan, specs: Iterable[MeasureSpec]) -> Decision[Plan]:
    """Each measure the rules ask for, once: its id derives from the participant and its purpose, so a repeat
    finds it planned already and plans nothing."""
    decision = Decision(plan)
    for spec in specs:
        measure_id = spec.measure_id(plan.participant_id)
        if decision.state.measure(measure_id) is not None:
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
