"""The directory of recipients: who may be mailed, and what registering, updating and removing one decides. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from shared.contracts.enums import ConsentScope, Milestone
from shared.contracts.notifications import (
    Delivery,
    MailLanguage,
    RecipientKind,
    RecipientRegistered,
    RecipientRemoved,
    RecipientUpdated,
    RegisterRecipient,
    RemoveRecipient,
    UpdateRecipient,
    default_delivery,
)
from shared.decision import Decision
from shared.refusals import AlreadyExists, UnknownRecipient

# What `UpdateRecipient` may change: how and about what a recipient is mailed, never who it is.
UPDATABLE = frozenset({"email", "display_name", "regions", "milestones", "language", "delivery", "default_delivery"})


@dataclass(frozen=True, slots=True)
class Recipient:
    """A coordinator or partner organisation in the directory."""

    recipient_id: str
    kind: RecipientKind
    email: str
    display_name: str
    language: MailLanguage = MailLanguage.DE
    regions: frozenset[str] = frozenset()  # empty: every region
    milestones: frozenset[Milestone] = frozenset()  # empty: every milestone
    partner_org: str | None = None
    consent_scope: ConsentScope | None = None
    delivery: Mapping[Milestone, Delivery] = field(default_factory=dict)  # the choice per milestone
    default_delivery: Delivery | None = None  # for the milestones `delivery` does not name

    def delivery_of(self, milestone: Milestone) -> Delivery:
        """How `milestone` reaches the recipient: its choice for the milestone, else its own default, else the
        default of its kind (coordinators: weekly digest but for what is urgent; partners: at once)."""
        chosen = self.delivery.get(milestone)
        if chosen is not None:
            return chosen
        if self.default_delivery is not None:
            return self.default_delivery
        return default_delivery(self.kind, milestone)


class DirectoryChange(StrEnum):
    NONE = "none"
    REGISTER = "register"  # new, or who it is changed (kind, organisation, consent needed)
    UPDATE = "update"  # address, name or subscription changed


def change_of(existing: Recipient | None, wanted: Recipient) -> DirectoryChange:
    """What applying `wanted` (e.g. from the directory file) does to the directory."""
    if existing is None:
        return DirectoryChange.REGISTER
    if existing == wanted:
        return DirectoryChange.NONE
    identity = ("kind", "partner_org", "consent_scope")
    if any(getattr(existing, name) != getattr(wanted, name) for name in identity):
        return DirectoryChange.REGISTER
    return DirectoryChange.UPDATE


def updated(recipient: Recipient, changes: dict[str, Any]) -> Recipient:
    """`recipient` with the changes that are not None."""
    return replace(recipient, **{name: value for name, value in changes.items() if value is not None})


def recipient_from(cmd: RegisterRecipient) -> Recipient:
    return Recipient(
        recipient_id=cmd.recipient_id,
        kind=cmd.recipient_kind,
        email=cmd.email,
        display_name=cmd.display_name,
        language=cmd.language,
        regions=cmd.regions,
        milestones=cmd.milestones,
        partner_org=cmd.partner_org,
        consent_scope=cmd.consent_scope,
        delivery=dict(cmd.delivery),
        default_delivery=cmd.default_delivery,
    )


def apply_recipient(existing: Recipient | None, wanted: Recipient) -> Decision[Recipient]:
    """The directory holds `wanted`; announced as registered (new, or someone else now), updated, or not at all."""
    change = change_of(existing, wanted)
    if change is DirectoryChange.REGISTER:
        registered = RecipientRegistered(
            recipient_id=wanted.recipient_id,
            recipient_kind=wanted.kind,
            partner_org=wanted.partner_org,
            consent_scope=wanted.consent_scope,
            regions=wanted.regions,
            milestones=wanted.milestones,
            language=wanted.language,
            delivery=dict(wanted.delivery),
            default_delivery=wanted.default_delivery,
        )
        return Decision(wanted, (registered,))
    if change is DirectoryChange.UPDATE:
        changed = RecipientUpdated(
            recipient_id=wanted.recipient_id,
            regions=wanted.regions,
            milestones=wanted.milestones,
            language=wanted.language,
            delivery=dict(wanted.delivery),
            default_delivery=wanted.default_delivery,
        )
        return Decision(wanted, (changed,))
    return Decision(wanted)


def register_recipient(existing: Recipient | None, cmd: RegisterRecipient) -> Decision[Recipient]:
    """A new recipient; one with this id is refused (`UpdateRecipient` changes it)."""
    if existing is not None:
        raise AlreadyExists(f"recipient {cmd.recipient_id} is in the directory already")
    return apply_recipient(None, recipient_from(cmd))


def update_recipient(existing: Recipient | None, cmd: UpdateRecipient) -> Decision[Recipient]:
    """The fields the command names change; the others stay."""
    recipient = _known(existing, cmd.recipient_id)
    return apply_recipient(recipient, updated(recipient, cmd.model_dump(include=set(UPDATABLE))))


def remove_recipient(existing: Recipient | None, cmd: RemoveRecipient) -> Decision[None]:
    """The recipient leaves the directory (and gets no more mail, not even one queued before)."""
    _known(existing, cmd.recipient_id)
    return Decision(None, (RecipientRemoved(recipient_id=cmd.recipient_id),))


def _known(existing: Recipient | None, recipient_id: str) -> Recipient:
    if existing is None:
        raise UnknownRecipient(f"no recipient {recipient_id} in the directory")
    return existing
