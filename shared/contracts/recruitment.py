"""Recruitment: registering candidates, intake and consent. Personal data appears here and only here."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.contracts.enums import CefrLevel, ConsentScope, Milestone, Profession, ReferralSource, Residence
from shared.contracts.envelope import BaseMessage, Command, Event
from shared.contracts.fields import CountryCode, KldbCode, PartnerOrg, RegionCode, SetOf
from shared.contracts.topics import Stage

CONSENTS_DESCRIPTION = "Kinds of recipient the participant consented to sharing with (DSGVO: named, not blanket)."


class WithdrawalReason(StrEnum):
    """Coarse reason a participant left the journey; never free text."""

    EMPLOYED_ELSEWHERE = "employed_elsewhere"
    MOVED_AWAY = "moved_away"
    LEFT_GERMANY = "left_germany"
    NO_LONGER_INTERESTED = "no_longer_interested"
    PERSONAL_REASONS = "personal_reasons"
    LOST_CONTACT = "lost_contact"
    OTHER = "other"


class ErasureBasis(StrEnum):
    """Why a participant's personal data is erased."""

    DATA_SUBJECT_REQUEST = "data_subject_request"  # Art. 17 DSGVO
    RETENTION_PERIOD_ENDED = "retention_period_ended"


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

    @model_validator(mode="after")
    def _changes_something(self) -> Self:
        fields = ("target_profession", "occupation", "country_of_training", "language_level", "residence", "region")
        if all(getattr(self, name) is None for name in fields):
            raise ValueError(f"name at least one of {', '.join(fields)}")
        return self


class GrantConsent(RecruitmentCommand):
    """The participant consents to sharing with further kinds of recipient (signed, named scopes)."""

    scopes: SetOf[ConsentScope] = Field(
        min_length=1, description="Kinds of recipient consented to.", examples=[["jobcenter_agentur"]]
    )
    given_on: date = Field(description="Day the consent was signed.", examples=["2025-01-20"])


class RevokeConsent(RecruitmentCommand):
    """The participant withdraws consent for some kinds of recipient (Art. 7(3) DSGVO)."""

    scopes: SetOf[ConsentScope] = Field(
        min_length=1, description="Kinds of recipient no longer consented to.", examples=[["employer"]]
    )
    revoked_on: date = Field(description="Day the consent was withdrawn.", examples=["2025-06-02"])


class WithdrawParticipant(RecruitmentCommand):
    """The participant leaves the journey; the reason is a coarse code, never free text."""

    reason: WithdrawalReason = Field(description="Coarse reason.", examples=["moved_away"])
    withdrawn_on: date = Field(description="Day the participant left.", examples=["2025-09-30"])


class EraseParticipant(RecruitmentCommand):
    """Erase the participant's personal data here and everything about them in every other stage."""

    basis: ErasureBasis = Field(description="Why the data is erased.", examples=["data_subject_request"])
    requested_on: date = Field(description="Day the erasure was requested or became due.", examples=["2026-01-15"])


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


class ConsentChanged(RecruitmentEvent):
    """The participant's consents after a grant or a revocation: partners stop sharing what is not listed."""

    consents: SetOf[ConsentScope] = Field(
        description=CONSENTS_DESCRIPTION,
        examples=[["jobcenter_agentur", "employer", "language_provider", "recognition_authority"]],
    )
    changed_on: date = Field(description="Day the consent was given or withdrawn.", examples=["2025-01-20"])


class ParticipantWithdrawn(RecruitmentEvent):
    """The participant left the journey; stages close their cases and cancel their deadlines."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.PARTICIPANT_WITHDRAWN

    reason: WithdrawalReason = Field(description="Coarse reason.", examples=["moved_away"])
    withdrawn_on: date = Field(description="Day the participant left.", examples=["2025-09-30"])


class ParticipantErased(RecruitmentEvent):
    """Personal data is gone from recruitment; every consumer must now delete what it holds on this id."""

    basis: ErasureBasis = Field(description="Why the data was erased.", examples=["data_subject_request"])
    erased_on: date = Field(description="Day the data was erased.", examples=["2026-01-15"])


MESSAGES: tuple[type[BaseMessage], ...] = (
    RegisterCandidate,
    RecordIntake,
    GrantConsent,
    RevokeConsent,
    WithdrawParticipant,
    EraseParticipant,
    ParticipantRecruited,
    IntakeRecorded,
    ConsentChanged,
    ParticipantWithdrawn,
    ParticipantErased,
)
