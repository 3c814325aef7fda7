"""Commands and cases for recognition's unit tests: a case is brought to a state by the domain's own operations."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from services.recognition import domain
from services.recognition.domain import Case, Outcome, Track
from shared.calendar import start_of
from shared.contracts.enums import (
    CefrLevel,
    CompensationMeasure,
    Profession,
    RecognitionOutcome,
    RecognitionTrack,
    Residence,
    Route,
)
from shared.contracts.qualification import ExamFinallyFailed, ExamKind, ExamPart, QualificationCompleted
from shared.contracts.recognition import (
    ChooseCompensationMeasure,
    CompleteApplication,
    CompleteTraining,
    ConfirmReceipt,
    DocumentKind,
    ExtendDeadline,
    ExtensionReason,
    GrantLicence,
    LegalBasis,
    LicenceKind,
    RecordComparabilityStatement,
    RecordCounselling,
    RecordDecision,
    RecordNoRecognitionNeeded,
    StartTraining,
    SubmitApplication,
)
from shared.contracts.recruitment import (
    IntakeRecorded,
    ParticipantReactivated,
    ParticipantStatus,
    ParticipantWithdrawn,
    WithdrawalReason,
)

PID = uuid.UUID("0c5e1d2a-7b3f-4a6e-9d8c-1f2e3a4b5c6d")
NURSE, DOCTOR, HOME_CARE = Profession.NURSING_PROFESSIONAL, Profession.DOCTOR, Profession.HOME_CARE
COMPLETE_ON = date(2025, 3, 10)
DUE = date(2025, 7, 10)  # a nurse trained in the Philippines: 4 months (Directive 2005/36/EC Art. 51(2))
OFFERED = frozenset({"adaptation_course", "knowledge_test"})  # a nurse trained outside the EU: her choice
DOCTOR_OFFERED = frozenset({"knowledge_test"})  # a doctor trained outside the EU: the knowledge test only
THIRD_COUNTRY, EU = "PH", "RO"


def counselling(held_on: date = date(2025, 1, 27)) -> RecordCounselling:
    return RecordCounselling(participant_id=PID, held_on=held_on, partner_org="iq-saar-example")


LEGAL_BASIS = {DOCTOR: LegalBasis.BAEO, NURSE: LegalBasis.PFLBG, Profession.NURSING_ASSISTANT: LegalBasis.LAND_BQFG}


def application(
    profession: Profession = NURSE,
    track: Track = Track.STANDARD,
    legal_basis: LegalBasis | None = None,
    regulated: bool | None = None,
) -> SubmitApplication:
    return SubmitApplication(
        participant_id=PID,
        authority="authority-saar-example",
        reference_profession=profession,
        legal_basis=legal_basis or LEGAL_BASIS.get(profession, LegalBasis.BQFG),
        track=RecognitionTrack(track),
        submitted_on=date(2025, 2, 3),
        regulated=regulated,
        partnership_employer=PARTNERSHIP_EMPLOYER if track is Track.RECOGNITION_PARTNERSHIP_16D else None,
    )


def receipt() -> ConfirmReceipt:
    return ConfirmReceipt(
        participant_id=PID, received_on=date(2025, 2, 20), missing_documents={DocumentKind.CERTIFIED_TRANSLATION}
    )


def completion(on: date = COMPLETE_ON) -> CompleteApplication:
    return CompleteApplication(participant_id=PID, complete_on=on)


def extension(to: date) -> ExtendDeadline:
    return ExtendDeadline(participant_id=PID, new_decision_due_on=to, reason=ExtensionReason.EXPERT_OPINION)


def ruling(outcome: Outcome, offered: frozenset[str] = OFFERED) -> RecordDecision:
    """The authority's decision, offering `offered` with compensation_required (and only then)."""
    measures = offered if outcome is Outcome.COMPENSATION_REQUIRED else frozenset()
    return RecordDecision(
        participant_id=PID,
        outcome=RecognitionOutcome(outcome),
        measures_offered=frozenset(CompensationMeasure(m) for m in measures),
        decided_on=date(2025, 5, 28),
    )


def unchecked_ruling(outcome: Outcome, measures: frozenset[str]) -> RecordDecision:
    """A decision the contract would refuse at the door (measures not matching the outcome): the domain checks too."""
    offered = frozenset(CompensationMeasure(m) for m in measures)
    return ruling(outcome).model_copy(update={"measures_offered": offered})


def choice(measure: str) -> ChooseCompensationMeasure:
    return ChooseCompensationMeasure(
        participant_id=PID, measure=CompensationMeasure(measure), chosen_on=date(2025, 6, 5)
    )


def licence(kind: LicenceKind, granted_on: date, valid_until: date | None = None) -> GrantLicence:
    return GrantLicence(participant_id=PID, licence=kind, granted_on=granted_on, valid_until=valid_until)


def permit(granted_on: date, valid_until: date | None) -> GrantLicence:
    return licence(LicenceKind.BERUFSERLAUBNIS, granted_on, valid_until)


def intake(profession: Profession) -> IntakeRecorded:
    return IntakeRecorded(
        participant_id=PID,
        recorded_on=date(2025, 1, 20),
        target_profession=profession,
        isco_code=None,
        country_of_training="PH",
        language_level=CefrLevel.B1,
        residence=Residence.ABROAD,
        region="DE-SL",
    )


WITHDRAWN_ON = date(2025, 7, 1)
CLOSED_AT: datetime = start_of(WITHDRAWN_ON) + timedelta(hours=11)  # when recognition applied the withdrawal


def withdrawal() -> ParticipantWithdrawn:
    return ParticipantWithdrawn(participant_id=PID, reason=WithdrawalReason.MOVED_AWAY, withdrawn_on=WITHDRAWN_ON)


def reactivation(on: date) -> ParticipantReactivated:
    return ParticipantReactivated(participant_id=PID, reactivated_on=on, previous_status=ParticipantStatus.WITHDRAWN)


def qualification_completed(on: date = date(2026, 1, 22)) -> QualificationCompleted:
    return QualificationCompleted(participant_id=PID, completed_on=on, language_level=CefrLevel.B2)


def exam_finally_failed(part: ExamPart | None = ExamPart.PRACTICAL) -> ExamFinallyFailed:
    return ExamFinallyFailed(
        participant_id=PID,
        exam=ExamKind.KNOWLEDGE_TEST,
        part=part,
        attempts=2,
        failed_on=date(2026, 3, 12),
        measure_id=None,
    )


PARTNERSHIP_EMPLOYER = "care-home-example"


def opened(profession: Profession = NURSE, country: str | None = THIRD_COUNTRY) -> Case:
    """A case of a participant living in Germany with German at B1 (a recognition partnership would be open)."""
    return Case(
        participant_id=PID,
        target_profession=str(profession),
        country_of_training=country,
        language_level="B1",
        residence="in_germany",
    )


def submitted(
    profession: Profession = NURSE,
    track: Track = Track.STANDARD,
    country: str | None = THIRD_COUNTRY,
    legal_basis: LegalBasis | None = None,
    regulated: bool | None = None,
) -> Case:
    submission = application(profession, track, legal_basis, regulated)
    return domain.submit(opened(profession, country), submission).state


def complete(
    profession: Profession = NURSE,
    track: Track = Track.STANDARD,
    country: str | None = THIRD_COUNTRY,
    legal_basis: LegalBasis | None = None,
    regulated: bool | None = None,
) -> Case:
    case = submitted(profession, track, country, legal_basis, regulated)
    receipt_confirmed = domain.confirm_receipt(case, receipt()).state
    return domain.complete(receipt_confirmed, completion()).state


def decided(outcome: Outcome, profession: Profession = NURSE, offered: frozenset[str] | None = None) -> Case:
    """Decided on a case trained in a third country; a doctor is offered the knowledge test, a nurse her choice."""
    measures = offered if offered is not None else DOCTOR_OFFERED if profession is DOCTOR else OFFERED
    return domain.decide(complete(profession), ruling(outcome, measures)).state


def qualified(case: Case) -> Case:
    """Qualification told: recognition settled and the language proved."""
    return domain.qualified(case, qualification_completed()).state


# A case on each application route: the reference profession and legal basis that lead to it.
ON_ROUTE: dict[Route, tuple[Profession, LegalBasis, bool | None]] = {
    Route.DOCTOR: (DOCTOR, LegalBasis.BAEO, None),
    Route.NURSE: (NURSE, LegalBasis.PFLBG, None),
    Route.REGULATED: (Profession.OTHER, LegalBasis.LAND_BQFG, True),
    Route.NON_REGULATED: (Profession.OTHER, LegalBasis.BQFG, False),
}


def complete_on(route: Route, country: str | None = THIRD_COUNTRY, track: Track = Track.STANDARD) -> Case:
    profession, basis, regulated = ON_ROUTE[route]
    return complete(profession, track, country, basis, regulated)


def comparability() -> RecordComparabilityStatement:
    return RecordComparabilityStatement(participant_id=PID, issued_on=date(2025, 4, 14), occupation="27104")


def no_recognition_needed() -> RecordNoRecognitionNeeded:
    return RecordNoRecognitionNeeded(
        participant_id=PID, decided_on=date(2025, 2, 10), partner_org="iq-saar-example", occupation="43104"
    )


def training(profession: Profession = NURSE) -> StartTraining:
    return StartTraining(
        participant_id=PID,
        school_id="nursing-school-x",
        profession=profession,
        occupation="81302",
        starts_on=date(2025, 9, 1),
        expected_end_on=date(2028, 8, 31),
    )


def training_completed() -> CompleteTraining:
    return CompleteTraining(participant_id=PID, completed_on=date(2028, 7, 15))


def trained(profession: Profession = NURSE) -> Case:
    in_training = domain.start_training(opened(), training(profession)).state
    return domain.complete_training(in_training, training_completed()).state
