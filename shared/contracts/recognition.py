"""Recognition (Anerkennung): counselling, the application to the competent authority, its deadlines and outcome.

Decisions travel as outcome codes and measures only: an authority's reasons never leave the partner's files.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar, Self

from pydantic import Field, model_validator

from shared.contracts.enums import (
    CompensationMeasure,
    Milestone,
    Profession,
    RecognitionOutcome,
    RecognitionTrack,
)
from shared.contracts.envelope import BaseMessage, Command, Event
from shared.contracts.fields import OrgId, PartnerOrg, SetOf
from shared.contracts.topics import Stage


class LegalBasis(StrEnum):
    """Law the recognition procedure runs under."""

    BQFG = "bqfg"  # federal Recognition Act, non-regulated and federal professions
    PFLBG = "pflbg"  # Pflegeberufegesetz, nursing
    BAEO = "baeo"  # Bundesärzteordnung, doctors
    LAND_BQFG = "land_bqfg"  # a Land's recognition act
    OTHER = "other"


class DocumentKind(StrEnum):
    """Kinds of document an authority may list as missing."""

    IDENTITY_DOCUMENT = "identity_document"
    TRAINING_CERTIFICATE = "training_certificate"
    TRANSCRIPT = "transcript"  # subjects and hours of the training
    PROOF_OF_EXPERIENCE = "proof_of_experience"
    LANGUAGE_CERTIFICATE = "language_certificate"
    CERTIFICATE_OF_GOOD_STANDING = "certificate_of_good_standing"
    CRIMINAL_RECORD_EXTRACT = "criminal_record_extract"
    FITNESS_CERTIFICATE = "fitness_certificate"
    CERTIFIED_TRANSLATION = "certified_translation"
    CURRICULUM_VITAE = "curriculum_vitae"
    FEE_PAYMENT = "fee_payment"
    OTHER = "other"


class ExtensionReason(StrEnum):
    """Coarse category of the authority's reason for extending the decision deadline once."""

    COMPLEX_CASE = "complex_case"
    DOCUMENT_VERIFICATION = "document_verification"  # enquiry with the country of training
    EXPERT_OPINION = "expert_opinion"  # e.g. an assessment of the qualification by an expert body
    OTHER = "other"


class LicenceKind(StrEnum):
    """Licence to practise a regulated profession."""

    BERUFSERLAUBNIS = "berufserlaubnis"  # temporary, doctors: normally at most 2 years
    APPROBATION = "approbation"
    NURSING_LICENCE = "nursing_licence"  # Erlaubnis zum Führen der Berufsbezeichnung
    OTHER = "other"


class RecognitionCommand(Command):
    stage: ClassVar[Stage] = Stage.RECOGNITION


class RecognitionEvent(Event):
    stage: ClassVar[Stage] = Stage.RECOGNITION


AUTHORITY = Field(
    description="Id of the competent authority (a short code, not an address).", examples=["land-health-authority-x"]
)
MEASURES_OFFERED = Field(
    description="Compensation measures offered; only with `compensation_required`.",
    examples=[["adaptation_course", "knowledge_test"]],
)


class RecordCounselling(RecognitionCommand):
    """A recognition counselling session took place."""

    held_on: date = Field(description="Day of the session.", examples=["2025-01-27"])
    partner_org: PartnerOrg = Field(description="Id of the counselling organisation.")


class SubmitApplication(RecognitionCommand):
    """The application for recognition went to the competent authority."""

    authority: OrgId = AUTHORITY
    reference_profession: Profession = Field(description="German reference profession applied for.")
    legal_basis: LegalBasis = Field(description="Law the procedure runs under.", examples=["pflbg"])
    track: RecognitionTrack = Field(description="Procedure: standard or a fast track.", examples=["standard"])
    submitted_on: date = Field(description="Day the application was sent.", examples=["2025-02-03"])


class ConfirmReceipt(RecognitionCommand):
    """The authority confirmed receipt (within 1 month; 2 weeks on the fast track) and listed missing documents."""

    received_on: date = Field(description="Day of the confirmation.", examples=["2025-02-20"])
    missing_documents: SetOf[DocumentKind] = Field(
        default_factory=frozenset,
        description="Documents the authority still needs; empty when none.",
        examples=[["certified_translation", "proof_of_experience"]],
    )


class CompleteApplication(RecognitionCommand):
    """The authority reports the file complete: the decision deadline starts."""

    complete_on: date = Field(description="Day the file became complete.", examples=["2025-03-10"])


class ExtendDeadline(RecognitionCommand):
    """The authority extended the decision deadline (once, with reasons kept in its files)."""

    new_decision_due_on: date = Field(description="The new decision due date.", examples=["2025-08-10"])
    reason: ExtensionReason = Field(description="Coarse category only.", examples=["document_verification"])


class RecordDecision(RecognitionCommand):
    """The authority decided. Outcome and offered measures only; the reasons stay in the partner's files."""

    outcome: RecognitionOutcome = Field(description="Outcome code.", examples=["compensation_required"])
    measures_offered: SetOf[CompensationMeasure] = Field(default_factory=frozenset, **MEASURES_OFFERED._attributes_set)
    decided_on: date = Field(description="Date of the decision.", examples=["2025-05-28"])

    @model_validator(mode="after")
    def _measures_match_outcome(self) -> Self:
        required = self.outcome is RecognitionOutcome.COMPENSATION_REQUIRED
        if required != bool(self.measures_offered):
            raise ValueError("measures_offered is required with compensation_required and allowed only with it")
        return self


class ChooseCompensationMeasure(RecognitionCommand):
    """The participant chose one of the measures offered (nurses and doctors may choose)."""

    measure: CompensationMeasure = Field(description="Measure chosen.", examples=["knowledge_test"])
    chosen_on: date = Field(description="Day of the choice.", examples=["2025-06-05"])


class GrantLicence(RecognitionCommand):
    """A licence to practise was granted."""

    licence: LicenceKind = Field(description="Kind of licence.", examples=["nursing_licence"])
    granted_on: date = Field(description="Day the licence was granted.", examples=["2026-02-16"])
    valid_until: date | None = Field(
        None, description="Last day of validity, for temporary licences (Berufserlaubnis).", examples=[None]
    )
