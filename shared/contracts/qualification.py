"""Qualification: language courses and compensation measures, certificates and exams, until qualified."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, ClassVar, Self
from uuid import UUID

from pydantic import Field, model_validator

from shared.contracts.enums import CefrLevel, LanguageCertificate, Milestone, Route
from shared.contracts.envelope import BaseMessage, Command, Event
from shared.contracts.fields import OrgId
from shared.contracts.topics import Stage


class MeasureKind(StrEnum):
    """Kind of qualification measure."""

    LANGUAGE_COURSE = "language_course"  # integration course or Berufssprachkurs
    ADAPTATION_COURSE = "adaptation_course"
    KNOWLEDGE_TEST_PREPARATION = "knowledge_test_preparation"
    APTITUDE_TEST_PREPARATION = "aptitude_test_preparation"
    ADAPTATION_QUALIFICATION = "adaptation_qualification"  # non-regulated, after partial equivalence (IQ)


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


class ExamPart(StrEnum):
    """Part of an exam sat and retaken on its own (a nurse's knowledge test: PflAPrV)."""

    ORAL = "oral"
    PRACTICAL = "practical"


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
    SUPERSEDED = "superseded"  # set by the service: a partner planned its own measure for the same purpose
    MEASURE_CHANGED = "measure_changed"  # set by the service: the participant chose another compensation measure
    NOT_NEEDED = "not_needed"  # set by the service: the profession or route that asked for it no longer governs
    OTHER = "other"


EXAMPLE_MEASURE = "0c6f7a3e-9b1d-4f2a-8e5c-7d9b0a1c2e3f"  # a language course in the examples
EXAMPLE_PREPARATION = "5b2e8d41-7c3a-4e9f-b1d6-2a8c4f0e9d73"  # a knowledge-test preparation in the examples
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
    """Plan a course or preparation; the partner chooses a fresh random `measure_id` to refer to it later. If the
    service planned a measure for the same purpose itself (same kind; for a language course the same target level)
    and nobody took it on yet, the partner's measure takes its place: the service's one is dropped
    with reason `superseded`."""

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
    """The participant obtained a German language certificate. A `fachsprachpruefung` certificate is the medical
    language exam of the Land chamber: it certifies C1 medical German and nothing else. Recording the exam instead
    (`RecordExamResult` with `fachsprachpruefung`, passed) proves the same; either counts, once."""

    certificate: LanguageCertificate = Field(description="Issuer or kind of certificate.", examples=["telc"])
    level: CefrLevel = Field(description="Level certified (CEFR).", examples=["B2"])
    language_domain: LanguageDomain = Field(description="General or job-related German.", examples=["medical"])
    obtained_on: date = Field(description="Date on the certificate.", examples=["2025-12-12"])
    measure_id: MeasureId | None = Field(
        None, description="The course that led to it, if any.", examples=[EXAMPLE_MEASURE]
    )

    @model_validator(mode="after")
    def _fachsprachpruefung_is_c1_medical(self) -> Self:
        medical_exam = self.certificate is LanguageCertificate.FACHSPRACHPRUEFUNG
        if medical_exam and (self.level is not CefrLevel.C1 or self.language_domain is not LanguageDomain.MEDICAL):
            raise ValueError("a fachsprachpruefung certifies level C1, language_domain medical")
        return self


class RecordExamResult(QualificationCommand):
    """The participant sat an exam; record the result of this attempt."""

    exam: ExamKind = Field(description="Exam sat.", examples=["knowledge_test"])
    attempt: int = Field(ge=1, le=10, description="1 for the first attempt, 2 for the first retake...", examples=[1])
    result: ExamResult = Field(description="Result of the attempt.", examples=["failed"])
    taken_on: date = Field(description="Day of the exam.", examples=["2025-10-23"])
    measure_id: MeasureId | None = Field(
        None,
        description="The preparation measure (knowledge or aptitude test) or language course it ends, if any.",
        examples=[EXAMPLE_PREPARATION],
    )
    part: ExamPart | None = Field(
        None,
        description="The part sat, for exams sat in parts (a nurse's knowledge test: oral or practical); attempts"
        " are counted per part. Left out for an exam sat whole.",
        examples=[None],
    )


class AssignProvider(QualificationCommand):
    """A provider takes on a measure the service planned itself (`provider_id` "unassigned" in `MeasurePlanned`),
    or another provider takes over a planned one."""

    measure_id: MeasureId
    provider_id: ProviderId
    starts_on: date | None = Field(None, description="Planned first day, if known.", examples=["2025-07-01"])


class CompleteMeasure(QualificationCommand):
    """The participant completed a measure. An adaptation course is completed with its final interview passed. A
    preparation whose exam was passed is completed already (the service said so with `MeasureCompleted`); completing
    it again changes nothing and is not refused."""

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
    measure_id: MeasureId | None = Field(
        description="The preparation measure or language course, if any.", examples=[EXAMPLE_PREPARATION]
    )
    part: ExamPart | None = Field(None, description="The part sat, for exams sat in parts.", examples=[None])


class ExamFailed(QualificationEvent):
    """The participant failed an exam attempt (retakes are limited)."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.EXAM_FAILED

    exam: ExamKind = Field(description="Exam sat.", examples=["knowledge_test"])
    attempt: int = Field(ge=1, description="Attempt number, 1 for the first.", examples=[1])
    taken_on: date = Field(description="Day of the exam.", examples=["2025-10-23"])
    measure_id: MeasureId | None = Field(
        description="The preparation measure or language course, if any.", examples=[EXAMPLE_PREPARATION]
    )
    part: ExamPart | None = Field(None, description="The part sat, for exams sat in parts.", examples=[None])


class ProviderAssigned(QualificationEvent):
    """A provider took on a measure."""

    measure_id: MeasureId
    measure_kind: MeasureKind = Field(description="Kind of measure.", examples=["language_course"])
    provider_id: ProviderId
    starts_on: date | None = Field(description="Planned first day, if known.", examples=["2025-07-01"])


class ExamFinallyFailed(QualificationEvent):
    """The last attempt the law allows at an exam (or one of its parts) was failed: the measure it ends has failed
    and the route's licence cannot follow from it."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.EXAM_FINALLY_FAILED

    exam: ExamKind = Field(description="Exam sat.", examples=["knowledge_test"])
    part: ExamPart | None = Field(description="The part failed, for exams sat in parts.", examples=["practical"])
    attempts: int = Field(ge=1, description="Attempts made, all failed.", examples=[2])
    failed_on: date = Field(description="Day of the last attempt.", examples=["2026-03-12"])
    measure_id: MeasureId | None = Field(
        description="The preparation measure that failed, if any.", examples=[EXAMPLE_PREPARATION]
    )


class MeasureCompleted(QualificationEvent):
    """The participant completed a measure; for a preparation, its exam was passed."""

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
    """The participant meets the preconditions of their route: recognition settled (full or partial equivalence as
    the route allows, or the chosen measure passed, or a statement of comparability, no procedure needed, or the
    vocational training completed), the German the reference profession needs proved, and no measure left open.
    The partner guide's "What each route requires" lists it per route and profession."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.QUALIFICATION_COMPLETED

    completed_on: date = Field(description="Day the last requirement was met.", examples=["2026-01-22"])
    language_level: CefrLevel | None = Field(description="Highest certified German level, if any.", examples=["B2"])
    route: Route | None = Field(None, description="The route completed.", examples=["nurse"])


MESSAGES: tuple[type[BaseMessage], ...] = (
    PlanMeasure,
    EnrolInMeasure,
    RecordLanguageCertificate,
    RecordExamResult,
    AssignProvider,
    CompleteMeasure,
    DropMeasure,
    MeasurePlanned,
    ProviderAssigned,
    EnrolledInMeasure,
    LanguageCertificateObtained,
    LanguageTargetReached,
    ExamPassed,
    ExamFailed,
    ExamFinallyFailed,
    MeasureCompleted,
    MeasureDropped,
    QualificationCompleted,
)
