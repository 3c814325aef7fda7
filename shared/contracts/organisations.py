"""The organisations around a participant (recruitment stage): who they are, which role each plays in a case,
who leads it, and what each role is told with which consent.

An organisation is registered once (`RegisterOrganisation`, keyed by `org_id`); a case involves it in a role
(`InvolveOrganisation`), releases it, and hands the lead over. The notifications service mails an organisation's
mailbox (a directory recipient with its `partner_org`) only while the organisation is involved, only about the
milestones its role is told about, and only with the consent that role needs (`ROLES`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import ConfigDict, Field

from shared.contracts.enums import ConsentScope, Milestone
from shared.contracts.envelope import BaseMessage, Command, Event
from shared.contracts.fields import PLAIN_NAME, CaseReference, DistrictCode, OrgId, RegionCode
from shared.contracts.recruitment import OrgRole
from shared.contracts.topics import Kind, Stage

OrganisationId = Annotated[
    OrgId,
    Field(description="Id of the organisation (a short code, never a name or address).", examples=["care-home-x"]),
]


class OrgKind(StrEnum):
    """What an organisation is."""

    COUNSELLING_CENTRE = "counselling_centre"  # e.g. an IQ counselling centre, a welfare organisation's service
    LANGUAGE_SCHOOL = "language_school"
    TRAINING_PROVIDER = "training_provider"  # adaptation courses, exam preparation, nursing schools
    EMPLOYER = "employer"
    JOBCENTER = "jobcenter"  # Jobcenter or Agentur für Arbeit
    AUTHORITY = "authority"  # a competent recognition authority or chamber
    RECRUITING_PARTNER = "recruiting_partner"
    OTHER = "other"


class SizeClass(StrEnum):
    """Employer size by employees (EU definition)."""

    MICRO = "micro"  # fewer than 10
    SMALL = "small"  # fewer than 50
    MEDIUM = "medium"  # fewer than 250
    LARGE = "large"


class OrganisationMessage(BaseMessage):
    """A message about an organisation: keyed by `org_id`, not by a participant."""

    stage: ClassVar[Stage] = Stage.RECRUITMENT
    key_field: ClassVar[str] = "org_id"

    org_id: OrganisationId


class OrganisationCommand(OrganisationMessage):
    kind: ClassVar[Kind] = Kind.COMMAND


class OrganisationEvent(OrganisationMessage):
    model_config = ConfigDict(frozen=True, extra="ignore")
    kind: ClassVar[Kind] = Kind.EVENT


class RegisterOrganisation(OrganisationCommand):
    """Register an organisation, or change what is known of it (registering again with another kind, region or
    size class updates it)."""

    org_kind: OrgKind = Field(description="What the organisation is.", examples=["employer"])
    name: str | None = Field(
        None,
        min_length=1,
        max_length=120,
        pattern=PLAIN_NAME,
        description="Its name as mails and the coordinator page show it (an organisation's name, never a person's).",
        examples=["Pflegeheim Beispiel gGmbH"],
    )
    region: RegionCode
    district: DistrictCode | None = Field(None, description="District of its seat, if known.")
    size_class: SizeClass | None = Field(None, description="For employers: size by employees.", examples=["medium"])


class OrganisationRegistered(OrganisationEvent):
    """An organisation is registered (or what is known of it changed)."""

    org_kind: OrgKind = Field(description="What the organisation is.", examples=["employer"])
    name: str | None = Field(
        None, pattern=PLAIN_NAME, description="Its name, if given.", examples=["Pflegeheim Beispiel gGmbH"]
    )
    region: RegionCode
    district: DistrictCode | None = Field(description="District of its seat, if known.")
    size_class: SizeClass | None = Field(description="For employers: size by employees.", examples=["medium"])


class CaseCommand(Command):
    stage: ClassVar[Stage] = Stage.RECRUITMENT


class CaseEvent(Event):
    stage: ClassVar[Stage] = Stage.RECRUITMENT


class InvolveOrganisation(CaseCommand):
    """A registered organisation takes part in the participant's case in a role (an organisation may hold several
    roles)."""

    org_id: OrganisationId
    role: OrgRole = Field(description="Its part in this case.", examples=["employer"])
    involved_on: date = Field(description="Day it began.", examples=["2025-11-03"])
    case_reference: CaseReference | None = Field(None, description="The organisation's own reference for the case.")


class ReleaseOrganisation(CaseCommand):
    """The organisation no longer plays this role in the case. The lead cannot be released: hand it over first."""

    org_id: OrganisationId
    role: OrgRole = Field(description="The role it no longer plays.", examples=["measure_provider"])
    released_on: date = Field(description="Day it ended.", examples=["2026-02-27"])


class HandOverLead(CaseCommand):
    """Another involved organisation leads the case from now on (the one that registered the participant, or the
    last to take the lead, hands it over)."""

    to_org: OrganisationId
    handed_over_on: date = Field(description="Day of the handover.", examples=["2026-01-05"])


class OrganisationInvolved(CaseEvent):
    """An organisation takes part in the participant's case in a role."""

    org_id: OrganisationId
    role: OrgRole = Field(description="Its part in this case.", examples=["employer"])
    org_kind: OrgKind = Field(description="What the organisation is.", examples=["employer"])
    involved_on: date = Field(description="Day it began.", examples=["2025-11-03"])
    case_reference: CaseReference | None = Field(
        None, description="The organisation's own reference for the case, if it gave one."
    )


class OrganisationReleased(CaseEvent):
    """The organisation no longer plays this role in the case."""

    org_id: OrganisationId
    role: OrgRole = Field(description="The role it no longer plays.", examples=["measure_provider"])
    released_on: date = Field(description="Day it ended.", examples=["2026-02-27"])


class LeadHandedOver(CaseEvent):
    """Another organisation leads the participant's case from now on."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.LEAD_HANDED_OVER

    from_org: OrganisationId
    to_org: OrganisationId
    handed_over_on: date = Field(description="Day of the handover.", examples=["2026-01-05"])


@dataclass(frozen=True, slots=True)
class RoleRule:
    """What an organisation in a role is told: the milestones, and the consent that needs (None: the role's purpose
    is the counselling relationship itself, which the participant entered by registering)."""

    consent: ConsentScope | None
    milestones: frozenset[Milestone]
    purpose: str


MS = Milestone
_LIFE = frozenset(
    {MS.PARTICIPATION_PAUSED, MS.PARTICIPATION_RESUMED, MS.PARTICIPATION_COMPLETED, MS.PARTICIPANT_REACTIVATED,
     MS.PARTICIPANT_WITHDRAWN}
)  # fmt: skip
_QUALIFICATION = frozenset(
    {MS.LANGUAGE_TARGET_REACHED, MS.EXAM_FAILED, MS.EXAM_FINALLY_FAILED, MS.QUALIFICATION_COMPLETED}
)
_EMPLOYMENT = frozenset(
    {MS.PLACEMENT_CONFIRMED, MS.EMPLOYMENT_STARTED, MS.RETENTION_CHECK_RECORDED, MS.RETENTION_CHECK_OVERDUE,
     MS.EMPLOYMENT_PERMIT_EXPIRED, MS.EMPLOYMENT_ENDED, MS.EMPLOYMENT_END_NOTICE_DUE}
)  # fmt: skip
_LICENCE = frozenset({MS.RECOGNITION_DECIDED, MS.LICENCE_GRANTED, MS.LICENCE_EXPIRING, MS.LICENCE_EXPIRED})

# The lead is told every milestone of its case whatever its role (it is the organisation the participant entered the
# programme with, or handed over to). Coordinators of the participant's region are told every milestone they
# subscribe to, for network coordination: a purpose the participant is told about at registration.
ROLES: Mapping[OrgRole, RoleRule] = {
    OrgRole.COUNSELLING_CENTRE: RoleRule(
        None,
        frozenset(Milestone) - {MS.EMPLOYMENT_END_NOTICE_DUE},
        "counselling and accompanying the participant through the journey",
    ),
    OrgRole.MEASURE_PROVIDER: RoleRule(
        ConsentScope.LANGUAGE_PROVIDER,
        _QUALIFICATION | _LIFE | {MS.RECOGNITION_DECIDED, MS.REFERRAL_MADE},
        "planning and running the language courses and measures the participant needs",
    ),
    OrgRole.EMPLOYER: RoleRule(
        ConsentScope.EMPLOYER,
        _EMPLOYMENT | _LICENCE | _LIFE | {MS.QUALIFICATION_COMPLETED},
        "employing the participant: when they may work as what, and the employer's duties",
    ),
    OrgRole.JOBCENTER: RoleRule(
        ConsentScope.JOBCENTER_AGENTUR,
        _EMPLOYMENT | _LIFE | {MS.RECOGNITION_DECIDED, MS.QUALIFICATION_COMPLETED, MS.REFERRAL_MADE},
        "placement into work and the benefits that depend on it",
    ),
    OrgRole.AUTHORITY: RoleRule(
        ConsentScope.RECOGNITION_AUTHORITY,
        frozenset({MS.EXAM_FINALLY_FAILED, MS.QUALIFICATION_COMPLETED, MS.PARTICIPANT_WITHDRAWN}),
        "deciding on the recognition and the licence",
    ),
    OrgRole.RECRUITER: RoleRule(
        ConsentScope.EMPLOYER,
        frozenset({MS.PARTICIPANT_RECRUITED, MS.PLACEMENT_CONFIRMED, MS.EMPLOYMENT_STARTED}) | _LIFE,
        "recruiting the participant for an employer",
    ),
}


def told(role: OrgRole, lead: bool, milestone: Milestone, consents: frozenset[ConsentScope]) -> bool:
    """Whether an organisation in `role` (leading the case or not) is told about `milestone` with these consents."""
    rule = ROLES[role]
    if lead:
        return True
    return milestone in rule.milestones and (rule.consent is None or rule.consent in consents)


MESSAGES: tuple[type[BaseMessage], ...] = (
    RegisterOrganisation,
    InvolveOrganisation,
    ReleaseOrganisation,
    HandOverLead,
    OrganisationRegistered,
    OrganisationInvolved,
    OrganisationReleased,
    LeadHandedOver,
)
