"""Who is mailed about which milestone, opt-outs, directory changes and the retry rule. Pure."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from enum import StrEnum
from typing import Any

from shared.contracts.enums import ConsentScope, Milestone
from shared.contracts.notifications import DeliveryFailure, MailLanguage, RecipientKind, SuppressionReason

# Decisions worth an audit event: someone was deliberately left out although subscribed. Not covering a region,
# not subscribing to a milestone or not being the participant's organisation is routine and stays silent.
RECORDED = frozenset({SuppressionReason.OPTED_OUT, SuppressionReason.NO_CONSENT, SuppressionReason.PARTICIPANT_ERASED})


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


@dataclass(frozen=True, slots=True)
class ParticipantCopy:
    """What routing knows about a participant, from recruitment's events and the opt-out commands."""

    recruited: bool = False
    region: str | None = None
    partner_org: str | None = None
    consents: frozenset[ConsentScope] = frozenset()
    opted_out: bool = False
    erased: bool = False


@dataclass(frozen=True, slots=True)
class Suppression:
    recipient_id: str | None  # None: nobody was mailed
    reason: SuppressionReason


@dataclass(frozen=True, slots=True)
class Routing:
    """Recipients to mail, suppressions to record; `parked` until the participant is known."""

    mail: tuple[str, ...] = ()
    suppressed: tuple[Suppression, ...] = ()
    parked: bool = False


def reason_not_to_mail(
    milestone: Milestone, participant: ParticipantCopy, recipient: Recipient
) -> SuppressionReason | None:
    """Why `recipient` gets no mail about this milestone of a known participant; None when it does."""
    if recipient.kind is RecipientKind.PARTNER_ORGANISATION and participant.partner_org != recipient.partner_org:
        return SuppressionReason.NOT_OWN_PARTICIPANT
    if recipient.regions and participant.region not in recipient.regions:
        return SuppressionReason.REGION_NOT_COVERED
    if recipient.milestones and milestone not in recipient.milestones:
        return SuppressionReason.MILESTONE_NOT_SUBSCRIBED
    if recipient.consent_scope is not None and recipient.consent_scope not in participant.consents:
        return SuppressionReason.NO_CONSENT
    return None


def route(milestone: Milestone, participant: ParticipantCopy, recipients: list[Recipient]) -> Routing:
    """Apply the rules to every recipient; an opted-out or erased participant is mailed about to nobody."""
    if participant.erased:
        return Routing(suppressed=(Suppression(None, SuppressionReason.PARTICIPANT_ERASED),))
    if participant.opted_out:
        return Routing(suppressed=(Suppression(None, SuppressionReason.OPTED_OUT),))
    if not participant.recruited:
        return Routing(parked=True)
    mail: list[str] = []
    suppressed: list[Suppression] = []
    for recipient in sorted(recipients, key=lambda r: r.recipient_id):
        reason = reason_not_to_mail(milestone, participant, recipient)
        if reason is None:
            mail.append(recipient.recipient_id)
        elif reason in RECORDED:
            suppressed.append(Suppression(recipient.recipient_id, reason))
    return Routing(mail=tuple(mail), suppressed=tuple(suppressed))


class NotificationsError(Exception):
    """A command the notifications rules refuse."""


class NotAllowed(NotificationsError):
    pass


def opt_out(participant: ParticipantCopy) -> ParticipantCopy:
    """An objection is accepted for any participant not erased, even one not known yet (events race)."""
    if participant.erased:
        raise NotAllowed("the participant is erased")
    if participant.opted_out:
        raise NotAllowed("the participant has opted out already")
    return replace(participant, opted_out=True)


def opt_in(participant: ParticipantCopy) -> ParticipantCopy:
    if not participant.opted_out:
        raise NotAllowed("the participant has not opted out")
    return replace(participant, opted_out=False)


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


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int
    initial_s: float
    max_s: float

    def delay_after(self, attempts: int) -> timedelta:
        """Exponential: `initial_s` after the first failed attempt, doubling, at most `max_s`."""
        return timedelta(seconds=min(self.initial_s * 2 ** max(attempts - 1, 0), self.max_s))


@dataclass(frozen=True, slots=True)
class Attempt:
    """What the mail server made of one attempt."""

    accepted: bool
    permanent: bool = False
    failure: DeliveryFailure | None = None
    error: str | None = None  # a short code for the audit, e.g. smtp_550 or connection_refused


class Verdict(StrEnum):
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class NextStep:
    verdict: Verdict
    attempts: int
    retry_in: timedelta | None = None
    failure: DeliveryFailure | None = None


def after_attempt(policy: RetryPolicy, attempts_before: int, attempt: Attempt) -> NextStep:
    """Sent, failed for good (a permanent refusal, or no attempts left), or retried later."""
    attempts = attempts_before + 1
    if attempt.accepted:
        return NextStep(Verdict.SENT, attempts)
    if attempt.permanent:
        return NextStep(Verdict.FAILED, attempts, failure=attempt.failure or DeliveryFailure.MESSAGE_REJECTED)
    if attempts >= policy.max_attempts:
        return NextStep(Verdict.FAILED, attempts, failure=DeliveryFailure.RETRIES_EXHAUSTED)
    return NextStep(Verdict.RETRY, attempts, retry_in=policy.delay_after(attempts))
