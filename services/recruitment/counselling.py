"""Counselling at the access stage: anonymous first contacts, sessions of registered participants, links. Pure."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from shared.contracts.counselling import (
    Counselling,
    CounsellingOutcome,
    CounsellingSessionHeld,
    CounsellingType,
    FirstContactLinked,
    FirstContactRecorded,
    LinkFirstContact,
    RecordCounsellingSession,
    RecordFirstContact,
    ReferralMade,
)
from shared.contracts.envelope import BaseMessage
from shared.contracts.organisations import OrgKind
from shared.decision import Decision
from shared.refusals import AlreadyExists, InvalidValue, NotAllowed, UnknownOrganisation

# Issue 12 and the contract's `counselled_org`: a registered employer is named only where an employer is counselled.
COUNSELLED_ORG_WITH: frozenset[CounsellingType] = frozenset({CounsellingType.EMPLOYER})


@dataclass(frozen=True, slots=True)
class Counselled:
    """What counselling needs to know of a registered participant: counselling is possible at every stage
    (issue 12: also after a licence, a decision or a completion), only an erased person is out of reach."""

    participant_id: UUID
    erased: bool


@dataclass(frozen=True, slots=True)
class FirstContact:
    """An anonymous first contact and, once linked, the participant it belongs to (None again after an erasure:
    the contact stays counted, but nobody can tell whose it was)."""

    contact_id: UUID
    held_on: date
    counselling_type: CounsellingType
    participant_id: UUID | None = None
    linked_on: date | None = None


@dataclass(frozen=True, slots=True)
class SessionKey:
    """What tells one counselling session apart: the same kind of counselling of one participant by one organisation
    on one day is one session (how the IQ networks count contacts); sent again under another id it changes nothing."""

    participant_id: UUID
    held_on: date
    org_id: str
    counselling_type: CounsellingType


def record_first_contact(
    existing: FirstContact | None, cmd: RecordFirstContact, counselled: OrgKind | None
) -> Decision[FirstContact]:
    """`counselled`: what the registry says `cmd.counselled_org` is (None: not registered, or none named)."""
    if existing is not None:
        raise AlreadyExists(f"first contact {cmd.contact_id} is recorded already", "contact_id")
    check_counselling(cmd)
    if cmd.counselled_org is not None:
        if cmd.counselling_type not in COUNSELLED_ORG_WITH:
            raise InvalidValue("counselled_org is given with employer counselling only", "counselled_org")
        if counselled is None:
            raise UnknownOrganisation(f"no organisation {cmd.counselled_org} is registered", "counselled_org")
        if counselled is not OrgKind.EMPLOYER:
            raise InvalidValue(
                f"{cmd.counselled_org} is registered as {counselled.value}, not as an employer", "counselled_org"
            )
    contact = FirstContact(cmd.contact_id, cmd.held_on, cmd.counselling_type)
    return Decision(contact, (FirstContactRecorded.model_validate(cmd.model_dump()),))


def record_session(
    participant: Counselled, cmd: RecordCounsellingSession, held: Collection[SessionKey]
) -> Decision[SessionKey]:
    """`held`: the participant's sessions recorded so far (those of `cmd.held_on` suffice)."""
    _reachable(participant, "record a counselling session")
    check_counselling(cmd)
    key = SessionKey(cmd.participant_id, cmd.held_on, cmd.org_id, cmd.counselling_type)
    if key in held:
        raise AlreadyExists(
            f"{cmd.counselling_type.value} counselling by {cmd.org_id} on {cmd.held_on.isoformat()} is recorded already"
        )
    events: list[BaseMessage] = [CounsellingSessionHeld.model_validate(cmd.model_dump())]
    if cmd.outcome is CounsellingOutcome.REFERRAL and cmd.referred_to is not None:
        referral = ReferralMade(
            participant_id=cmd.participant_id,
            org_id=cmd.org_id,
            referred_to=cmd.referred_to,
            referred_on=cmd.held_on,
            follow_up_on=cmd.follow_up_on,
        )
        events.append(referral)
    return Decision(key, tuple(events))


def link(participant: Counselled, contact: FirstContact | None, cmd: LinkFirstContact) -> Decision[FirstContact]:
    """The contact counts for the participant from now on; a contact belongs to one person, a person may have had
    several first contacts (at several organisations)."""
    _reachable(participant, "link a first contact")
    if contact is None:
        raise NotAllowed(f"no first contact {cmd.contact_id} is recorded in recruitment", "contact_id")
    if contact.participant_id == cmd.participant_id:
        raise AlreadyExists(f"first contact {cmd.contact_id} is linked to this participant already", "contact_id")
    if contact.linked_on is not None:
        # The other pseudonym is not named: the sender may not be entitled to learn whose contact it was.
        raise NotAllowed(f"first contact {cmd.contact_id} is linked to another participant already", "contact_id")
    if cmd.linked_on < contact.held_on:
        raise InvalidValue(f"linked_on is before the first contact ({contact.held_on.isoformat()})", "linked_on")
    linked = FirstContactLinked(
        participant_id=cmd.participant_id,
        contact_id=cmd.contact_id,
        linked_on=cmd.linked_on,
        held_on=contact.held_on,
        counselling_type=contact.counselling_type,
    )
    state = FirstContact(
        contact.contact_id, contact.held_on, contact.counselling_type, cmd.participant_id, cmd.linked_on
    )
    return Decision(state, (linked,))


def check_counselling(counselling: Counselling) -> None:
    """Rules of any counselling record beyond its schema (the schema already ties each outcome to its details and
    keeps the follow-up on or after the day held): a referral hands over to another organisation (IQ's
    Verweisberatung), so it never names the counselling organisation itself."""
    if counselling.outcome is CounsellingOutcome.REFERRAL and counselling.referred_to == counselling.org_id:
        raise InvalidValue("a referral names another organisation than org_id", "referred_to")


def _reachable(participant: Counselled, action: str) -> None:
    if participant.erased:
        raise NotAllowed(f"cannot {action}: the participant is erased")
