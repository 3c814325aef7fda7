"""Exam attempts: how many are allowed, how each is counted, and what a result does to its preparation. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.qualification.domain.measures import EXAM_ENDS, MEASURE_FOR_EXAM, MeasureStatus, is_open
from shared.contracts.enums import Profession
from shared.contracts.qualification import ExamKind, ExamResult, MeasureKind
from shared.refusals import AlreadyExists, NotAllowed

# Attempts in total at a knowledge or aptitude test. Nurses: each part may be repeated once (PflAPrV §45, §47).
# Doctors: the Kenntnisprüfung may be repeated twice (ÄApprO §37). Other professions: assumed like doctors.
NURSING_EXAM_ATTEMPTS = 2
DEFAULT_EXAM_ATTEMPTS = 3
LIMITED_EXAMS = frozenset({ExamKind.KNOWLEDGE_TEST, ExamKind.APTITUDE_TEST})


def attempt_limit(exam: ExamKind, profession: Profession | None) -> int | None:
    """Attempts in total allowed at `exam`; None when retakes are not limited (language exams)."""
    if exam not in LIMITED_EXAMS:
        return None
    return NURSING_EXAM_ATTEMPTS if profession is Profession.NURSING_PROFESSIONAL else DEFAULT_EXAM_ATTEMPTS


@dataclass(frozen=True, slots=True)
class ExamRecord:
    """What is known of one exam: attempts made, whether one was passed, and the day of the last one."""

    attempts: int = 0
    passed: bool = False
    last_taken_on: date | None = None

    def exhausted(self, limit: int | None) -> bool:
        return not self.passed and limit is not None and self.attempts >= limit


def sit_exam(exam: ExamKind, record: ExamRecord, attempt: int, result: ExamResult, limit: int | None) -> ExamRecord:
    """The record after this attempt: it must be the next one, and one must be left."""
    if attempt <= record.attempts:
        raise AlreadyExists(f"attempt {attempt} at the {exam.value} is recorded already")
    if record.passed:
        raise NotAllowed(f"the {exam.value} was passed already")
    if record.exhausted(limit):
        raise NotAllowed(f"no attempt left at the {exam.value}: all {limit} attempts were used")
    if attempt != record.attempts + 1:
        raise NotAllowed(f"attempt {attempt} at the {exam.value} is not the next one; expected {record.attempts + 1}")
    return ExamRecord(attempt, result is ExamResult.PASSED)


def check_exam_measure(exam: ExamKind, kind: MeasureKind, status: MeasureStatus) -> None:
    """An exam names its preparation (or language course) only while that measure is still open."""
    if MEASURE_FOR_EXAM[exam] is not kind:
        raise NotAllowed(f"a {exam.value} result cannot belong to a {kind.value}")
    if not is_open(kind, status):
        raise NotAllowed(f"the {kind.value} is {status.value}; it takes no more exam results")


def measure_after_exam(
    kind: MeasureKind, status: MeasureStatus, record: ExamRecord, limit: int | None
) -> MeasureStatus:
    """A passed exam ends its preparation; failing the last attempt closes it. Language courses end on their own."""
    if kind not in EXAM_ENDS:
        return status
    if record.passed:
        return MeasureStatus.PASSED
    return MeasureStatus.FAILED if record.exhausted(limit) else status
