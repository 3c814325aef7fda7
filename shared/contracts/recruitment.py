"""Recruitment: registering candidates, intake and consent. Personal data appears here and only here."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, ClassVar, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.contracts.enums import CefrLevel, ConsentScope, Milestone, Profession, ReferralSource, Residence
from shared.contracts.envelope import BaseMessage, Command, Event
from shared.contracts.fields import (
    CaseReference,
    CountryCode,
    DistrictCode,
    KldbCode,
    OrgId,
    PartnerOrg,
    RegionCode,
    SetOf,
)
from shared.contracts.reporting import EntryIndicators
from shared.contracts.topics import Kind, Stage

CONSENTS_DESCRIPTION = "Kinds of recipient the participant consented to sharing with (DSGVO: named, not blanket)."
ConsentFormVersion = Annotated[
    str,
    Field(
        min_length=1,
        max_length=40,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$",
        description="Version of the consent form the participant was shown (the partner's own label).",
        examples=["consent-2026-01"],
    ),
]


class WithdrawalReason(StrEnum):
    """Coarse reason a participant left the journey; never free text."""

    EMPLOYED_ELSEWHERE = "employed_elsewhere"
    MOVED_AWAY = "moved_away"
    LEFT_GERMANY = "left_germany"
    NO_LONGER_INTERESTED = "no_longer_interested"
    PERSONAL_REASONS = "personal_reasons"
    LOST_CONTACT = "lost_contact"
    TRAINING_STARTED_ELSEWHERE = "training_started_elsewhere"
    VISA_REFUSED = "visa_refused"
    RECOGNITION_NOT_POSSIBLE = "recognition_not_possible"
    OTHER = "other"


class JourneyStage(StrEnum):
    """The stage of the journey a participant was in (e.g. when they dropped out)."""

    RECRUITMENT = "recruitment"
    RECOGNITION = "recognition"
    QUALIFICATION = "qualification"
    PLACEMENT = "placement"
    FOLLOW_UP = "follow_up"


class PauseReason(StrEnum):
    """Coarse reason for a pause; deliberately says nothing about health beyond "illness"."""

    PARENTAL_LEAVE = "parental_leave"
    ILLNESS = "illness"
    CARE_DUTIES = "care_duties"
    STAY_ABROAD = "stay_abroad"
    WAITING_FOR_VISA = "waiting_for_visa"
    OTHER = "other"


class ParticipationResult(StrEnum):
    """What a participant leaves the programme with."""

    LICENSED_AND_EMPLOYED = "licensed_and_employed"
    RECOGNISED_AND_EMPLOYED = "recognised_and_employed"  # full/partial equivalence, no licence needed
    EMPLOYED_WITHOUT_RECOGNITION = "employed_without_recognition"
    EMPLOYED_RECOGNITION_PENDING = "employed_recognition_pending"  # e.g. a recognition partnership, §16d(3)
    IN_TRAINING = "in_training"
    RECOGNISED_NOT_EMPLOYED = "recognised_not_employed"
    OTHER = "other"


class ParticipantStatus(StrEnum):
    """Where a participant stands in the programme."""

    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"  # dropped out
    ERASED = "erased"


class ConsentMethod(StrEnum):
    """How a consent was given (the evidence the organisation keeps)."""

    WRITTEN = "written"  # signed on paper
    ELECTRONIC = "electronic"  # e.g. a signed form in the partner's system
    ORAL_DOCUMENTED = "oral_documented"  # given orally, documented by the counsellor


class OrgRole(StrEnum):
    """The part an organisation plays in one participant's case; it decides which milestones it is told about
    and which consent that needs (`shared.contracts.organisations.ROLES`)."""

    COUNSELLING_CENTRE = "counselling_centre"
    MEASURE_PROVIDER = "measure_provider"  # language school, course or training provider
    EMPLOYER = "employer"
    JOBCENTER = "jobcenter"  # Jobcenter or Agentur für Arbeit
    AUTHORITY = "authority"  # the competent recognition authority
    RECRUITER = "recruiter"  # a recruiting partner (often abroad)


class ErasureBasis(StrEnum):
    """Why a participant's personal data is erased."""

    DATA_SUBJECT_REQUEST = "data_subject_request"  # Art. 17 DSGVO
    RETENTION_PERIOD_ENDED = "retention_period_ended"


class AuditHoldReason(StrEnum):
    """Why a participant's data must outlast the retention period (DSGVO Art. 17(3)(b) and (e))."""

    FUNDER_AUDIT = "funder_audit"  # the funder's audit period (e.g. ESF+: documents kept for its audits)
    LEGAL_CLAIM = "legal_claim"  # a claim being established, exercised or defended


class PersonalField(StrEnum):
    """A part of the personal block (`PersonalData`), named in a correction: the name, never the value."""

    GIVEN_NAME = "given_name"
    FAMILY_NAME = "family_name"
    EMAIL = "email"
    PHONE = "phone"
    BIRTH_DATE = "birth_date"


class RecruitmentCommand(Command):
    stage: ClassVar[Stage] = Stage.RECRUITMENT


class RecruitmentEvent(Event):
    stage: ClassVar[Stage] = Stage.RECRUITMENT


class PersonalData(BaseModel):
    """Identifying data: kept in the recruitment service's store, never in an event or e-mail."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    given_name: str = Field(min_length=1, max_length=200, description="Given name(s).", examples=["Amara"])
    family_name: str = Field(min_length=1, max_length=200, description="Family name.", examples=["Example"])
    email: str | None = Field(
        None, pattern=r"^[^@\s]+@[^@\s]+$", description="E-mail address, if any.", examples=["amara@example.org"]
    )
    phone: str | None = Field(None, max_length=40, description="Phone number, if any.", examples=["+49 000 000000"])
    birth_date: date | None = Field(None, description="Date of birth, if given.", examples=["1994-05-17"])


class RegisterCandidate(RecruitmentCommand):
    """A partner registers a candidate; the partner chooses a fresh random `participant_id`."""

    acting_org_field: ClassVar[str | None] = "partner_org"
    introduces_participant: ClassVar[bool] = True

    personal: PersonalData = Field(description="Identifying data; stays in the recruitment service.")
    target_profession: Profession = Field(description="Profession the candidate aims for in Germany.")
    occupation: KldbCode | None = Field(
        None,
        description="The occupation aimed for, coded by KldB 2010 (five digits), if known; the rules follow the"
        " target profession, the occupation refines it for counting.",
        examples=["81302"],
    )
    country_of_training: CountryCode = Field(description="Country where the qualification was obtained.")
    language_level: CefrLevel = Field(description="Current German level (CEFR).", examples=["A2"])
    residence: Residence = Field(description="Where the candidate lives now.", examples=["abroad"])
    region: RegionCode
    referral_source: ReferralSource = Field(description="How the candidate came to the programme.")
    partner_org: PartnerOrg
    consents: SetOf[ConsentScope] = Field(
        default_factory=frozenset,
        description=CONSENTS_DESCRIPTION,
        examples=[["employer", "language_provider", "recognition_authority"]],
    )
    partner_role: OrgRole = Field(
        OrgRole.COUNSELLING_CENTRE,
        description="The role of the registering organisation; it leads the case until it hands the lead over.",
        examples=["counselling_centre"],
    )
    district: DistrictCode | None = Field(None, description="District the participant lives in, if in Germany.")
    eu_citizen: bool | None = Field(
        None,
        description="Whether the participant is a citizen of the EU/EEA/Switzerland (the §4a(5) AufenthG notice of"
        " an employment ending early is not needed then). Left out: not known, treated as not.",
        examples=[False],
    )
    consent_form_version: ConsentFormVersion | None = Field(
        None,
        description="Version of the consent form shown, when any consents are given.",
        examples=["consent-2026-01"],
    )
    consent_method: ConsentMethod | None = Field(
        None, description="How the consents were given, when any are.", examples=["written"]
    )
    case_reference: CaseReference | None = Field(None, description="The registering organisation's own reference.")
    registered_on: date | None = Field(
        None,
        description="Day the person entered the programme, when that was before this command (a registration"
        " recorded afterwards); left out: the day the recruitment service receives it. A later day counts as today."
        " Funding periods and durations count from it.",
        examples=["2026-01-12"],
    )
    indicators: EntryIndicators | None = Field(
        None,
        description="The ESF+ common indicators at entry (coarse categories), where the funding asks for them. They"
        " stay out of every events topic: the recruitment service forwards them to the reporting service only, for"
        " counts.",
    )


class RecordIntake(RecruitmentCommand):
    """The intake interview updates the candidate's coarse profile; fields left out stay as they are."""

    recorded_on: date = Field(description="Day of the intake interview.", examples=["2025-01-20"])
    target_profession: Profession | None = Field(
        None, description="New target profession.", examples=["nursing_professional"]
    )
    occupation: KldbCode | None = Field(
        None, description="New occupation aimed for (KldB 2010, five digits).", examples=["81302"]
    )
    country_of_training: CountryCode | None = Field(
        None, description="Country where the qualification was obtained.", examples=["PH"]
    )
    language_level: CefrLevel | None = Field(None, description="Current German level (CEFR).", examples=["B1"])
    residence: Residence | None = Field(None, description="Where the candidate lives now.", examples=["in_germany"])
    region: RegionCode | None = Field(None, description="German region (ISO 3166-2).", examples=["DE-SL"])
    district: DistrictCode | None = Field(None, description="District the participant lives in now.")

    @model_validator(mode="after")
    def _changes_something(self) -> Self:
        fields = (
            "target_profession", "occupation", "country_of_training", "language_level", "residence", "region",
            "district",
        )  # fmt: skip
        if all(getattr(self, name) is None for name in fields):
            raise ValueError(f"name at least one of {', '.join(fields)}")
        return self


class GrantConsent(RecruitmentCommand):
    """The participant consents to sharing with further kinds of recipient (signed, named scopes)."""

    scopes: SetOf[ConsentScope] = Field(
        min_length=1, description="Kinds of recipient consented to.", examples=[["jobcenter_agentur"]]
    )
    given_on: date = Field(description="Day the consent was signed.", examples=["2025-01-20"])
    form_version: ConsentFormVersion | None = Field(
        None, description="Version of the consent form shown.", examples=["consent-2026-01"]
    )
    method: ConsentMethod | None = Field(None, description="How the consent was given.", examples=["written"])


class RevokeConsent(RecruitmentCommand):
    """The participant withdraws consent for some kinds of recipient (Art. 7(3) DSGVO)."""

    scopes: SetOf[ConsentScope] = Field(
        min_length=1, description="Kinds of recipient no longer consented to.", examples=[["employer"]]
    )
    revoked_on: date = Field(description="Day the consent was withdrawn.", examples=["2025-06-02"])


class WithdrawParticipant(RecruitmentCommand):
    """The participant drops out of the programme; the reason is a coarse code, never free text. A participant
    who leaves while employed keeps the follow-ups (placement goes on asking at 6, 12, 24 and 36 months)."""

    reason: WithdrawalReason = Field(description="Coarse reason.", examples=["moved_away"])
    withdrawn_on: date = Field(description="Day the participant left.", examples=["2025-09-30"])
    dropped_out_in: JourneyStage | None = Field(None, description="The stage the participant dropped out in.")


class PauseParticipation(RecruitmentCommand):
    """The participant pauses (parental leave, illness...): legal deadlines of their own keep running, the
    programme's reminders pause until they resume."""

    reason: PauseReason = Field(description="Coarse reason.", examples=["parental_leave"])
    paused_on: date = Field(description="First day of the pause.", examples=["2025-10-01"])
    expected_return_on: date | None = Field(None, description="Expected return, if known.", examples=["2026-04-01"])

    @model_validator(mode="after")
    def _return_after_pause(self) -> Self:
        if self.expected_return_on is not None and self.expected_return_on <= self.paused_on:
            raise ValueError("expected_return_on must be after paused_on")
        return self


class ResumeParticipation(RecruitmentCommand):
    """The paused participant takes part again."""

    resumed_on: date = Field(description="Day of the return.", examples=["2026-03-16"])


class CompleteParticipation(RecruitmentCommand):
    """The participant leaves the programme with a result (the usual success: employed). Follow-ups go on."""

    result: ParticipationResult = Field(description="What the participant leaves with.")
    completed_on: date = Field(description="Day the participation ended.", examples=["2026-06-30"])


class ReactivateParticipant(RecruitmentCommand):
    """A participant who completed or dropped out comes back, under the same pseudonym."""

    reactivated_on: date = Field(description="Day of the return.", examples=["2026-09-01"])


class EraseParticipant(RecruitmentCommand):
    """Erase the participant's personal data here and everything about them in every other stage."""

    basis: ErasureBasis = Field(description="Why the data is erased.", examples=["data_subject_request"])
    requested_on: date = Field(description="Day the erasure was requested or became due.", examples=["2026-01-15"])


class RequestDataAccess(RecruitmentCommand):
    """The case's lead asks, for the participant, for a copy of everything the journey holds about them (DSGVO
    Art. 15, 20). The operators produce it (one machine-readable JSON document across every stage) and hand it to
    the lead; only the lead may ask (`not_involved` otherwise)."""

    acting_org_field: ClassVar[str | None] = "requested_by"

    requested_by: OrgId = Field(
        description="The organisation asking: the case's lead.", examples=["iq-network-example"]
    )
    requested_on: date = Field(description="Day the participant asked.", examples=["2026-03-02"])


class CorrectPersonalData(RecruitmentCommand):
    """An involved organisation corrects the participant's personal data (DSGVO Art. 16): the parts given replace
    the stored ones, the optional parts named in `cleared` are removed, the rest stays."""

    acting_org_field: ClassVar[str | None] = "corrected_by"

    corrected_by: OrgId = Field(
        description="The organisation correcting: one involved in the case.", examples=["iq-network-example"]
    )
    corrected_on: date = Field(description="Day of the correction.", examples=["2026-03-02"])
    given_name: str | None = Field(
        None, min_length=1, max_length=200, description="Corrected given name(s).", examples=["Amara"]
    )
    family_name: str | None = Field(
        None, min_length=1, max_length=200, description="Corrected family name.", examples=["Example-Beispiel"]
    )
    email: str | None = Field(
        None, pattern=r"^[^@\s]+@[^@\s]+$", description="Corrected e-mail address.", examples=["amara@example.org"]
    )
    phone: str | None = Field(
        None, max_length=40, description="Corrected phone number.", examples=[None, "+49 000 000001"]
    )
    birth_date: date | None = Field(None, description="Corrected date of birth.", examples=["1994-05-17"])
    cleared: SetOf[PersonalField] = Field(
        default_factory=frozenset,
        description="Optional parts to remove (email, phone, birth_date): held but wrong, and not replaced.",
        examples=[["phone"]],
    )

    @model_validator(mode="after")
    def _corrects_something(self) -> Self:
        given = {f for f in PersonalField if getattr(self, f.value) is not None}
        if not given and not self.cleared:
            raise ValueError(f"name at least one of {', '.join(f.value for f in PersonalField)} or cleared")
        if self.cleared & {PersonalField.GIVEN_NAME, PersonalField.FAMILY_NAME}:
            raise ValueError("the names can be corrected, not cleared")
        if self.cleared & given:
            raise ValueError("a part cannot be both corrected and cleared")
        return self


class PlaceAuditHold(RecruitmentCommand):
    """An operator holds the participant back from the retention schedule's anonymisation until a day (a funder's
    audit period, a legal claim: DSGVO Art. 17(3)(b), (e)). Placing a hold of the same reason again moves its day."""

    partners_may_send: ClassVar[bool] = False

    reason: AuditHoldReason = Field(description="Why the data must be kept.", examples=["funder_audit"])
    until: date = Field(description="Last day the hold holds.", examples=["2033-12-31"])


class ReleaseAuditHold(RecruitmentCommand):
    """An operator releases a hold before its day: the retention schedule may anonymise the participant again."""

    partners_may_send: ClassVar[bool] = False

    reason: AuditHoldReason = Field(description="The hold to release.", examples=["funder_audit"])


class ParticipantRecruited(RecruitmentEvent):
    """A candidate entered the journey. Coarse attributes only: no names, contacts or birth date."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.PARTICIPANT_RECRUITED

    target_profession: Profession = Field(description="Profession the participant aims for.")
    isco_code: str | None = Field(pattern=r"^\d{4}$", description="ISCO-08 code where known.", examples=["2221"])
    occupation: KldbCode | None = Field(
        None, description="The occupation aimed for (KldB 2010), if known.", examples=["81302"]
    )
    country_of_training: CountryCode
    language_level: CefrLevel = Field(description="German level (CEFR) at registration.", examples=["A2"])
    residence: Residence = Field(description="Where the participant lives.", examples=["abroad"])
    region: RegionCode
    referral_source: ReferralSource = Field(description="How the participant came to the programme.")
    partner_org: PartnerOrg
    consents: SetOf[ConsentScope] = Field(
        description=CONSENTS_DESCRIPTION, examples=[["employer", "language_provider", "recognition_authority"]]
    )
    partner_role: OrgRole = Field(
        OrgRole.COUNSELLING_CENTRE,
        description="Role of the registering organisation, which leads the case.",
        examples=["counselling_centre"],
    )
    district: DistrictCode | None = Field(None, description="District the participant lives in, if known.")
    eu_citizen: bool | None = Field(None, description="EU/EEA/Swiss citizen, if known.", examples=[False])
    case_reference: CaseReference | None = Field(
        None, description="The registering organisation's own reference, if it gave one."
    )
    registered_on: date | None = Field(
        None,
        description="Day the participant entered the programme (set by every current producer).",
        examples=["2026-01-12"],
    )


class IntakeRecorded(RecruitmentEvent):
    """The participant's coarse profile after an intake: every field, changed or not."""

    recorded_on: date = Field(description="Day of the intake interview.", examples=["2025-01-20"])
    target_profession: Profession = Field(description="Profession the participant aims for.")
    isco_code: str | None = Field(pattern=r"^\d{4}$", description="ISCO-08 code where known.", examples=["2221"])
    occupation: KldbCode | None = Field(
        None, description="The occupation aimed for (KldB 2010), if known.", examples=["81302"]
    )
    country_of_training: CountryCode
    language_level: CefrLevel = Field(description="Current German level (CEFR).", examples=["B1"])
    residence: Residence = Field(description="Where the participant lives.", examples=["in_germany"])
    region: RegionCode
    district: DistrictCode | None = Field(None, description="District the participant lives in, if known.")


class ConsentChanged(RecruitmentEvent):
    """The participant's consents after a grant or a revocation: partners stop sharing what is not listed."""

    consents: SetOf[ConsentScope] = Field(
        description=CONSENTS_DESCRIPTION,
        examples=[["jobcenter_agentur", "employer", "language_provider", "recognition_authority"]],
    )
    changed_on: date = Field(description="Day the consent was given or withdrawn.", examples=["2025-01-20"])
    granted: SetOf[ConsentScope] = Field(
        default_factory=frozenset, description="Scopes this change granted.", examples=[["jobcenter_agentur"]]
    )
    revoked: SetOf[ConsentScope] = Field(
        default_factory=frozenset, description="Scopes this change revoked.", examples=[[]]
    )
    form_version: ConsentFormVersion | None = Field(
        None, description="Version of the consent form shown.", examples=["consent-2026-01"]
    )
    method: ConsentMethod | None = Field(None, description="How a grant was given.", examples=["written"])


class ParticipantWithdrawn(RecruitmentEvent):
    """The participant dropped out; stages close their cases and cancel their deadlines, except placement's
    follow-ups of an ongoing employment."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.PARTICIPANT_WITHDRAWN

    reason: WithdrawalReason = Field(description="Coarse reason.", examples=["moved_away"])
    withdrawn_on: date = Field(description="Day the participant left.", examples=["2025-09-30"])
    dropped_out_in: JourneyStage | None = Field(None, description="The stage the participant dropped out in.")


class ParticipationPaused(RecruitmentEvent):
    """The participant paused; the programme's reminders about them pause too."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.PARTICIPATION_PAUSED

    reason: PauseReason = Field(description="Coarse reason.", examples=["parental_leave"])
    paused_on: date = Field(description="First day of the pause.", examples=["2025-10-01"])
    expected_return_on: date | None = Field(description="Expected return, if known.", examples=["2026-04-01"])


class ParticipationResumed(RecruitmentEvent):
    """The paused participant takes part again."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.PARTICIPATION_RESUMED

    resumed_on: date = Field(description="Day of the return.", examples=["2026-03-16"])
    paused_on: date = Field(description="First day of the pause that ended.", examples=["2025-10-01"])


class ParticipationCompleted(RecruitmentEvent):
    """The participant left the programme with a result. What is under way goes on (a pending recognition may still
    be decided), and so do placement's follow-ups; commands about the participant are still taken."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.PARTICIPATION_COMPLETED

    result: ParticipationResult = Field(description="What the participant leaves with.")
    completed_on: date = Field(description="Day the participation ended.", examples=["2026-06-30"])


class ParticipantReactivated(RecruitmentEvent):
    """A participant who completed or dropped out is back, under the same pseudonym; stages reopen what the end
    closed."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.PARTICIPANT_REACTIVATED

    reactivated_on: date = Field(description="Day of the return.", examples=["2026-09-01"])
    previous_status: ParticipantStatus = Field(description="Completed or withdrawn.", examples=["withdrawn"])


class ParticipantErased(RecruitmentEvent):
    """Personal data is gone from recruitment; every consumer must now delete what it holds on this id."""

    basis: ErasureBasis = Field(description="Why the data was erased.", examples=["data_subject_request"])
    erased_on: date = Field(description="Day the data was erased.", examples=["2026-01-15"])
    all_copies_gone_by: datetime | None = Field(
        None,
        description="When the last copy anywhere is gone: the commands and rejections topics' records (their"
        " retention and a segment roll) and the database backups (their retention), counted from the erasure. Left"
        " out by producers before issue 15.",
        examples=["2026-02-14T10:30:00Z"],
    )


class DataAccessRequested(RecruitmentEvent):
    """The case's lead asked for the participant's data (DSGVO Art. 15, 20); the operators produce the document."""

    request_id: UUID = Field(
        description="The request, as the operators' list and `DataAccessProvided` name it.",
        examples=["0d6f5a7e-8b9c-4d1e-a2f3-b4c5d6e7f809"],
    )
    requested_by: OrgId = Field(description="The organisation that asked.", examples=["iq-network-example"])
    requested_on: date = Field(description="Day the participant asked.", examples=["2026-03-02"])


class DataAccessProvided(RecruitmentEvent):
    """The operators produced the participant's data document and handed it over (to the lead that asked, or to the
    participant directly)."""

    request_id: UUID | None = Field(
        None,
        description="The request fulfilled; none when the operators were asked directly.",
        examples=["0d6f5a7e-8b9c-4d1e-a2f3-b4c5d6e7f809"],
    )
    provided_for: OrgId = Field(
        description="The organisation it was produced for, or `operator`.",
        examples=["iq-network-example"],
    )
    provided_on: date = Field(description="Day it was produced.", examples=["2026-03-04"])


class PersonalDataCorrected(RecruitmentEvent):
    """The participant's personal data was corrected (DSGVO Art. 16). Names the parts changed, never their values:
    partners holding a copy of their own correct it from their records of the case."""

    fields: SetOf[PersonalField] = Field(
        description="The parts corrected or removed.", examples=[["family_name", "phone"]]
    )
    corrected_by: OrgId = Field(description="The organisation that corrected it.", examples=["iq-network-example"])
    corrected_on: date = Field(description="Day of the correction.", examples=["2026-03-02"])


class AuditHoldPlaced(RecruitmentEvent):
    """The participant is held back from the retention schedule's anonymisation until `until` (inclusive)."""

    reason: AuditHoldReason = Field(description="Why the data must be kept.", examples=["funder_audit"])
    until: date = Field(description="Last day the hold holds.", examples=["2033-12-31"])
    placed_on: date = Field(description="Day the hold was placed (or moved).", examples=["2026-03-02"])


class AuditHoldReleased(RecruitmentEvent):
    """A hold was released before its day."""

    reason: AuditHoldReason = Field(description="The hold released.", examples=["funder_audit"])
    released_on: date = Field(description="Day it was released.", examples=["2026-06-01"])


class RetentionRunEvent(BaseMessage):
    """A fact about a run of the retention schedule: keyed by `run_id`, about no single participant."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    stage: ClassVar[Stage] = Stage.RECRUITMENT
    kind: ClassVar[Kind] = Kind.EVENT
    key_field: ClassVar[str] = "run_id"

    run_id: UUID = Field(
        description="The run; also the Kafka key and `ce_subject`.", examples=["7c9e6679-7425-40de-944b-e07fc1f90ae7"]
    )


class RetentionRunCompleted(RetentionRunEvent):
    """The retention schedule ran: participants whose participation ended before `cut_off` were anonymised (each with
    its own `ParticipantErased`, basis `retention_period_ended`) unless a hold kept them. Counts only."""

    cut_off: date = Field(description="Participations that ended before this day were due.", examples=["2021-03-02"])
    anonymised: int = Field(ge=0, description="Participants anonymised by this run.", examples=[12])
    held: int = Field(ge=0, description="Participants due but kept by an audit hold.", examples=[3])
    started_at: datetime = Field(description="When the run began.", examples=["2026-03-02T02:00:00Z"])
    finished_at: datetime = Field(description="When it ended.", examples=["2026-03-02T02:00:04Z"])


MESSAGES: tuple[type[BaseMessage], ...] = (
    RegisterCandidate,
    RecordIntake,
    GrantConsent,
    RevokeConsent,
    WithdrawParticipant,
    PauseParticipation,
    ResumeParticipation,
    CompleteParticipation,
    ReactivateParticipant,
    EraseParticipant,
    RequestDataAccess,
    CorrectPersonalData,
    PlaceAuditHold,
    ReleaseAuditHold,
    ParticipantRecruited,
    IntakeRecorded,
    ConsentChanged,
    ParticipantWithdrawn,
    ParticipationPaused,
    ParticipationResumed,
    ParticipationCompleted,
    ParticipantReactivated,
    ParticipantErased,
    DataAccessRequested,
    DataAccessProvided,
    PersonalDataCorrected,
    AuditHoldPlaced,
    AuditHoldReleased,
    RetentionRunCompleted,
)
