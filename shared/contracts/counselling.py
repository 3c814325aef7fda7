"""Counselling (recruitment stage): the IQ networks' first and largest service, counted from the first contact on.

A first contact is recorded anonymously (`RecordFirstContact`, keyed by a `contact_id` the counselling
organisation chooses) with coarse attributes only, so that it is countable without personal data; when the person
registers, the contact is linked to the participant (`LinkFirstContact`). Counselling of a registered participant
(`RecordCounsellingSession`) is possible at every stage — also after a decision or a licence — and is a milestone;
a referral to an organisation is one too.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, ClassVar, Self
from uuid import UUID

from pydantic import ConfigDict, Field, model_validator

from shared.contracts.enums import Milestone, Profession, Route
from shared.contracts.envelope import BaseMessage, Command, Event
from shared.contracts.fields import CountryCode, DistrictCode, OrgId, RegionCode
from shared.contracts.topics import Kind, Stage

EXAMPLE_CONTACT = "8a1d5e3c-2f4b-4c7a-9e6d-1b0c3a5f7d92"


class CounsellingType(StrEnum):
    """Kind of counselling (as the IQ networks count it)."""

    RECOGNITION = "recognition"  # Anerkennungsberatung
    QUALIFICATION = "qualification"  # Qualifizierungsberatung, e.g. after partial recognition
    JOB_COACHING = "job_coaching"  # accompaniment into and at work
    EMPLOYER = "employer"  # counselling of an employer who hires from abroad


class CounsellingOutcome(StrEnum):
    """What the counselling came to."""

    ROUTE_RECOMMENDED = "route_recommended"  # a route of the recognition rules (`route_recommended`)
    REFERRAL = "referral"  # to an organisation (`referred_to`)
    NO_FURTHER_NEED = "no_further_need"


ContactId = Annotated[
    UUID,
    Field(description="Id of the first contact, chosen by the counselling organisation.", examples=[EXAMPLE_CONTACT]),
]
LanguageCode = Annotated[
    str,
    Field(pattern=r"^[a-z]{2,3}$", description="Language of the counselling (ISO 639-1/-2 code).", examples=["ar"]),
]
CounsellingOrg = Annotated[OrgId, Field(description="Id of the counselling organisation.", examples=["iq-centre-x"])]


class Counselling(BaseMessage):
    """What every counselling record says: coarse attributes, never the content of the conversation."""

    acting_org_field: ClassVar[str | None] = "org_id"

    held_on: date = Field(description="Day of the counselling.", examples=["2025-01-27"])
    org_id: CounsellingOrg
    counselling_type: CounsellingType = Field(description="Kind of counselling.", examples=["recognition"])
    counselling_language: LanguageCode = Field("de", description="Language of the counselling (ISO 639 code).")
    interpreter_used: bool = Field(False, description="Whether an interpreter took part.", examples=[False])
    outcome: CounsellingOutcome = Field(description="What it came to.", examples=["route_recommended"])
    route_recommended: Route | None = Field(None, description="With `route_recommended`.", examples=["nurse"])
    referred_to: OrgId | None = Field(None, description="With `referral`: the organisation.", examples=[None])
    follow_up_on: date | None = Field(None, description="Day of the next contact, if agreed.", examples=[None])

    @model_validator(mode="after")
    def _outcome_names_its_details(self) -> Self:
        if (self.outcome is CounsellingOutcome.ROUTE_RECOMMENDED) != (self.route_recommended is not None):
            raise ValueError("route_recommended is given with outcome route_recommended and only with it")
        if (self.outcome is CounsellingOutcome.REFERRAL) != (self.referred_to is not None):
            raise ValueError("referred_to is given with outcome referral and only with it")
        if self.follow_up_on is not None and self.follow_up_on < self.held_on:
            raise ValueError("follow_up_on must not be before held_on")
        return self


class FirstContactMessage(Counselling):
    """A first contact: keyed by `contact_id`, about nobody registered."""

    stage: ClassVar[Stage] = Stage.RECRUITMENT
    key_field: ClassVar[str] = "contact_id"

    contact_id: ContactId
    region: RegionCode
    district: DistrictCode | None = Field(None, description="District of the person's residence, if in Germany.")
    profession: Profession | None = Field(None, description="Profession group, if known.", examples=["doctor"])
    country_of_training: CountryCode | None = Field(None, description="Country of training, if known.")
    counselled_org: OrgId | None = Field(
        None, description="With `employer` counselling: the employer counselled (registered).", examples=[None]
    )


class RecordFirstContact(FirstContactMessage):
    """An anonymous first counselling contact: countable without personal data."""

    kind: ClassVar[Kind] = Kind.COMMAND


class FirstContactRecorded(FirstContactMessage):
    """An anonymous first counselling contact was recorded."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    kind: ClassVar[Kind] = Kind.EVENT


class RecordCounsellingSession(Counselling, Command):
    """Counselling of a registered participant, at any stage (also after a decision or a licence)."""

    stage: ClassVar[Stage] = Stage.RECRUITMENT


class LinkFirstContact(Command):
    """The person of an anonymous first contact registered: the contact counts for the participant from now on."""

    stage: ClassVar[Stage] = Stage.RECRUITMENT

    contact_id: ContactId
    linked_on: date = Field(description="Day of the link.", examples=["2025-02-03"])


class CounsellingSessionHeld(Counselling, Event):
    """A participant was counselled."""

    stage: ClassVar[Stage] = Stage.RECRUITMENT
    marks_milestone: ClassVar[Milestone | None] = Milestone.COUNSELLING_HELD


class ReferralMade(Event):
    """The counselling referred the participant to an organisation."""

    stage: ClassVar[Stage] = Stage.RECRUITMENT
    marks_milestone: ClassVar[Milestone | None] = Milestone.REFERRAL_MADE

    org_id: CounsellingOrg
    referred_to: OrgId = Field(description="The organisation referred to.", examples=["language-school-x"])
    referred_on: date = Field(description="Day of the counselling.", examples=["2025-01-27"])
    follow_up_on: date | None = Field(description="Day of the next contact, if agreed.", examples=["2025-03-03"])


class FirstContactLinked(Event):
    """An anonymous first contact belongs to this participant from now on."""

    stage: ClassVar[Stage] = Stage.RECRUITMENT

    contact_id: ContactId
    linked_on: date = Field(description="Day of the link.", examples=["2025-02-03"])
    held_on: date = Field(description="Day of the first contact.", examples=["2025-01-27"])
    counselling_type: CounsellingType = Field(description="Kind of counselling.", examples=["recognition"])


MESSAGES: tuple[type[BaseMessage], ...] = (
    RecordFirstContact,
    RecordCounsellingSession,
    LinkFirstContact,
    FirstContactRecorded,
    CounsellingSessionHeld,
    ReferralMade,
    FirstContactLinked,
)
