"""Exam attempts by the published `EXAM_RULES`: whether an exam is sat in parts, how many attempts each part (or the
whole exam) allows, how each attempt is counted, and what a result does to its preparation. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from services.qualification.domain.measures import EXAM_ENDS, MEASURE_FOR_EXAM, MeasureStatus, is_open
from shared.contracts.qualification import ExamKind, ExamPart, ExamResult, MeasureKind
from shared.contracts.routes import ExamRule
from shared.refusals import AlreadyExists, InvalidValue, NotAllowed

ExamKey = tuple[ExamKind, ExamPart | None]  # an exam sat whole has the part None


@dataclass(frozen=True, slots=True)
class ExamRecord:
    """What is known of one exam (or one part of it): attempts made, whether one was passed, the last day."""

    attempts: int = 0
    passed: bool = False
    last_taken_on: date | None = None

    def exhausted(self, limit: int | None) -> bool:
        return not self.passed and limit is not None and self.attempts >= limit


def label(exam: ExamKind, part: ExamPart | None) -> str:
    return exam.value if part is None else f"{exam.value} ({part.value} part)"


def check_part(exam: ExamKind, part: ExamPart | None, rule: ExamRule | None) -> None:
    """An exam sat in parts names the part sat; an exam sat whole names none."""
    parts = () if rule is None else rule.parts
    if parts and part not in parts:
        named = ", ".join(p.value for p in parts)
        raise InvalidValue(f"the {exam.value} is sat in parts: part must be one of {named}", field="part")
    if not parts and part is not None:
        raise InvalidValue(f"the {exam.value} is sat whole: part must be left out", field="part")


def keys(exam: ExamKind, rule: ExamRule | None) -> tuple[ExamKey, ...]:
    """The records an exam is made of: one per part, or the one of the whole exam."""
    parts = () if rule is None else rule.parts
    return tuple((exam, part) for part in parts) if parts else ((exam, None),)


def exam_passed(exam: ExamKind, rule: ExamRule | None, records: Mapping[ExamKey, ExamRecord]) -> bool:
    """Every part passed (or the exam sat whole passed)."""
    return all(records.get(key, ExamRecord()).passed for key in keys(exam, rule))


def finally_failed(exam: ExamKind, rule: ExamRule | None, records: Mapping[ExamKey, ExamRecord]) -> bool:
    """A part (or the whole exam) has no attempt left: the exam can no longer be passed."""
    limit = None if rule is None else rule.attempts
    return any(records.get(key, ExamRecord()).exhausted(limit) for key in keys(exam, rule))


def sit_exam(
    exam: ExamKind, part: ExamPart | None, record: ExamRecord, attempt: int, result: ExamResult, limit: int | None
) -> ExamRecord:
    """The record after this attempt: it must be the next one, and one must be left."""
    what = label(exam, part)
    if attempt <= record.attempts:
        raise AlreadyExists(f"attempt {attempt} at the {what} is recorded already")
    if record.passed:
        raise NotAllowed(f"the {what} was passed already")
    if record.exhausted(limit):
        raise NotAllowed(f"no attempt left at the {what}: all {limit} attempts were used")
    if attempt != record.attempts + 1:
        raise NotAllowed(f"attempt {attempt} at the {what} is not the next one; expected {record.attempts + 1}")
    return ExamRecord(attempt, result is ExamResult.PASSED)


def check_exam_measure(exam: ExamKind, kind: MeasureKind, status: MeasureStatus) -> None:
    """An exam names its preparation (or language course) only while that measure is still open."""
    if MEASURE_FOR_EXAM[exam] is not kind:
        raise NotAllowed(f"a {exam.value} result cannot belong to a {kind.value}")
    if not is_open(kind, status):
        raise NotAllowed(f"the {kind.value} is {status.value}; it takes no more exam results")


def measure_after_exam(kind: MeasureKind, status: MeasureStatus, passed: bool, failed: bool) -> MeasureStatus:
    """The exam passed (every part) ends its preparation; the exam finally failed closes it. Language courses end
    on their own."""
    if kind not in EXAM_ENDS:
        return status
    if passed:
        return MeasureStatus.PASSED
    return MeasureStatus.FAILED if failed else status
