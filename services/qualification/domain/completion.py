"""When a qualification is complete: language proved, recognition settled, no measure left open. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from services.qualification.domain.language import Certificate, unmet_requirements
from services.qualification.domain.measures import COMPENSATION_MEASURE_KIND, EXAM_ENDS, MeasureStatus, is_done, is_open
from shared.contracts.enums import CompensationMeasure, Profession, RecognitionOutcome
from shared.contracts.qualification import ExamKind, MeasureKind

NO_COMPENSATION_NEEDED = frozenset({RecognitionOutcome.FULL_EQUIVALENCE, RecognitionOutcome.PARTIAL_EQUIVALENCE})


@dataclass(frozen=True, slots=True)
class Picture:
    """Everything completion depends on, as this stage knows it."""

    profession: Profession | None  # None until ParticipantRecruited arrived
    certificates: tuple[Certificate, ...]
    measures: tuple[tuple[MeasureKind, MeasureStatus], ...]
    exams_passed: frozenset[ExamKind]
    outcome: RecognitionOutcome | None
    chosen: CompensationMeasure | None


def compensation_settled(picture: Picture) -> bool:
    """No compensation needed, or the chosen one passed. An unknown or negative decision is never settled."""
    if picture.outcome in NO_COMPENSATION_NEEDED:
        return True
    if picture.outcome is not RecognitionOutcome.COMPENSATION_REQUIRED or picture.chosen is None:
        return False
    kind = COMPENSATION_MEASURE_KIND[picture.chosen]
    exam = EXAM_ENDS.get(kind)
    if exam is not None:
        return exam in picture.exams_passed
    return any(k is kind and is_done(k, s) for k, s in picture.measures)


def is_qualified(picture: Picture) -> bool:
    """Language proved, recognition settled, and no measure left open (dropped ones do not hold it up)."""
    return (
        picture.profession is not None
        and not unmet_requirements(picture.profession, picture.certificates)
        and compensation_settled(picture)
        and not any(is_open(kind, status) for kind, status in picture.measures)
    )
