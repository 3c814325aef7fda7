"""How a measure moves from planned to done, and which compensation measure a choice plans. Pure."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from shared.contracts.enums import CefrLevel, CompensationMeasure
from shared.contracts.qualification import ExamKind, LanguageDomain, MeasureKind
from shared.refusals import NotAllowed

COMPENSATION_MEASURE_KIND: Mapping[CompensationMeasure, MeasureKind] = {
    CompensationMeasure.ADAPTATION_COURSE: MeasureKind.ADAPTATION_COURSE,
    CompensationMeasure.KNOWLEDGE_TEST: MeasureKind.KNOWLEDGE_TEST_PREPARATION,
    CompensationMeasure.APTITUDE_TEST: MeasureKind.APTITUDE_TEST_PREPARATION,
}
EXAM_ENDS: Mapping[MeasureKind, ExamKind] = {
    MeasureKind.KNOWLEDGE_TEST_PREPARATION: ExamKind.KNOWLEDGE_TEST,
    MeasureKind.APTITUDE_TEST_PREPARATION: ExamKind.APTITUDE_TEST,
}
"""Preparations that end with their exam, not with a completed course."""
MEASURE_FOR_EXAM: Mapping[ExamKind, MeasureKind] = {
    **{exam: kind for kind, exam in EXAM_ENDS.items()},
    ExamKind.LANGUAGE_EXAM: MeasureKind.LANGUAGE_COURSE,
    ExamKind.FACHSPRACHPRUEFUNG: MeasureKind.LANGUAGE_COURSE,
}
MEASURE_NAMESPACE = uuid.UUID("2f7c9a51-0d3e-4b8a-9c6f-5e1d2a3b4c5d")


class MeasureStatus(StrEnum):
    PLANNED = "planned"
    ENROLLED = "enrolled"
    COMPLETED = "completed"  # a course finished; a preparation finished and its exam is still to pass
    PASSED = "passed"  # a preparation's exam was passed
    DROPPED = "dropped"
    FAILED = "failed"  # a preparation's exam failed with no attempt left
    CANCELLED = "cancelled"  # the participant withdrew


CLOSED = frozenset({MeasureStatus.DROPPED, MeasureStatus.FAILED, MeasureStatus.CANCELLED})


def is_done(kind: MeasureKind, status: MeasureStatus) -> bool:
    return status is MeasureStatus.PASSED or (status is MeasureStatus.COMPLETED and kind not in EXAM_ENDS)


def is_open(kind: MeasureKind, status: MeasureStatus) -> bool:
    return status not in CLOSED and not is_done(kind, status)


def enrol(kind: MeasureKind, status: MeasureStatus) -> MeasureStatus:
    if status is not MeasureStatus.PLANNED:
        raise NotAllowed(f"cannot enrol in a {kind.value} that is {status.value}; only a planned measure")
    return MeasureStatus.ENROLLED


def complete(kind: MeasureKind, status: MeasureStatus) -> MeasureStatus:
    if status is not MeasureStatus.ENROLLED:
        raise NotAllowed(f"cannot complete a {kind.value} that is {status.value}; only an enrolled measure")
    return MeasureStatus.COMPLETED


def drop(kind: MeasureKind, status: MeasureStatus) -> MeasureStatus:
    if not is_open(kind, status):
        raise NotAllowed(f"cannot drop a {kind.value} that is {status.value}")
    return MeasureStatus.DROPPED


@dataclass(frozen=True, slots=True)
class MeasureSpec:
    """A measure the rules plan by themselves; its id derives from the participant and what it is for."""

    kind: MeasureKind
    target_level: CefrLevel | None = None
    language_domain: LanguageDomain | None = None
    round: int = (
        0  # > 0 when a compensation is chosen again after its earlier measure closed (dropped, changed, failed)
    )

    def measure_id(self, participant_id: UUID) -> UUID:
        parts = (participant_id, self.kind.value, self.target_level, self.language_domain, self.round)
        return uuid.uuid5(MEASURE_NAMESPACE, ":".join(str(p) for p in parts))


def compensation_to_plan(
    chosen: CompensationMeasure, measures: Iterable[tuple[MeasureKind, MeasureStatus]]
) -> MeasureSpec | None:
    """The measure for the chosen compensation, unless one of its kind is open or done already."""
    kind = COMPENSATION_MEASURE_KIND[chosen]
    earlier = [status for k, status in measures if k is kind]
    if any(status not in CLOSED for status in earlier):
        return None
    return MeasureSpec(kind, round=len(earlier))
