"""Notifications: the directory of who is mailed about which milestones, opt-outs, and an audit of every mail.

Directory messages are about a recipient, not a participant: they are keyed by `recipient_id`.
E-mail addresses and display names travel in directory commands only, never in events.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, ClassVar, Self

from pydantic import ConfigDict, Field, model_validator

from shared.contracts.enums import ConsentScope, Milestone
from shared.contracts.envelope import BaseMessage, Command, Event
from shared.contracts.fields import CeId, CeType, OrgId, RegionCode, SetOf
from shared.contracts.topics import Kind, Stage


class RecipientKind(StrEnum):
    """Who a recipient is."""

    COORDINATOR = "coordinator"  # regional network coordination, project case management
    PARTNER_ORGANISATION = "partner_organisation"  # mailed only about cases it is involved in, as its roles allow


class MailLanguage(StrEnum):
    """Language of the e-mails a recipient gets."""

    DE = "de"
    EN = "en"


class Delivery(StrEnum):
    """How a recipient gets a milestone: by itself at once, collected in a digest, or not at all."""

    IMMEDIATE = "immediate"
    DAILY_DIGEST = "daily_digest"  # one mail a day (Europe/Berlin), for the day before
    WEEKLY_DIGEST = "weekly_digest"  # one mail on Mondays, for the week (Monday to Sunday) before
    NONE = "none"


class DigestPeriod(StrEnum):
    """The period a digest covers."""

    DAY = "day"
    WEEK = "week"


URGENT_MILESTONES: frozenset[Milestone] = frozenset(
    {
        Milestone.DECISION_OVERDUE,
        Milestone.DOCUMENTS_OVERDUE,
        Milestone.RETENTION_CHECK_OVERDUE,
        Milestone.EMPLOYMENT_PERMIT_EXPIRED,
        Milestone.EMPLOYMENT_END_NOTICE_DUE,
        Milestone.EXAM_FINALLY_FAILED,
        Milestone.LICENCE_EXPIRING,
        Milestone.LICENCE_EXPIRED,
    }
)
"""Overdue deadlines and final failures: what a coordinator hears of at once by default."""


def default_delivery(kind: RecipientKind, milestone: Milestone) -> Delivery:
    """How a milestone reaches a recipient that chose nothing for it: a coordinator in the weekly digest, at once
    for overdue deadlines and final failures; a partner organisation at once."""
    if kind is RecipientKind.COORDINATOR and milestone not in URGENT_MILESTONES:
        return Delivery.WEEKLY_DIGEST
    return Delivery.IMMEDIATE


class SuppressionReason(StrEnum):
    """Why a recipient was deliberately not mailed about a milestone."""

    OPTED_OUT = "opted_out"  # the participant objected to notifications about them
    NO_CONSENT = "no_consent"  # the participant did not consent to this kind of recipient
    NOT_OWN_PARTICIPANT = "not_own_participant"
    MILESTONE_NOT_SUBSCRIBED = "milestone_not_subscribed"
    REGION_NOT_COVERED = "region_not_covered"
    PARTICIPANT_ERASED = "participant_erased"
    NOT_INVOLVED = "not_involved"  # the organisation takes no part in the participant's case
    NOT_FOR_ROLE = "not_for_role"  # the organisation's role in the case is not told this milestone
    PARTICIPANT_PAUSED = "participant_paused"  # a programme reminder while the participant pauses


class DeliveryFailure(StrEnum):
    """Why a mail could not be delivered."""

    ADDRESS_REJECTED = "address_rejected"  # permanent: the mail server refused the recipient
    MESSAGE_REJECTED = "message_rejected"
    SERVER_UNAVAILABLE = "server_unavailable"
    RETRIES_EXHAUSTED = "retries_exhausted"


RecipientId = Annotated[
    OrgId, Field(description="Id of the recipient, chosen by whoever registers it.", examples=["coordination-de-sl"])
]
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
REGIONS = "Regions the recipient hears about (ISO 3166-2); empty for every region."
MILESTONES = "Milestones the recipient is mailed about."
DELIVERY = (
    "How each milestone reaches the recipient (`immediate`, `daily_digest`, `weekly_digest`, `none`). A milestone"
    " named in `milestones` but not here gets `default_delivery`, or when that is left out the default of the"
    " recipient's kind: coordinators the weekly digest, at once for overdue deadlines and final failures"
    " (decision, documents and retention check overdue, licence expiring or expired, permit expired, end notice due,"
    " exam finally failed);"
    " partner organisations at once."
)


class DirectoryMessage(BaseMessage):
    """A message about a recipient of notifications: keyed by `recipient_id`, not by a participant."""

    stage: ClassVar[Stage] = Stage.NOTIFICATIONS
    key_field: ClassVar[str] = "recipient_id"

    recipient_id: RecipientId


class DirectoryCommand(DirectoryMessage):
    kind: ClassVar[Kind] = Kind.COMMAND
    partners_may_send: ClassVar[bool] = False  # the network's operators keep the directory of mailboxes


class DirectoryEvent(DirectoryMessage):
    model_config = ConfigDict(frozen=True, extra="ignore")
    kind: ClassVar[Kind] = Kind.EVENT


class NotificationsCommand(Command):
    stage: ClassVar[Stage] = Stage.NOTIFICATIONS


class NotificationsEvent(Event):
    stage: ClassVar[Stage] = Stage.NOTIFICATIONS


class RegisterRecipient(DirectoryCommand):
    """Add a coordinator or partner organisation to the directory."""

    recipient_kind: RecipientKind = Field(description="Coordinator or partner organisation.")
    email: str = Field(
        max_length=254, pattern=EMAIL_PATTERN, description="Where mails go.", examples=["coordination@example.org"]
    )
    display_name: str = Field(
        min_length=1, max_length=200, description="Salutation in mails.", examples=["Coordination Desk Example"]
    )
    partner_org: OrgId | None = Field(
        None, description="The partner organisation's id; required for partner organisations.", examples=[None]
    )
    consent_scope: ConsentScope | None = Field(
        None,
        description="One more consent the participant must have given for this recipient to be mailed, on top of"
        " what the organisation's roles in the participant's case need (`told` in the organisations contract).",
        examples=[None],
    )
    regions: SetOf[RegionCode] = Field(default_factory=frozenset, description=REGIONS, examples=[["DE-SL"]])
    milestones: SetOf[Milestone] = Field(
        min_length=1, description=MILESTONES, examples=[["participant_recruited", "recognition_decided"]]
    )
    language: MailLanguage = Field(MailLanguage.DE, description="Language of the mails.", examples=["de"])
    delivery: dict[Milestone, Delivery] = Field(
        default_factory=dict, description=DELIVERY, examples=[{"recognition_decided": "immediate"}]
    )
    default_delivery: Delivery | None = Field(
        None, description="Delivery of the milestones `delivery` does not name.", examples=["weekly_digest"]
    )

    @model_validator(mode="after")
    def _partner_names_its_organisation(self) -> Self:
        if (self.recipient_kind is RecipientKind.PARTNER_ORGANISATION) != (self.partner_org is not None):
            raise ValueError("partner_org is required for partner organisations and only for them")
        return self


class UpdateRecipient(DirectoryCommand):
    """Change a recipient's address, name, regions, milestones or language; fields left out stay as they are."""

    email: str | None = Field(
        None, max_length=254, pattern=EMAIL_PATTERN, description="Where mails go.", examples=["desk@example.org"]
    )
    display_name: str | None = Field(
        None, min_length=1, max_length=200, description="Salutation in mails.", examples=["Coordination Example"]
    )
    regions: SetOf[RegionCode] | None = Field(None, description=REGIONS, examples=[["DE-SL", "DE-RP"]])
    milestones: SetOf[Milestone] | None = Field(
        None, min_length=1, description=MILESTONES, examples=[["participant_recruited", "employment_ended"]]
    )
    language: MailLanguage | None = Field(None, description="Language of the mails.", examples=["en"])
    delivery: dict[Milestone, Delivery] | None = Field(
        None,
        description=DELIVERY + " Replaces the whole choice when given.",
        examples=[{"decision_overdue": "immediate"}],
    )
    default_delivery: Delivery | None = Field(
        None, description="Delivery of the milestones `delivery` does not name.", examples=["daily_digest"]
    )

    @model_validator(mode="after")
    def _changes_something(self) -> Self:
        fields = ("email", "display_name", "regions", "milestones", "language", "delivery", "default_delivery")
        if all(getattr(self, name) is None for name in fields):
            raise ValueError(f"name at least one of {', '.join(fields)}")
        return self


class RemoveRecipient(DirectoryCommand):
    """Remove a recipient from the directory; nothing more is mailed to it."""


class OptOutParticipant(NotificationsCommand):
    """The participant objects to notifications about them: nobody is mailed about them any more."""

    opted_out_on: date = Field(description="Day of the objection.", examples=["2025-04-01"])


class OptInParticipant(NotificationsCommand):
    """The participant withdraws their objection: milestones are mailed again from now on."""

    opted_in_on: date = Field(description="Day the objection was withdrawn.", examples=["2025-05-01"])


class RecipientRegistered(DirectoryEvent):
    """A recipient joined the directory (its address and name stay in the notifications service)."""

    recipient_kind: RecipientKind = Field(description="Coordinator or partner organisation.")
    partner_org: OrgId | None = Field(description="The partner organisation's id, if one.", examples=[None])
    consent_scope: ConsentScope | None = Field(description="Consent the recipient needs, if any.", examples=[None])
    regions: SetOf[RegionCode] = Field(description=REGIONS, examples=[["DE-SL"]])
    milestones: SetOf[Milestone] = Field(
        description=MILESTONES, examples=[["participant_recruited", "recognition_decided"]]
    )
    language: MailLanguage = Field(description="Language of the mails.", examples=["de"])
    delivery: dict[Milestone, Delivery] = Field(
        default_factory=dict,
        description="How each milestone reaches the recipient, as chosen (see `RegisterRecipient.delivery`).",
        examples=[{"recognition_decided": "immediate"}],
    )
    default_delivery: Delivery | None = Field(
        None, description="Delivery of the milestones `delivery` does not name.", examples=["weekly_digest"]
    )


class RecipientUpdated(DirectoryEvent):
    """A recipient's subscription after a change (address changes are not shown)."""

    regions: SetOf[RegionCode] = Field(description=REGIONS, examples=[["DE-RP", "DE-SL"]])
    milestones: SetOf[Milestone] = Field(
        description=MILESTONES, examples=[["employment_ended", "participant_recruited"]]
    )
    language: MailLanguage = Field(description="Language of the mails.", examples=["en"])
    delivery: dict[Milestone, Delivery] = Field(
        default_factory=dict,
        description="How each milestone reaches the recipient, as chosen (see `RegisterRecipient.delivery`).",
        examples=[{"recognition_decided": "immediate"}],
    )
    default_delivery: Delivery | None = Field(
        None, description="Delivery of the milestones `delivery` does not name.", examples=["weekly_digest"]
    )


class RecipientRemoved(DirectoryEvent):
    """A recipient left the directory."""


class ParticipantOptedOut(NotificationsEvent):
    """Nobody is mailed about this participant any more."""

    opted_out_on: date = Field(description="Day of the objection.", examples=["2025-04-01"])


class ParticipantOptedIn(NotificationsEvent):
    """Milestones about this participant are mailed again."""

    opted_in_on: date = Field(description="Day the objection was withdrawn.", examples=["2025-05-01"])


class NotificationSent(NotificationsEvent):
    """Audit: a recipient was mailed about a participant's milestone."""

    recipient_id: RecipientId
    milestone: Milestone = Field(description="Milestone mailed about.", examples=["recognition_decided"])
    caused_by_id: CeId = Field(description="`ce_id` of the event that reached the milestone.")
    caused_by_type: CeType = Field(description="`ce_type` of that event.")
    sent_at: datetime = Field(description="When the mail server accepted the mail.", examples=["2025-05-28T09:15:02Z"])


class NotificationFailed(NotificationsEvent):
    """Audit: a mail about a milestone could not be delivered."""

    recipient_id: RecipientId
    milestone: Milestone = Field(description="Milestone mailed about.", examples=["recognition_decided"])
    caused_by_id: CeId = Field(description="`ce_id` of the event that reached the milestone.")
    caused_by_type: CeType = Field(description="`ce_type` of that event.")
    failure: DeliveryFailure = Field(description="What went wrong.", examples=["retries_exhausted"])
    attempts: int = Field(ge=1, description="Delivery attempts made.", examples=[5])


class NotificationSuppressed(NotificationsEvent):
    """Audit: a milestone was deliberately not mailed to a recipient (or to anyone)."""

    recipient_id: RecipientId | None = Field(
        description="The recipient not mailed; null when nobody was (e.g. `opted_out`).", examples=[None]
    )
    milestone: Milestone = Field(description="Milestone not mailed about.", examples=["recognition_decided"])
    caused_by_id: CeId = Field(description="`ce_id` of the event that reached the milestone.")
    caused_by_type: CeType = Field(description="`ce_type` of that event.")
    reason: SuppressionReason = Field(description="Why no mail was sent.", examples=["opted_out"])


class DigestSent(DirectoryEvent):
    """Audit: a recipient's digest for a period was accepted by the mail server (once per recipient and period)."""

    period: DigestPeriod = Field(description="Day or week.", examples=["week"])
    period_start: date = Field(description="First day of the period (a Monday for weeks).", examples=["2026-11-23"])
    milestones: int = Field(ge=0, description="Milestones it lists.", examples=[14])
    participants: int = Field(ge=0, description="Participants they are about.", examples=[6])
    sent_at: datetime = Field(description="When the mail server accepted the mail.", examples=["2026-11-30T06:00:04Z"])


MESSAGES: tuple[type[BaseMessage], ...] = (
    RegisterRecipient,
    UpdateRecipient,
    RemoveRecipient,
    OptOutParticipant,
    OptInParticipant,
    RecipientRegistered,
    RecipientUpdated,
    RecipientRemoved,
    ParticipantOptedOut,
    ParticipantOptedIn,
    NotificationSent,
    NotificationFailed,
    NotificationSuppressed,
    DigestSent,
)
