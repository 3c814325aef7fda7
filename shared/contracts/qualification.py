"""Qualification: language courses and compensation measures, certificates and exams, until qualified."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, ClassVar, Self
from uuid import UUID

from pydantic import Field, model_validator

from shared.contracts.enums import CefrLevel, LanguageCertificate, Milestone
from shared.contracts.envelope import BaseMessage, Command, Event
from shared.contracts.fields import OrgId
from shared.contracts.topics import Stage


class MeasureKind(StrEnum):
    """Kind of qualification measure."""

    LANGUAGE_COURSE = "language_course"  # integration course or Berufssprachkurs
    ADAPTATION_COURSE = "adaptation_course"
    KNOWLEDGE_TEST_PREPARATION = "knowledge_test_preparation"
    APTITUDE_TEST_PREPARATION = "aptitude_test_preparation"


class LanguageDomain(StrEnum):
    """What a language course or certificate covers."""

    GENERAL = "general"
    PROFESSIONAL = "professional"  # job-related German (Berufssprachkurs)
    MEDICAL = "medical"  # health professions, Fachsprache


class ExamKind(StrEnum):
    """Exam a participant sits."""

    KNOWLEDGE_TEST = "knowledge_test"  # Kenntnisprüfung
    APTITUDE_TEST = "aptitude_test"  # Eignungsprüfung
    LANGUAGE_EXAM = "language_exam"
    FACHSPRACHPRUEFUNG = "fachsprachpruefung"


class ExamResult(StrEnum):
    """Result of one exam attempt."""

    PASSED = "passed"
    FAILED = "failed"


class DropReason(StrEnum):
    """Coarse reason a measure was abandoned; deliberately says nothing about health."""

    PERSONAL_REASONS = "personal_reasons"
    EMPLOYMENT_STARTED = "employment_started"
    MOVED_AWAY = "moved_away"
    FUNDING_ENDED = "funding_ended"
    PROVIDER_CANCELLED = "provider_cancelled"
    OTHER = "other"


EXAMPLE_MEASURE = "0c6f7a3e-9b1d-4f2a-8e5c-7d9b0a1c2e3f"
MeasureId = Annotated[
    UUID,
    Field(description="Id of the measure, chosen by the partner that plans it.", examples=[EXAMPLE_MEASURE]),
]
ProviderId = Annotated[
    OrgId, Field(description="Id of the course or exam provider.", examples=["language-school-example"])
]


class QualificationCommand(Command):
    stage: ClassVar[Stage] = Stage.QUALIFICATION


class QualificationEvent(Event):
    stage: ClassVar[Stage] = Stage.QUALIFICATION


class PlanMeasure(QualificationCommand):
    """Plan a course or preparation; the partner chooses a fresh random `measure_id` to refer to it later."""

    measure_id: MeasureId
    measure_kind: MeasureKind = Field(description="Kind of measure.", examples=["language_course"])
    provider_id: ProviderId
    target_level: CefrLevel | None = Field(
        None, description="Level the course leads to; required for language courses.", examples=["B2"]
    )
    language_domain: LanguageDomain | None = Field(
        None, description="What the language course covers.", examples=["professional"]
    )
    starts_on: date | None = Field(None, description="Planned first day, if known.", examples=["2025-07-01"])

    @model_validator(mode="after")
    def _language_course_has_target(self) -> Self:
        if self.measure_kind is MeasureKind.LANGUAGE_COURSE and self.target_level is None:
            raise ValueError("target_level is required for a language_course")
        return self


class EnrolInMeasure(QualificationCommand):
    """The participant enrolled in a planned measure."""

    measure_id: MeasureId
    enrolled_on: date = Field(description="Day of enrolment.", examples=["2025-06-20"])
    expected_end_on: date | None = Field(None, description="Expected last day, if known.", examples=["2025-12-19"])


class RecordLanguageCertificate(QualificationCommand):
    """The participant obtained a German language certificate."""

    certificate: LanguageCertificate = Field(description="Issuer or kind of certificate.", examples=["telc"])
    level: CefrLevel = Field(description="Level certified (CEFR).", examples=["B2"])
    language_domain: LanguageDomain = Field(description="General or job-related German.", examples=["medical"])
    obtained_on: date = Field(description="Date on the certificate.", examples=["2025-12-12"])
    measure_id: MeasureId | None = Field(
        None, description="The course that led to it, if any.", examples=[EXAMPLE_MEASURE]
    )


class RecordExamResult(QualificationCommand):
    """The participant sat an exam; record the result of this attempt."""

    exam: ExamKind = Field(description="Exam sat.", examples=["knowledge_test"])
    attempt: int = Field(ge=1, le=10, description="1 for the first attempt, 2 for the first retake...", examples=[1])
    result: ExamResult = Field(description="Result of the attempt.", examples=["failed"])
    taken_on: date = Field(description="Day of the exam.", examples=["2025-10-23"])
    measure_id: MeasureId | None = Field(
        None, description="The preparation measure, if any.", examples=[EXAMPLE_MEASURE]
    )


class CompleteMeasure(QualificationCommand):
    """The participant completed a measure."""

    measure_id: MeasureId
    completed_on: date = Field(description="Last day of the measure.", examples=["2025-12-19"])


class DropMeasure(QualificationCommand):
    """The participant left a measure before completing it."""

    measure_id: MeasureId
    dropped_on: date = Field(description="Day the participant left.", examples=["2025-09-15"])
    reason: DropReason = Field(description="Coarse reason, never details.", examples=["employment_started"])


class MeasurePlanned(QualificationEvent):
    """A course or preparation was planned."""

    measure_id: MeasureId
    measure_kind: MeasureKind = Field(description="Kind of measure.", examples=["language_course"])
    provider_id: ProviderId
    target_level: CefrLevel | None = Field(description="Level a language course leads to.", examples=["B2"])
    language_domain: LanguageDomain | None = Field(
        description="What a language course covers.", examples=["professional"]
    )
    starts_on: date | None = Field(description="Planned first day, if known.", examples=["2025-07-01"])


class EnrolledInMeasure(QualificationEvent):
    """The participant enrolled in a measure."""

    measure_id: MeasureId
    measure_kind: MeasureKind = Field(description="Kind of measure.", examples=["language_course"])
    enrolled_on: date = Field(description="Day of enrolment.", examples=["2025-06-20"])
    expected_end_on: date | None = Field(description="Expected last day, if known.", examples=["2025-12-19"])


class LanguageCertificateObtained(QualificationEvent):
    """The participant obtained a German language certificate."""

    certificate: LanguageCertificate = Field(description="Issuer or kind of certificate.", examples=["telc"])
    level: CefrLevel = Field(description="Level certified (CEFR).", examples=["B2"])
    language_domain: LanguageDomain = Field(description="General or job-related German.", examples=["medical"])
    obtained_on: date = Field(description="Date on the certificate.", examples=["2025-12-12"])


class LanguageTargetReached(QualificationEvent):
    """The participant reached the language level the plan aimed for (e.g. B2 for nurses)."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.LANGUAGE_TARGET_REACHED

    level: CefrLevel = Field(description="Level certified (CEFR).", examples=["B2"])
    target_level: CefrLevel = Field(description="Level the plan aimed for.", examples=["B2"])
    language_domain: LanguageDomain = Field(description="General or job-related German.", examples=["medical"])
    reached_on: date = Field(description="Date on the certificate.", examples=["2025-12-12"])


class ExamPassed(QualificationEvent):
    """The participant passed an exam."""

    exam: ExamKind = Field(description="Exam sat.", examples=["knowledge_test"])
    attempt: int = Field(ge=1, description="Attempt number, 1 for the first.", examples=[2])
    taken_on: date = Field(description="Day of the exam.", examples=["2026-01-22"])
    measure_id: MeasureId | None = Field(description="The preparation measure, if any.", examples=[EXAMPLE_MEASURE])


class ExamFailed(QualificationEvent):
    """The participant failed an exam attempt (retakes are limited)."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.EXAM_FAILED

    exam: ExamKind = Field(description="Exam sat.", examples=["knowledge_test"])
    attempt: int = Field(ge=1, description="Attempt number, 1 for the first.", examples=[1])
    taken_on: date = Field(description="Day of the exam.", examples=["2025-10-23"])
    measure_id: MeasureId | None = Field(description="The preparation measure, if any.", examples=[EXAMPLE_MEASURE])


class MeasureCompleted(QualificationEvent):
    """The participant completed a measure."""

    measure_id: MeasureId
    measure_kind: MeasureKind = Field(description="Kind of measure.", examples=["language_course"])
    completed_on: date = Field(description="Last day of the measure.", examples=["2025-12-19"])


class MeasureDropped(QualificationEvent):
    """The participant left a measure before completing it."""

    measure_id: MeasureId
    measure_kind: MeasureKind = Field(description="Kind of measure.", examples=["language_course"])
    dropped_on: date = Field(description="Day the participant left.", examples=["2025-09-15"])
    reason: DropReason = Field(description="Coarse reason, never details.", examples=["employment_started"])


class QualificationCompleted(QualificationEvent):
    """Every planned measure is done and the exams passed: the participant meets the preconditions."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.QUALIFICATION_COMPLETED

    completed_on: date = Field(description="Day the last requirement was met.", examples=["2026-01-22"])
    language_level: CefrLevel | None = Field(description="Highest certified German level, if any.", examples=["B2"])


MESSAGES: tuple[type[BaseMessage], ...] = (
    PlanMeasure,
    EnrolInMeasure,
    RecordLanguageCertificate,
    RecordExamResult,
    CompleteMeasure,
    DropMeasure,
    MeasurePlanned,
    EnrolledInMeasure,
    LanguageCertificateObtained,
    LanguageTargetReached,
    ExamPassed,
    ExamFailed,
    MeasureCompleted,
    MeasureDropped,
    QualificationCompleted,
)
