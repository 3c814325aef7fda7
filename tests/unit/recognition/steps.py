"""Commands and cases for recognition's unit tests: a case is brought to a state by the domain's own operations."""

from __future__ import annotations

import uuid
from datetime import date

from services.recognition import domain
from services.recognition.domain import Case, Outcome, Track
from shared.contracts.enums import (
    CefrLevel,
    CompensationMeasure,
    Profession,
    RecognitionOutcome,
    RecognitionTrack,
    Residence,
)
from shared.contracts.recognition import (
    ChooseCompensationMeasure,
    CompleteApplication,
    ConfirmReceipt,
    DocumentKind,
    ExtendDeadline,
    ExtensionReason,
    GrantLicence,
    LegalBasis,
    LicenceKind,
    RecordCounselling,
    RecordDecision,
    SubmitApplication,
)
from shared.contracts.recruitment import IntakeRecorded, ParticipantWithdrawn, WithdrawalReason

PID = uuid.UUID("0c5e1d2a-7b3f-4a6e-9d8c-1f2e3a4b5c6d")
NURSE, DOCTOR = Profession.NURSING_PROFESSIONAL, Profession.DOCTOR
COMPLETE_ON = date(2025, 3, 10)
OFFERED = frozenset({"adaptation_course", "knowledge_test"})


def counselling(held_on: date = date(2025, 1, 27)) -> RecordCounselling:
    return RecordCounselling(participant_id=PID, held_on=held_on, partner_org="iq-saar-example")


def application(profession: Profession = NURSE, track: Track = Track.STANDARD) -> SubmitApplication:
    return SubmitApplication(
        participant_id=PID,
        authority="authority-saar-example",
        reference_profession=profession,
        legal_basis=LegalBasis.BAEO if profession is DOCTOR else LegalBasis.PFLBG,
        track=RecognitionTrack(track),
        submitted_on=date(2025, 2, 3),
    )


def receipt() -> ConfirmReceipt:
    return ConfirmReceipt(
        participant_id=PID, received_on=date(2025, 2, 20), missing_documents={DocumentKind.CERTIFIED_TRANSLATION}
    )


def completion(on: date = COMPLETE_ON) -> CompleteApplication:
    return CompleteApplication(participant_id=PID, complete_on=on)


def extension(to: date) -> ExtendDeadline:
    return ExtendDeadline(participant_id=PID, new_decision_due_on=to, reason=ExtensionReason.EXPERT_OPINION)


def ruling(outcome: Outcome) -> RecordDecision:
    """The authority's decision, offering `OFFERED` with compensation_required (and only then)."""
    measures = OFFERED if outcome is Outcome.COMPENSATION_REQUIRED else frozenset()
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


def withdrawal() -> ParticipantWithdrawn:
    return ParticipantWithdrawn(participant_id=PID, reason=WithdrawalReason.MOVED_AWAY, withdrawn_on=date(2025, 7, 1))


def opened(profession: Profession = NURSE) -> Case:
    return Case(participant_id=PID, target_profession=str(profession))


def submitted(profession: Profession = NURSE, track: Track = Track.STANDARD) -> Case:
    return domain.submit(opened(profession), application(profession, track)).state


def complete(profession: Profession = NURSE, track: Track = Track.STANDARD) -> Case:
    receipt_confirmed = domain.confirm_receipt(submitted(profession, track), receipt()).state
    return domain.complete(receipt_confirmed, completion()).state


def decided(outcome: Outcome, profession: Profession = NURSE) -> Case:
    return domain.decide(complete(profession), ruling(outcome)).state
