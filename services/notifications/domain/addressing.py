"""Who is mailed about a participant's milestone, and why someone is not. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from services.notifications.domain.directory import Recipient
from services.notifications.domain.participants import Participant
from shared.contracts.enums import Milestone
from shared.contracts.notifications import RecipientKind, SuppressionReason

# Decisions worth an audit event: someone was deliberately left out although subscribed. Not covering a region,
# not subscribing to a milestone or not being the participant's organisation is routine and stays silent.
RECORDED = frozenset({SuppressionReason.OPTED_OUT, SuppressionReason.NO_CONSENT, SuppressionReason.PARTICIPANT_ERASED})


@dataclass(frozen=True, slots=True)
class Suppression:
    recipient_id: str | None  # None: nobody was mailed
    reason: SuppressionReason


@dataclass(frozen=True, slots=True)
class Addressing:
    """Recipients to mail, suppressions to record; `parked` until the participant is known."""

    mail: tuple[str, ...] = ()
    suppressed: tuple[Suppression, ...] = ()
    parked: bool = False


def reason_not_to_mail(
    milestone: Milestone, participant: Participant, recipient: Recipient
) -> SuppressionReason | None:
    """Why `recipient` gets no mail about this milestone of a known participant; None when it does.

    A partner organisation hears only about its own participants, whatever its `consent_scope` (the directory's
    description of that field promises more; the rules by law are a later issue's)."""
    if recipient.kind is RecipientKind.PARTNER_ORGANISATION and participant.partner_org != recipient.partner_org:
        return SuppressionReason.NOT_OWN_PARTICIPANT
    if recipient.regions and participant.region not in recipient.regions:
        return SuppressionReason.REGION_NOT_COVERED
    if recipient.milestones and milestone not in recipient.milestones:
        return SuppressionReason.MILESTONE_NOT_SUBSCRIBED
    if recipient.consent_scope is not None and recipient.consent_scope not in participant.consents:
        return SuppressionReason.NO_CONSENT
    return None


def recipients_for(milestone: Milestone, participant: Participant, directory: Iterable[Recipient]) -> Addressing:
    """Apply the rules to every recipient; an opted-out or erased participant is mailed about to nobody."""
    if participant.erased:
        return Addressing(suppressed=(Suppression(None, SuppressionReason.PARTICIPANT_ERASED),))
    if participant.opted_out:
        return Addressing(suppressed=(Suppression(None, SuppressionReason.OPTED_OUT),))
    if not participant.recruited:
        return Addressing(parked=True)
    mail: list[str] = []
    suppressed: list[Suppression] = []
    for recipient in sorted(directory, key=lambda r: r.recipient_id):
        reason = reason_not_to_mail(milestone, participant, recipient)
        if reason is None:
            mail.append(recipient.recipient_id)
        elif reason in RECORDED:
            suppressed.append(Suppression(recipient.recipient_id, reason))
    return Addressing(mail=tuple(mail), suppressed=tuple(suppressed))
