"""What one finished journey of each walk (tools/walks.py) leaves in the services' tables, for the bulk preload.

Transcribed from the rows a `make bench` run (300 journeys of the mix, 2026-11-29) left in every schema, one
participant per walk; offsets are days from the day the walk was played (the walks' "today"), `None` in a
milestone is the day the participant entered. The events are each walk's outbox rows in the order they were
recorded. `tests/unit/tools/test_preload.py` checks these against the walks themselves (the mix, the milestones).
"""

from __future__ import annotations

from dataclasses import dataclass

MEASURE_PREP = "knowledge_test_preparation"


@dataclass(frozen=True)
class Measure:
    kind: str
    status: str
    provider: str  # "unassigned": planned by the rules, dropped when the partner planned its own
    ended: int
    started: int | None = None  # the partner's measures start (and are enrolled in) this day
    level: str | None = None
    domain: str | None = None

    @property
    def planned_by(self) -> str:
        return "rules" if self.started is None else "partner"


@dataclass(frozen=True)
class Shape:
    """One walk's journey, service by service."""

    state: str  # recognition's case state at the end
    route: str
    milestones: tuple[tuple[str, int | None], ...]
    events: str
    employer: str | None = None  # None: the journey ends without an employment
    result: str | None = None  # what the participant leaves with, at the six-month check (ParticipationCompleted)
    applications: tuple[tuple[int, int], ...] = ()  # (submitted, decided); receipt 2 days, complete file 4 days later
    decision_months: int = 3  # the authority's deadline after the complete file
    outcome: str | None = None
    offered: tuple[str, ...] = ()
    measure: str | None = None
    licences: tuple[tuple[str, int], ...] = ()
    permit_until: int | None = None  # a Berufserlaubnis valid until this day (its expiry due dates, cancelled)
    qualified_on: int | None = None
    language_on: int | None = None
    route_closed: bool = False  # the qualifying fact closed qualification's route
    finally_failed: tuple[str, int] | None = None
    comparability_on: int | None = None
    not_needed_on: int | None = None
    training: tuple[int, int] | None = None
    reference_profession: str | None = None
    measures: tuple[Measure, ...] = ()
    certificates: tuple[tuple[str, str, str, int], ...] = ()  # certificate, level, domain, obtained
    exams: tuple[tuple[str, str, int, bool, int], ...] = ()  # exam, part ('' whole), attempts, passed, last taken


EMPLOYED = (("placement_confirmed", -10), ("employment_started", -1))
APPLIED = (("application_submitted", -28), ("application_complete", -24))
LANGUAGE_SCHOOL = "language-school-example"

SHAPES: dict[str, Shape] = {
    "nurse-adaptation": Shape(
        state="licensed",
        route="nurse",
        employer="care-home-example",
        result="licensed_and_employed",
        applications=((-28, -20),),
        decision_months=4,
        reference_profession="nursing_professional",
        outcome="compensation_required",
        offered=("adaptation_course", "knowledge_test"),
        measure="adaptation_course",
        licences=(("nursing_licence", -2),),
        qualified_on=-4,
        language_on=-8,
        measures=(
            Measure("language_course", "dropped", "unassigned", -68, level="B2", domain="professional"),
            Measure("adaptation_course", "dropped", "unassigned", -18),
            Measure("adaptation_course", "completed", "care-academy-example", -4, started=-18),
            Measure(
                "language_course", "completed", LANGUAGE_SCHOOL, -8, started=-68, level="B2", domain="professional"
            ),
        ),
        certificates=(("telc", "B2", "professional", -8),),
        milestones=(
            ("participant_recruited", None),
            *APPLIED,
            ("recognition_decided", -20),
            ("language_target_reached", -8),
            ("qualification_completed", -4),
            ("licence_granted", -2),
            *EMPLOYED,
        ),
        events="recruitment.ParticipantRecruited qualification.MeasurePlanned recognition.RecognitionCaseOpened"
        " qualification.MeasurePlanned recognition.ApplicationSubmitted recognition.ReceiptConfirmed"
        " qualification.EnrolledInMeasure recognition.ApplicationCompleted qualification.MeasureDropped"
        " qualification.MeasurePlanned recognition.RecognitionDecided qualification.EnrolledInMeasure"
        " recognition.CompensationMeasureChosen qualification.LanguageCertificateObtained"
        " qualification.LanguageTargetReached qualification.MeasureCompleted qualification.MeasureCompleted"
        " qualification.QualificationCompleted recognition.LicenceConditionsMet placement.OfferRecorded"
        " placement.PlacementConfirmed placement.EmploymentStarted recognition.LicenceGranted",
    ),
    "doctor": Shape(
        state="licensed",
        route="doctor",
        employer="hospital-example",
        result="licensed_and_employed",
        applications=((-28, -20),),
        decision_months=4,
        reference_profession="doctor",
        outcome="compensation_required",
        offered=("knowledge_test",),
        measure="knowledge_test",
        licences=(("berufserlaubnis", -22), ("approbation", -2)),
        permit_until=600,
        qualified_on=-4,
        language_on=-12,
        measures=(
            Measure("language_course", "dropped", "unassigned", -75, level="B2", domain="general"),
            Measure("language_course", "dropped", "unassigned", -70, level="C1", domain="medical"),
            Measure("language_course", "completed", LANGUAGE_SCHOOL, -15, started=-75, level="B2", domain="general"),
            Measure("language_course", "completed", LANGUAGE_SCHOOL, -12, started=-70, level="C1", domain="medical"),
            Measure(MEASURE_PREP, "dropped", "unassigned", -18),
            Measure(MEASURE_PREP, "passed", "medical-academy-example", -4, started=-18),
        ),
        certificates=(("goethe", "B2", "general", -15), ("fachsprachpruefung", "C1", "medical", -12)),
        exams=(("knowledge_test", "", 2, True, -4), ("fachsprachpruefung", "", 1, True, -12)),
        milestones=(
            ("participant_recruited", None),
            *APPLIED,
            ("licence_granted", -22),
            ("recognition_decided", -20),
            ("exam_failed", -10),
            ("language_target_reached", -12),
            ("qualification_completed", -4),
            ("licence_granted", -2),
            *EMPLOYED,
        ),
        events="recruitment.ParticipantRecruited recognition.RecognitionCaseOpened qualification.MeasurePlanned"
        " qualification.MeasurePlanned recognition.ApplicationSubmitted recognition.ReceiptConfirmed"
        " recognition.ApplicationCompleted recognition.LicenceGranted recognition.RecognitionDecided"
        " recognition.CompensationMeasureChosen qualification.MeasurePlanned qualification.MeasureDropped"
        " qualification.MeasurePlanned qualification.EnrolledInMeasure qualification.LanguageCertificateObtained"
        " qualification.MeasureCompleted qualification.MeasureDropped qualification.MeasurePlanned"
        " qualification.EnrolledInMeasure qualification.ExamPassed qualification.LanguageCertificateObtained"
        " qualification.LanguageTargetReached qualification.MeasureCompleted qualification.MeasureDropped"
        " qualification.MeasurePlanned qualification.EnrolledInMeasure qualification.ExamFailed"
        " qualification.ExamPassed qualification.MeasureCompleted qualification.QualificationCompleted"
        " recognition.LicenceConditionsMet placement.OfferRecorded recognition.LicenceGranted"
        " placement.PlacementConfirmed placement.EmploymentStarted",
    ),
    "nurse-final-failure": Shape(
        state="measure_chosen",
        route="nurse",
        applications=((-28, -20),),
        decision_months=4,
        reference_profession="nursing_professional",
        outcome="compensation_required",
        offered=("adaptation_course", "knowledge_test"),
        measure="knowledge_test",
        finally_failed=("knowledge_test (practical)", -3),
        measures=(
            Measure("adaptation_course", "dropped", "unassigned", -18),
            Measure("adaptation_course", "dropped", "care-academy-example", -15, started=-18),
            Measure(MEASURE_PREP, "dropped", "unassigned", -14),
            Measure(MEASURE_PREP, "failed", "care-academy-example", -3, started=-14),
        ),
        exams=(("knowledge_test", "oral", 1, True, -9), ("knowledge_test", "practical", 2, False, -3)),
        milestones=(
            ("participant_recruited", None),
            *APPLIED,
            ("recognition_decided", -20),
            ("exam_failed", -8),
            ("exam_failed", -3),
            ("exam_finally_failed", -3),
        ),
        events="recruitment.ParticipantRecruited recognition.RecognitionCaseOpened recognition.ApplicationSubmitted"
        " recognition.ReceiptConfirmed recognition.ApplicationCompleted recognition.RecognitionDecided"
        " recognition.CompensationMeasureChosen qualification.MeasurePlanned qualification.MeasureDropped"
        " qualification.MeasurePlanned qualification.EnrolledInMeasure recognition.CompensationMeasureChosen"
        " qualification.MeasurePlanned qualification.EnrolledInMeasure qualification.ExamPassed"
        " qualification.ExamFailed qualification.ExamFailed qualification.ExamFinallyFailed"
        " qualification.MeasureDropped qualification.MeasurePlanned",
    ),
    "electrician": Shape(
        state="decided",
        route="non_regulated",
        employer="electrical-firm-example",
        result="recognised_and_employed",
        applications=((-28, -22), (-12, -3)),
        reference_profession="other",
        outcome="full_equivalence",
        qualified_on=-22,
        measures=(Measure("adaptation_qualification", "completed", "craft-trainer-example", -13, started=-21),),
        milestones=(
            ("participant_recruited", None),
            *APPLIED,
            ("recognition_decided", -22),
            ("qualification_completed", -22),
            ("application_submitted", -12),
            ("application_complete", -8),
            ("recognition_decided", -3),
            *EMPLOYED,
        ),
        events="recruitment.ParticipantRecruited recognition.RecognitionCaseOpened recognition.ApplicationSubmitted"
        " recognition.ReceiptConfirmed recognition.ApplicationCompleted recognition.RecognitionDecided"
        " qualification.QualificationCompleted qualification.MeasurePlanned qualification.EnrolledInMeasure"
        " qualification.MeasureCompleted recognition.ApplicationSubmitted recognition.ReceiptConfirmed"
        " recognition.ApplicationCompleted recognition.RecognitionDecided placement.OfferRecorded"
        " placement.PlacementConfirmed placement.EmploymentStarted",
    ),
    "educator": Shape(
        state="licensed",
        route="regulated",
        employer="day-care-example",
        result="licensed_and_employed",
        applications=((-28, -20),),
        reference_profession="other",
        outcome="compensation_required",
        offered=("adaptation_course", "aptitude_test"),
        measure="aptitude_test",
        licences=(("other", -2),),
        qualified_on=-5,
        measures=(
            Measure("aptitude_test_preparation", "dropped", "unassigned", -18),
            Measure("aptitude_test_preparation", "passed", "social-academy-example", -5, started=-18),
        ),
        exams=(("aptitude_test", "", 1, True, -5),),
        milestones=(
            ("participant_recruited", None),
            *APPLIED,
            ("recognition_decided", -20),
            ("qualification_completed", -5),
            ("licence_granted", -2),
            *EMPLOYED,
        ),
        events="recruitment.ParticipantRecruited recognition.RecognitionCaseOpened recognition.ApplicationSubmitted"
        " recognition.ReceiptConfirmed recognition.ApplicationCompleted recognition.RecognitionDecided"
        " recognition.CompensationMeasureChosen qualification.MeasurePlanned qualification.MeasureDropped"
        " qualification.MeasurePlanned qualification.EnrolledInMeasure qualification.ExamPassed"
        " qualification.MeasureCompleted qualification.QualificationCompleted recognition.LicenceConditionsMet"
        " placement.OfferRecorded placement.PlacementConfirmed placement.EmploymentStarted recognition.LicenceGranted",
    ),
    "engineer": Shape(
        state="comparability_stated",
        route="statement_of_comparability",
        employer="engineering-firm-example",
        result="recognised_and_employed",
        qualified_on=-21,
        route_closed=True,
        comparability_on=-21,
        milestones=(
            ("participant_recruited", None),
            ("comparability_stated", -21),
            ("qualification_completed", -21),
            *EMPLOYED,
        ),
        events="recruitment.ParticipantRecruited recognition.RecognitionCaseOpened recognition.ComparabilityStated"
        " qualification.QualificationCompleted placement.OfferRecorded placement.PlacementConfirmed"
        " placement.EmploymentStarted",
    ),
    "no-recognition": Shape(
        state="not_needed",
        route="no_recognition_needed",
        employer="logistics-example",
        result="employed_without_recognition",
        qualified_on=-25,
        route_closed=True,
        not_needed_on=-25,
        measures=(
            Measure(
                "language_course", "completed", LANGUAGE_SCHOOL, -6, started=-66, level="B1", domain="professional"
            ),
        ),
        certificates=(("telc", "B1", "professional", -6),),
        milestones=(
            ("participant_recruited", None),
            ("recognition_not_needed", -25),
            ("qualification_completed", -25),
            *EMPLOYED,
        ),
        events="recruitment.ParticipantRecruited recognition.RecognitionCaseOpened recognition.RecognitionNotNeeded"
        " qualification.QualificationCompleted qualification.MeasurePlanned qualification.EnrolledInMeasure"
        " qualification.LanguageCertificateObtained placement.OfferRecorded qualification.MeasureCompleted"
        " placement.PlacementConfirmed placement.EmploymentStarted",
    ),
    "trainee": Shape(
        state="licensed",
        route="vocational_training",
        employer="care-home-example",
        result="licensed_and_employed",
        reference_profession="nursing_professional",
        licences=(("nursing_licence", -5),),
        qualified_on=-10,
        route_closed=True,
        training=(-3 * 365, -10),
        milestones=(
            ("participant_recruited", None),
            ("training_started", -3 * 365),
            ("training_completed", -10),
            ("qualification_completed", -10),
            ("licence_granted", -5),
            *EMPLOYED,
        ),
        events="recruitment.ParticipantRecruited recognition.RecognitionCaseOpened recognition.TrainingStarted"
        " recognition.TrainingCompleted recognition.LicenceGranted placement.OfferRecorded"
        " placement.PlacementConfirmed placement.EmploymentStarted qualification.QualificationCompleted",
    ),
}


def ce_type(short: str) -> str:
    """`recognition.LicenceGranted` -> `journey.recognition.LicenceGranted.v1`."""
    return f"journey.{short}.v1"
