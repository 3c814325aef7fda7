"""The organisations: the registry, and who takes part in a participant's case in which role and leads it. Pure."""

from __future__ import annotations

from dataclasses import dataclass, replace

from services.recruitment.domain.participant import ALLOWED, Action, Involvement, Participant
from shared.contracts.organisations import (
    HandOverLead,
    InvolveOrganisation,
    LeadHandedOver,
    OrganisationInvolved,
    OrganisationRegistered,
    OrganisationReleased,
    OrgKind,
    RegisterOrganisation,
    ReleaseOrganisation,
    SizeClass,
)
from shared.contracts.placement import PlacementConfirmed
from shared.contracts.recruitment import OrgRole
from shared.decision import Decision
from shared.refusals import AlreadyExists, NotAllowed, NotPermitted, UnknownOrganisation


@dataclass(frozen=True, slots=True)
class Organisation:
    """A registered organisation: what it is, where, and its name (an organisation's, never a person's); no
    addresses or contacts."""

    org_id: str
    kind: OrgKind
    region: str
    district: str | None = None
    size_class: SizeClass | None = None
    name: str | None = None


def register_organisation(
    existing: Organisation | None, cmd: RegisterOrganisation, sender: str | None = None
) -> Decision[Organisation]:
    """Registering again updates what is known of it; the same registration again is a repeated fact. A partner
    (`sender`: a command from its own topic) may register an organisation not known yet (the employer it works with),
    but change the registration of none but its own."""
    if existing is not None and sender is not None and sender != cmd.org_id:
        raise NotPermitted(
            f"{cmd.org_id} is registered already: only {cmd.org_id} itself or the operators change its registration",
            "org_id",
        )
    organisation = Organisation(cmd.org_id, cmd.org_kind, cmd.region, cmd.district, cmd.size_class, cmd.name)
    if organisation == existing:
        raise AlreadyExists(f"organisation {cmd.org_id} is registered already, as it is", "org_id")
    registered = OrganisationRegistered(
        org_id=cmd.org_id,
        org_kind=cmd.org_kind,
        name=cmd.name,
        region=cmd.region,
        district=cmd.district,
        size_class=cmd.size_class,
    )
    return Decision(organisation, (registered,))


def involve(participant: Participant, org: Organisation | None, cmd: InvolveOrganisation) -> Decision[Participant]:
    """Only a registered organisation takes part in a case (its kind goes with the event); once per role."""
    participant.check(Action.INVOLVE)
    if org is None:
        raise UnknownOrganisation(f"no organisation {cmd.org_id} is registered", "org_id")
    if participant.involved(cmd.org_id, cmd.role):
        raise AlreadyExists(f"{cmd.org_id} takes part as {cmd.role.value} already", "role")
    involvements = _sorted((*participant.involvements, Involvement(cmd.org_id, cmd.role, cmd.involved_on)))
    involved = OrganisationInvolved(
        participant_id=participant.participant_id,
        org_id=cmd.org_id,
        role=cmd.role,
        org_kind=org.kind,
        involved_on=cmd.involved_on,
        case_reference=cmd.case_reference,
    )
    return Decision(replace(participant, involvements=involvements), (involved,))


def employer_placed(
    participant: Participant, org: Organisation | None, event: PlacementConfirmed
) -> Decision[Participant]:
    """Placement confirmed a contract: a registered employer takes part in the case as its employer from the day it
    was signed, so that it hears what the role is told (with the participant's employer consent) without anybody
    having to involve it. Another stage's fact is never refused: an employer not registered, one taking part as
    employer already, or a participant whose case takes no involvement now (dropped out, erased) changes nothing."""
    if org is None or participant.involved(event.employer_id, OrgRole.EMPLOYER):
        return Decision(participant)
    if participant.status not in ALLOWED[Action.INVOLVE]:
        return Decision(participant)
    involvement = Involvement(event.employer_id, OrgRole.EMPLOYER, event.contract_signed_on)
    involved = OrganisationInvolved(
        participant_id=participant.participant_id,
        org_id=event.employer_id,
        role=OrgRole.EMPLOYER,
        org_kind=org.kind,
        involved_on=event.contract_signed_on,
    )
    return Decision(replace(participant, involvements=_sorted((*participant.involvements, involvement))), (involved,))


def release(participant: Participant, cmd: ReleaseOrganisation) -> Decision[Participant]:
    """The lead keeps at least one role: a case always has an involved organisation leading it."""
    participant.check(Action.RELEASE)
    if not participant.involved(cmd.org_id, cmd.role):
        raise UnknownOrganisation(f"{cmd.org_id} takes no part in the case as {cmd.role.value}", "org_id")
    rest = tuple(i for i in participant.involvements if (i.org_id, i.role) != (cmd.org_id, cmd.role))
    if cmd.org_id == participant.lead and not any(i.org_id == cmd.org_id for i in rest):
        raise NotAllowed(f"{cmd.org_id} leads the case: hand the lead over first", "org_id")
    released = OrganisationReleased(
        participant_id=participant.participant_id, org_id=cmd.org_id, role=cmd.role, released_on=cmd.released_on
    )
    return Decision(replace(participant, involvements=rest), (released,))


def hand_over_lead(participant: Participant, cmd: HandOverLead) -> Decision[Participant]:
    """The lead goes to an organisation involved in the case; handing it to the lead itself is a repeated fact."""
    participant.check(Action.HAND_OVER_LEAD)
    if cmd.to_org == participant.lead:
        raise AlreadyExists(f"{cmd.to_org} leads the case already", "to_org")
    if not participant.involved(cmd.to_org):
        raise UnknownOrganisation(f"handover to an uninvolved organisation: {cmd.to_org} takes no part", "to_org")
    handed = LeadHandedOver(
        participant_id=participant.participant_id,
        from_org=participant.lead,
        to_org=cmd.to_org,
        handed_over_on=cmd.handed_over_on,
    )
    return Decision(replace(participant, lead=cmd.to_org), (handed,))


def _sorted(involvements: tuple[Involvement, ...]) -> tuple[Involvement, ...]:
    return tuple(sorted(involvements, key=lambda i: (i.org_id, i.role.value)))
