"""When a qualification is complete: recognition settled as the route requires (the table below), the German the
reference profession needs proved, and no measure left open. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from services.qualification.domain.language import Certificate, Targets, unmet
from services.qualification.domain.measures import COMPENSATION_MEASURE_KIND, EXAM_ENDS, MeasureStatus, is_done, is_open
from shared.contracts.enums import CompensationMeasure, RecognitionOutcome, Route
from shared.contracts.qualification import ExamKind, MeasureKind

FULL, PARTIAL = RecognitionOutcome.FULL_EQUIVALENCE, RecognitionOutcome.PARTIAL_EQUIVALENCE


@dataclass(frozen=True, slots=True)
class Settlement:
    """What settles recognition on a route: an outcome alone, the chosen measure passed after
    `compensation_required`, or the fact that closes the route (a statement, advice, a completed training)."""

    outcomes: frozenset[RecognitionOutcome]
    by_measure: bool
    by_fact: bool
    source: str


SETTLEMENTS: Mapping[Route, Settlement] = {
    Route.NON_REGULATED: Settlement(
        frozenset({FULL, PARTIAL}),
        by_measure=False,
        by_fact=False,
        source="BQFG §§4-7: full or partial equivalence; no licence, the decision opens the labour market",
    ),
    Route.REGULATED: Settlement(
        frozenset({FULL}),
        by_measure=True,
        by_fact=False,
        source="BQFG §§9-11 and the Länder's BQFG: equivalence or the compensation measure chosen and passed",
    ),
    Route.DOCTOR: Settlement(
        frozenset({FULL}),
        by_measure=True,
        by_fact=False,
        source="BÄO §3(2)-(3): Approbation after equivalence or the knowledge (aptitude) test passed",
    ),
    Route.NURSE: Settlement(
        frozenset({FULL}),
        by_measure=True,
        by_fact=False,
        source="PflBG §§1-2, §40: the licence after equivalence or the chosen measure passed",
    ),
    Route.STATEMENT_OF_COMPARABILITY: Settlement(
        frozenset(),
        by_measure=False,
        by_fact=True,
        source="KMK/ZAB Zeugnisbewertung: the statement (ComparabilityStated)",
    ),
    Route.NO_RECOGNITION_NEEDED: Settlement(
        frozenset(),
        by_measure=False,
        by_fact=True,
        source="BQFG §2: counselling advised no procedure (RecognitionNotNeeded)",
    ),
    Route.VOCATIONAL_TRAINING: Settlement(
        frozenset(),
        by_measure=False,
        by_fact=True,
        source="PflBG §§5-10, BBiG: the final examination (TrainingCompleted)",
    ),
}


@dataclass(frozen=True, slots=True)
class Picture:
    """Everything completion depends on, as this stage knows it."""

    recruited: bool  # partners know the participant (ParticipantRecruited arrived)
    route: Route | None  # None until an application, a statement, advice or a training said which
    route_closed: bool  # the fact that closes a fact-settled route arrived
    targets: Targets  # the German the reference profession needs on this route
    certificates: tuple[Certificate, ...]
    measures: tuple[tuple[MeasureKind, MeasureStatus], ...]
    exams_passed: frozenset[ExamKind]  # in every part
    outcome: RecognitionOutcome | None
    chosen: CompensationMeasure | None


def measure_passed(picture: Picture) -> bool:
    """The chosen compensation measure passed: its exam in all parts, or the adaptation course completed."""
    if picture.chosen is None:
        return False
    kind = COMPENSATION_MEASURE_KIND[picture.chosen]
    exam = EXAM_ENDS.get(kind)
    if exam is not None:
        return exam in picture.exams_passed
    return any(k is kind and is_done(k, s) for k, s in picture.measures)


def recognition_settled(picture: Picture) -> bool:
    """By the route's row; a rejection, an unknown route or a missing decision never settles."""
    rule = SETTLEMENTS.get(picture.route) if picture.route is not None else None
    if rule is None:
        return False
    if rule.by_fact:
        return picture.route_closed
    if picture.outcome in rule.outcomes:
        return True
    return rule.by_measure and picture.outcome is RecognitionOutcome.COMPENSATION_REQUIRED and measure_passed(picture)


def is_qualified(picture: Picture) -> bool:
    """Recruited, recognition settled, language proved, and no measure left open (dropped ones do not hold it up)."""
    return (
        picture.recruited
        and recognition_settled(picture)
        and not unmet(picture.targets, picture.certificates)
        and not any(is_open(kind, status) for kind, status in picture.measures)
    )
