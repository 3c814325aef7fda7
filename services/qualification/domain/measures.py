"""Qualification's rules: which measures a plan needs, how measures and exams move on, when it is complete. Pure."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from shared.contracts.enums import CefrLevel, CompensationMeasure, Profession, RecognitionOutcome
from shared.contracts.qualification import ExamKind, ExamResult, LanguageDomain, MeasureKind

CEFR_ORDER: tuple[CefrLevel, ...] = tuple(CefrLevel)
ANY_DOMAIN = frozenset(LanguageDomain)


@dataclass(frozen=True, slots=True)
class LanguageRequirement:
    """A level the licence needs, the certificate domains that prove it, and the course planned towards it."""

    level: CefrLevel
    accepted: frozenset[LanguageDomain]
    course_domain: LanguageDomain


# Nurses: B2 (PflBG licence), any domain proves it; the course planned is a job-related Berufssprachkurs.
# Doctors: B2 general German plus C1 medical German (Fachsprachprüfung), two separate proofs.
# Nursing assistants and home care: Land law varies; B1 is our default (the level integration courses lead to).
# Other professions: no rule we can know, so no language requirement is assumed.
LANGUAGE_REQUIREMENTS: Mapping[Profession, tuple[LanguageRequirement, ...]] = {
    Profession.NURSING_PROFESSIONAL: (LanguageRequirement(CefrLevel.B2, ANY_DOMAIN, LanguageDomain.PROFESSIONAL),),
    Profession.DOCTOR: (
        LanguageRequirement(CefrLevel.B2, frozenset({LanguageDomain.GENERAL}), LanguageDomain.GENERAL),
        LanguageRequirement(CefrLevel.C1, frozenset({LanguageDomain.MEDICAL}), LanguageDomain.MEDICAL),
    ),
    Profession.NURSING_ASSISTANT: (LanguageRequirement(CefrLevel.B1, ANY_DOMAIN, LanguageDomain.GENERAL),),
    Profession.HOME_CARE: (LanguageRequirement(CefrLevel.B1, ANY_DOMAIN, LanguageDomain.GENERAL),),
    Profession.OTHER: (),
}

# Attempts in total at a knowledge or aptitude test. Nurses: each part may be repeated once (PflAPrV §45, §47).
# Doctors: the Kenntnisprüfung may be repeated twice (ÄApprO §37). Other professions: assumed like doctors.
NURSING_EXAM_ATTEMPTS = 2
DEFAULT_EXAM_ATTEMPTS = 3
LIMITED_EXAMS = frozenset({ExamKind.KNOWLEDGE_TEST, ExamKind.APTITUDE_TEST})

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
NO_COMPENSATION_NEEDED = frozenset({RecognitionOutcome.FULL_EQUIVALENCE, RecognitionOutcome.PARTIAL_EQUIVALENCE})
MEASURE_NAMESPACE = uuid.UUID("2f7c9a51-0d3e-4b8a-9c6f-5e1d2a3b4c5d")


class QualificationError(Exception):
    """A command that qualification's rules refuse."""


class NotAllowed(QualificationError):
    """Not allowed in the current state of the measure, the exam or the plan."""


class AlreadyRecorded(QualificationError):
    """The same fact (an exam attempt) was recorded before under another message."""


def at_least(level: CefrLevel, target: CefrLevel) -> bool:
    return CEFR_ORDER.index(level) >= CEFR_ORDER.index(target)


@dataclass(frozen=True, slots=True)
class Certificate:
    level: CefrLevel
    domain: LanguageDomain


def unmet_requirements(profession: Profession, certificates: Iterable[Certificate]) -> list[LanguageRequirement]:
    """The profession's language requirements no certificate proves yet."""
    held = list(certificates)
    return [
        need
        for need in LANGUAGE_REQUIREMENTS[profession]
        if not any(c.domain in need.accepted and at_least(c.level, need.level) for c in held)
    ]


def target_level(profession: Profession) -> CefrLevel | None:
    """The highest level the profession requires (C1 for doctors, B2 for nurses), if any."""
    levels = [need.level for need in LANGUAGE_REQUIREMENTS[profession]]
    return max(levels, key=CEFR_ORDER.index) if levels else None


@dataclass(frozen=True, slots=True)
class MeasureSpec:
    """A measure the rules plan by themselves; its id derives from the participant and what it is for."""

    kind: MeasureKind
    target_level: CefrLevel | None = None
    language_domain: LanguageDomain | None = None
    round: int = 0  # > 0 when the same compensation is chosen again after the earlier one was dropped or failed

    def measure_id(self, participant_id: UUID) -> UUID:
        parts = (participant_id, self.kind.value, self.target_level, self.language_domain, self.round)
        return uuid.uuid5(MEASURE_NAMESPACE, ":".join(str(p) for p in parts))


def language_courses(
    profession: Profession, declared: CefrLevel, certificates: Iterable[Certificate] = ()
) -> list[MeasureSpec]:
    """Courses towards each unproved requirement the declared level does not reach (only a certificate proves)."""
    return [
        MeasureSpec(MeasureKind.LANGUAGE_COURSE, need.level, need.course_domain)
        for need in unmet_requirements(profession, certificates)
        if not (LanguageDomain.GENERAL in need.accepted and at_least(declared, need.level))
    ]


class PlanStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


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


def check_exam_measure(exam: ExamKind, kind: MeasureKind, status: MeasureStatus) -> None:
    """An exam names its preparation (or language course) only while that measure is still open."""
    if MEASURE_FOR_EXAM[exam] is not kind:
        raise NotAllowed(f"a {exam.value} result cannot belong to a {kind.value}")
    if not is_open(kind, status):
        raise NotAllowed(f"the {kind.value} is {status.value}; it takes no more exam results")


def attempt_limit(exam: ExamKind, profession: Profession | None) -> int | None:
    """Attempts in total allowed at `exam`; None when retakes are not limited (language exams)."""
    if exam not in LIMITED_EXAMS:
        return None
    return NURSING_EXAM_ATTEMPTS if profession is Profession.NURSING_PROFESSIONAL else DEFAULT_EXAM_ATTEMPTS


@dataclass(frozen=True, slots=True)
class ExamRecord:
    """What is known of one exam: attempts made, and whether one was passed."""

    attempts: int = 0
    passed: bool = False

    def exhausted(self, limit: int | None) -> bool:
        return not self.passed and limit is not None and self.attempts >= limit


def sit_exam(exam: ExamKind, record: ExamRecord, attempt: int, result: ExamResult, limit: int | None) -> ExamRecord:
    """The record after this attempt: it must be the next one, and one must be left."""
    if attempt <= record.attempts:
        raise AlreadyRecorded(f"attempt {attempt} at the {exam.value} is recorded already")
    if record.passed:
        raise NotAllowed(f"the {exam.value} was passed already")
    if record.exhausted(limit):
        raise NotAllowed(f"no attempt left at the {exam.value}: all {limit} attempts were used")
    if attempt != record.attempts + 1:
        raise NotAllowed(f"attempt {attempt} at the {exam.value} is not the next one; expected {record.attempts + 1}")
    return ExamRecord(attempt, result is ExamResult.PASSED)


def measure_after_exam(
    kind: MeasureKind, status: MeasureStatus, record: ExamRecord, limit: int | None
) -> MeasureStatus:
    """A passed exam ends its preparation; failing the last attempt closes it. Language courses end on their own."""
    if kind not in EXAM_ENDS:
        return status
    if record.passed:
        return MeasureStatus.PASSED
    return MeasureStatus.FAILED if record.exhausted(limit) else status


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


def compensation_to_plan(
    chosen: CompensationMeasure, measures: Iterable[tuple[MeasureKind, MeasureStatus]]
) -> MeasureSpec | None:
    """The measure for the chosen compensation, unless one of its kind is open or done already."""
    kind = COMPENSATION_MEASURE_KIND[chosen]
    earlier = [status for k, status in measures if k is kind]
    if any(status not in CLOSED for status in earlier):
        return None
    return MeasureSpec(kind, round=len(earlier))


def language_target_reached(profession: Profession | None, certificates: Iterable[Certificate]) -> bool:
    """Certificates prove every language requirement of a profession that has some."""
    if profession is None or not LANGUAGE_REQUIREMENTS[profession]:
        return False
    return not unmet_requirements(profession, certificates)


def is_qualified(picture: Picture) -> bool:
    """Language proved, recognition settled, and no measure left open (dropped ones do not hold it up)."""
    return (
        picture.profession is not None
        and not unmet_requirements(picture.profession, picture.certificates)
        and compensation_settled(picture)
        and not any(is_open(kind, status) for kind, status in picture.measures)
    )
