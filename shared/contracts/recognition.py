"""Recognition (Anerkennung): counselling, the application to the competent authority, its deadlines and outcome.

Decisions travel as outcome codes and measures only: an authority's reasons never leave the partner's files.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, ClassVar, Self

from pydantic import Field, model_validator

from shared.contracts.enums import (
    CompensationMeasure,
    Milestone,
    Profession,
    RecognitionOutcome,
    RecognitionTrack,
    Route,
)
from shared.contracts.envelope import BaseMessage, Command, Event
from shared.contracts.fields import KldbCode, OrgId, PartnerOrg, SetOf
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


Authority = Annotated[
    OrgId, Field(description="Id of the competent authority (a short code, not an address).", examples=["authority-x"])
]


class RecordCounselling(RecognitionCommand):
    """A recognition counselling session took place. Deprecated: counselling is recruitment's now
    (`journey.recruitment.RecordCounsellingSession.v1`, at every stage, with type and outcome, a milestone); this one
    is still served and moves an opened case to counselled, until it is retired."""

    deprecated: ClassVar[bool] = True
    acting_org_field: ClassVar[str | None] = "partner_org"

    held_on: date = Field(description="Day of the session.", examples=["2025-01-27"])
    partner_org: PartnerOrg = Field(description="Id of the counselling organisation.")


class SubmitApplication(RecognitionCommand):
    """The application for recognition went to the competent authority."""

    authority: Authority
    reference_profession: Profession = Field(description="German reference profession applied for.")
    legal_basis: LegalBasis = Field(description="Law the procedure runs under.", examples=["pflbg"])
    track: RecognitionTrack = Field(description="Procedure: standard or a fast track.", examples=["standard"])
    submitted_on: date = Field(description="Day the application was sent.", examples=["2025-02-03"])
    occupation: KldbCode | None = Field(
        None, description="The German reference occupation, coded by KldB 2010, if known.", examples=["81302"]
    )
    partnership_employer: OrgId | None = Field(
        None,
        description="With the recognition partnership track (`recognition_partnership_16d`, §16d(3) AufenthG): the"
        " employer the participant works for under the written agreement; required with that track, only with it."
        " The track also needs German at A2 at least and the participant living in Germany (the procedure is applied"
        " for after entry), as recruitment's facts say.",
        examples=[None],
    )
    regulated: bool | None = Field(
        None,
        description="For a reference profession the rules do not know (`other`): whether it is regulated in"
        " Germany. Left out: regulated under `land_bqfg`, not regulated under `bqfg`. Doctors, nurses, nursing"
        " assistants and home support follow their own rules whatever is given.",
        examples=[None],
    )


class ConfirmReceipt(RecognitionCommand):
    """The authority confirmed receipt (within 1 month; 2 weeks on the fast track) and listed missing documents."""

    received_on: date = Field(description="Day of the confirmation.", examples=["2025-02-20"])
    missing_documents: SetOf[DocumentKind] = Field(
        default_factory=frozenset,
        description="Documents the authority still needs; empty when none.",
        examples=[["certified_translation", "proof_of_experience"]],
    )
    documents_due_on: date | None = Field(
        None,
        description="Day the authority expects the missing documents by; if the file is not complete then,"
        " `DocumentsOverdue` reminds the coordinator. Only with missing documents.",
        examples=["2025-03-20"],
    )

    @model_validator(mode="after")
    def _documents_due_only_when_missing(self) -> Self:
        if self.documents_due_on is not None and not self.missing_documents:
            raise ValueError("documents_due_on is given only with missing_documents")
        return self


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
    measures_offered: SetOf[CompensationMeasure] = Field(
        default_factory=frozenset,
        description="Compensation measures offered; given with `compensation_required` and only with it.",
        examples=[["adaptation_course", "knowledge_test"]],
    )
    decided_on: date = Field(description="Date of the decision.", examples=["2025-05-28"])

    @model_validator(mode="after")
    def _measures_match_outcome(self) -> Self:
        required = self.outcome is RecognitionOutcome.COMPENSATION_REQUIRED
        if required != bool(self.measures_offered):
            raise ValueError("measures_offered is required with compensation_required and allowed only with it")
        return self


class ChooseCompensationMeasure(RecognitionCommand):
    """The participant chose one of the measures offered. Where the law gives a choice (nurses, other regulated
    professions) it may be changed while the chosen measure is not passed or finally failed — a nurse who leaves
    the adaptation course for the knowledge test; doctors are offered one measure and take it."""

    measure: CompensationMeasure = Field(description="Measure chosen.", examples=["knowledge_test"])
    chosen_on: date = Field(description="Day of the choice.", examples=["2025-06-05"])


class GrantLicence(RecognitionCommand):
    """A licence to practise was granted. Accepted only when the case's route leads to this licence and its
    conditions hold: full equivalence or the chosen measure passed, and the language proved — the recognition
    service learns both from `QualificationCompleted` — or the vocational training completed. A doctor's
    Berufserlaubnis (at most 2 years in total) is the exception: it may be granted while the case is open."""

    licence: LicenceKind = Field(description="Kind of licence.", examples=["nursing_licence"])
    granted_on: date = Field(description="Day the licence was granted.", examples=["2026-02-16"])
    valid_until: date | None = Field(
        None, description="Last day of validity, for temporary licences (Berufserlaubnis).", examples=[None]
    )


class RecordComparabilityStatement(RecognitionCommand):
    """The ZAB issued a statement of comparability (Zeugnisbewertung) for an academic degree in a profession not
    regulated in Germany. Not a recognition: it closes the recognition stage and placement can start."""

    issued_on: date = Field(description="Day of the statement.", examples=["2025-04-14"])
    occupation: KldbCode | None = Field(
        None, description="The occupation aimed for, coded by KldB 2010, if known.", examples=["27104"]
    )


class RecordNoRecognitionNeeded(RecognitionCommand):
    """Counselling advised against a recognition procedure (a job not regulated in Germany that the participant
    can take up as they are): the recognition stage closes; qualification and placement go on."""

    acting_org_field: ClassVar[str | None] = "partner_org"

    decided_on: date = Field(description="Day of the counselling that advised it.", examples=["2025-02-10"])
    partner_org: PartnerOrg = Field(description="Id of the counselling organisation.")
    occupation: KldbCode | None = Field(
        None, description="The occupation aimed for, coded by KldB 2010, if known.", examples=["43104"]
    )


class StartTraining(RecognitionCommand):
    """The participant started vocational training in Germany (Ausbildung) instead of a recognition procedure."""

    school_id: OrgId = Field(description="Id of the school (or training provider).", examples=["nursing-school-x"])
    profession: Profession = Field(description="Profession trained for.", examples=["nursing_professional"])
    occupation: KldbCode | None = Field(
        None, description="The occupation trained for, coded by KldB 2010, if known.", examples=["81302"]
    )
    starts_on: date = Field(description="First day of the training.", examples=["2025-09-01"])
    expected_end_on: date = Field(description="Planned last day.", examples=["2028-08-31"])

    @model_validator(mode="after")
    def _ends_after_start(self) -> Self:
        if self.expected_end_on <= self.starts_on:
            raise ValueError("expected_end_on must be after starts_on")
        return self


class CompleteTraining(RecognitionCommand):
    """The participant passed the final (state) examination of the vocational training."""

    completed_on: date = Field(description="Day of the final examination's result.", examples=["2028-07-15"])


class RecognitionCaseOpened(RecognitionEvent):
    """The recognition service opened a case for a newly recruited participant."""

    target_profession: Profession = Field(description="Profession the participant aims for.")
    opened_on: date = Field(description="Day the case was opened.", examples=["2025-01-15"])


class CounsellingHeld(RecognitionEvent):
    """A recognition counselling session took place (the deprecated `RecordCounselling`; counselling is recruitment's
    `CounsellingSessionHeld` now)."""

    deprecated: ClassVar[bool] = True
    acting_org_field: ClassVar[str | None] = "partner_org"

    held_on: date = Field(description="Day of the session.", examples=["2025-01-27"])
    partner_org: PartnerOrg = Field(description="Id of the counselling organisation.")


class ApplicationSubmitted(RecognitionEvent):
    """The application for recognition went to the competent authority."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.APPLICATION_SUBMITTED

    authority: Authority
    reference_profession: Profession = Field(description="German reference profession applied for.")
    legal_basis: LegalBasis = Field(description="Law the procedure runs under.", examples=["pflbg"])
    track: RecognitionTrack = Field(description="Procedure: standard or a fast track.", examples=["standard"])
    submitted_on: date = Field(description="Day the application was sent.", examples=["2025-02-03"])
    occupation: KldbCode | None = Field(
        None, description="The German reference occupation, coded by KldB 2010, if known.", examples=["81302"]
    )
    regulated: bool | None = Field(
        None, description="Whether the reference profession is regulated, as the application said.", examples=[None]
    )
    partnership_employer: OrgId | None = Field(
        None, description="With a recognition partnership (§16d(3) AufenthG): the employer.", examples=[None]
    )
    route: Route | None = Field(
        None,
        description="The route the case follows from now on, decided by the recognition service from the reference"
        " profession and its regulation status; absent from events published before it was.",
        examples=["nurse"],
    )
    receipt_due_on: date | None = Field(
        None,
        description="Last day for the authority to confirm receipt (1 month; 2 weeks on the fast track), computed by"
        " the recognition service; absent from events published before it was.",
        examples=["2025-03-03"],
    )


class ReceiptOverdue(RecognitionEvent):
    """The authority did not confirm receipt in time: 1 month, 2 weeks on the fast track (§14a BQFG, §81a AufenthG)."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.RECEIPT_OVERDUE

    submitted_on: date = Field(description="Day the application was sent.", examples=["2025-02-03"])
    receipt_due_on: date = Field(description="The receipt due date that passed.", examples=["2025-03-03"])
    track: RecognitionTrack = Field(description="Procedure: standard or a fast track.", examples=["standard"])


class ReceiptConfirmed(RecognitionEvent):
    """The authority confirmed receipt and listed the documents it still needs."""

    received_on: date = Field(description="Day of the confirmation.", examples=["2025-02-20"])
    missing_documents: SetOf[DocumentKind] = Field(
        description="Documents the authority still needs; empty when none.",
        examples=[["certified_translation", "proof_of_experience"]],
    )
    documents_due_on: date | None = Field(
        None,
        description="Day the authority expects the missing documents by; if the file is not complete then,"
        " `DocumentsOverdue` reminds the coordinator. Only with missing documents.",
        examples=["2025-03-20"],
    )


class DocumentsOverdue(RecognitionEvent):
    """The day the authority gave for the missing documents passed and the file is still not complete."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.DOCUMENTS_OVERDUE

    documents_due_on: date = Field(description="The day that passed.", examples=["2025-03-20"])
    missing_documents: SetOf[DocumentKind] = Field(
        description="Documents the authority listed as missing.", examples=[["certified_translation"]]
    )


class ApplicationCompleted(RecognitionEvent):
    """The file is complete; the legal decision deadline runs (3 months, 2 on the fast track)."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.APPLICATION_COMPLETE

    complete_on: date = Field(description="Day the file became complete.", examples=["2025-03-10"])
    decision_due_on: date = Field(
        description="Legal decision due date, computed by the recognition service.", examples=["2025-06-10"]
    )


class DeadlineExtended(RecognitionEvent):
    """The authority extended the decision deadline."""

    decision_due_on: date = Field(description="The new decision due date.", examples=["2025-08-10"])
    previous_decision_due_on: date = Field(description="The due date before.", examples=["2025-06-10"])
    reason: ExtensionReason = Field(description="Coarse category only.", examples=["document_verification"])


class DecisionOverdue(RecognitionEvent):
    """The decision due date passed without a recorded decision."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.DECISION_OVERDUE

    decision_due_on: date = Field(description="The due date that passed.", examples=["2025-06-10"])


class RecognitionDecided(RecognitionEvent):
    """The authority decided: outcome and offered measures, never the reasons."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.RECOGNITION_DECIDED

    outcome: RecognitionOutcome = Field(description="Outcome code.", examples=["compensation_required"])
    measures_offered: SetOf[CompensationMeasure] = Field(
        description="Compensation measures offered; empty unless `compensation_required`.",
        examples=[["adaptation_course", "knowledge_test"]],
    )
    decided_on: date = Field(description="Date of the decision.", examples=["2025-05-28"])


class CompensationMeasureChosen(RecognitionEvent):
    """The participant chose a compensation measure, or changed to another; qualification plans it (and ends the
    measure of the earlier choice)."""

    measure: CompensationMeasure = Field(description="Measure chosen.", examples=["knowledge_test"])
    chosen_on: date = Field(description="Day of the choice.", examples=["2025-06-05"])
    previous_measure: CompensationMeasure | None = Field(
        None, description="The measure chosen before, when this choice changes it.", examples=[None]
    )


class LicenceConditionsMet(RecognitionEvent):
    """The recognition service learnt that the case's conditions for a licence hold (full equivalence or the chosen
    measure passed, and the language proved: qualification's `QualificationCompleted`); from now on it accepts
    `GrantLicence` for the licences listed. Wait for this event, not for `QualificationCompleted`, before sending a
    licence: the two stages read each other's facts on their own time."""

    licences: SetOf[LicenceKind] = Field(
        description="Licences the case's route may now end in.", examples=[["nursing_licence"]]
    )
    met_on: date = Field(description="Day the last condition was met.", examples=["2026-01-22"])


class LicenceGranted(RecognitionEvent):
    """A licence to practise was granted."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.LICENCE_GRANTED

    licence: LicenceKind = Field(description="Kind of licence.", examples=["nursing_licence"])
    granted_on: date = Field(description="Day the licence was granted.", examples=["2026-02-16"])
    valid_until: date | None = Field(
        description="Last day of validity for temporary licences; null when unlimited.", examples=[None]
    )


class LicenceExpiring(RecognitionEvent):
    """A temporary licence (Berufserlaubnis) ends in 8 weeks and no permanent licence is recorded yet."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.LICENCE_EXPIRING

    licence: LicenceKind = Field(description="Kind of licence.", examples=["berufserlaubnis"])
    valid_until: date = Field(description="Last day of validity.", examples=["2027-03-31"])


class LicenceExpired(RecognitionEvent):
    """A temporary licence (Berufserlaubnis) ended and no permanent licence is recorded."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.LICENCE_EXPIRED

    licence: LicenceKind = Field(description="Kind of licence.", examples=["berufserlaubnis"])
    valid_until: date = Field(description="Last day of validity.", examples=["2027-03-31"])


class ComparabilityStated(RecognitionEvent):
    """The ZAB stated the comparability of the participant's degree: the recognition stage is closed; placement can
    start."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.COMPARABILITY_STATED

    issued_on: date = Field(description="Day of the statement.", examples=["2025-04-14"])
    occupation: KldbCode | None = Field(description="The occupation aimed for (KldB 2010).", examples=["27104"])


class RecognitionNotNeeded(RecognitionEvent):
    """Counselling advised against a recognition procedure: the recognition stage is closed; qualification and
    placement go on."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.RECOGNITION_NOT_NEEDED

    decided_on: date = Field(description="Day of the counselling that advised it.", examples=["2025-02-10"])
    partner_org: PartnerOrg = Field(description="Id of the counselling organisation.")
    occupation: KldbCode | None = Field(description="The occupation aimed for (KldB 2010).", examples=["43104"])


class TrainingStarted(RecognitionEvent):
    """The participant started vocational training in Germany."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.TRAINING_STARTED

    school_id: OrgId = Field(description="Id of the school (or training provider).", examples=["nursing-school-x"])
    profession: Profession = Field(description="Profession trained for.", examples=["nursing_professional"])
    occupation: KldbCode | None = Field(description="The occupation trained for (KldB 2010).", examples=["81302"])
    starts_on: date = Field(description="First day of the training.", examples=["2025-09-01"])
    expected_end_on: date = Field(description="Planned last day.", examples=["2028-08-31"])


class TrainingCompleted(RecognitionEvent):
    """The participant passed the final examination of the vocational training; a nurse's licence may follow."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.TRAINING_COMPLETED

    profession: Profession = Field(description="Profession trained for.", examples=["nursing_professional"])
    completed_on: date = Field(description="Day of the final examination's result.", examples=["2028-07-15"])


MESSAGES: tuple[type[BaseMessage], ...] = (
    RecordCounselling,
    SubmitApplication,
    ConfirmReceipt,
    CompleteApplication,
    ExtendDeadline,
    RecordDecision,
    ChooseCompensationMeasure,
    GrantLicence,
    RecordComparabilityStatement,
    RecordNoRecognitionNeeded,
    StartTraining,
    CompleteTraining,
    RecognitionCaseOpened,
    CounsellingHeld,
    ApplicationSubmitted,
    ReceiptOverdue,
    ReceiptConfirmed,
    DocumentsOverdue,
    ApplicationCompleted,
    DeadlineExtended,
    DecisionOverdue,
    RecognitionDecided,
    CompensationMeasureChosen,
    LicenceConditionsMet,
    LicenceGranted,
    LicenceExpiring,
    LicenceExpired,
    ComparabilityStated,
    RecognitionNotNeeded,
    TrainingStarted,
    TrainingCompleted,
)
