"""Who is mailed about a participant's milestone, and why someone is not. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from services.notifications.domain.directory import Recipient
from services.notifications.domain.participants import Participant
from shared.contracts.enums import ConsentScope, Milestone
from shared.contracts.notifications import Delivery, DigestPeriod, RecipientKind, SuppressionReason
from shared.contracts.organisations import told
from shared.contracts.recruitment import OrgRole

# Decisions worth an audit event: someone was deliberately left out although subscribed (or everyone was). Not
# covering a region, not subscribing to a milestone, not taking part in the case or playing a role that is not told
# this milestone is routine and stays silent (one event per recipient and milestone, naming other organisations).
RECORDED = frozenset(
    {
        SuppressionReason.OPTED_OUT,
        SuppressionReason.NO_CONSENT,
        SuppressionReason.PARTICIPANT_ERASED,
        SuppressionReason.PARTICIPANT_PAUSED,
    }
)

# The programme's own reminders, which pause while the participant pauses (issue 12, "deadlines of the participant's
# own keep running, the system's reminders pause"; `PauseParticipation`). The legal deadlines of the participant's
# own procedure (receipt, documents, decision, a Berufserlaubnis ending, the §4a(5) notice) keep being mailed.
PROGRAMME_REMINDERS = frozenset({Milestone.RETENTION_CHECK_OVERDUE})

# Where a milestone chosen for a digest goes.
DIGESTS = {Delivery.DAILY_DIGEST: DigestPeriod.DAY, Delivery.WEEKLY_DIGEST: DigestPeriod.WEEK}

_EVERY_CONSENT = frozenset(ConsentScope)
# Whatever role `told` is asked about for a lead whose roles were all released: it is told everything as the lead.
_ANY_ROLE = frozenset({OrgRole.COUNSELLING_CENTRE})


@dataclass(frozen=True, slots=True)
class Suppression:
    recipient_id: str | None  # None: nobody was mailed
    reason: SuppressionReason


@dataclass(frozen=True, slots=True)
class Addressing:
    """Recipients to mail at once, recipients whose digest keeps the milestone, suppressions to record; `parked`
    until the participant is known."""

    mail: tuple[str, ...] = ()
    suppressed: tuple[Suppression, ...] = ()
    parked: bool = False
    digest: tuple[tuple[str, DigestPeriod], ...] = ()


def reason_not_as_party(
    milestone: Milestone, participant: Participant, org_id: str, leads: frozenset[str]
) -> SuppressionReason | None:
    """Why the organisation `org_id` is not told about this milestone as a party to the case; None when it is.

    The rule is the published one (`shared.contracts.organisations.told`): asked once with every consent (is the
    milestone for one of its roles at all?) and once with the participant's consents."""
    roles = participant.roles_of(org_id)
    lead = org_id in leads
    if not roles and not lead:
        return SuppressionReason.NOT_INVOLVED
    roles = roles or _ANY_ROLE
    if not any(told(role, lead, milestone, _EVERY_CONSENT) for role in roles):
        return SuppressionReason.NOT_FOR_ROLE
    if not any(told(role, lead, milestone, participant.consents) for role in roles):
        return SuppressionReason.NO_CONSENT
    return None


def reason_not_to_mail(
    milestone: Milestone, participant: Participant, recipient: Recipient, leads: frozenset[str] | None = None
) -> SuppressionReason | None:
    """Why `recipient` gets no mail about this milestone of a known participant; None when it does.

    A partner organisation is mailed as a party to the case (`reason_not_as_party`; `leads` are the organisations
    that count as leading, normally the participant's lead); its own `regions` and `milestones` filter on top, and
    its `consent_scope`, when set, is one more consent the participant must have given. A coordinator is mailed by
    region and subscription."""
    if leads is None:
        leads = frozenset() if participant.lead_org is None else frozenset({participant.lead_org})
    as_party = None
    if recipient.kind is RecipientKind.PARTNER_ORGANISATION:
        assert recipient.partner_org is not None, "the directory requires it of partner organisations"
        as_party = reason_not_as_party(milestone, participant, recipient.partner_org, leads)
        if as_party is not None and as_party not in RECORDED:
            return as_party
    if recipient.regions and participant.region not in recipient.regions:
        return SuppressionReason.REGION_NOT_COVERED
    if recipient.milestones and milestone not in recipient.milestones:
        return SuppressionReason.MILESTONE_NOT_SUBSCRIBED
    if as_party is not None:
        return as_party
    if recipient.consent_scope is not None and recipient.consent_scope not in participant.consents:
        return SuppressionReason.NO_CONSENT
    return None


def recipients_for(
    milestone: Milestone,
    participant: Participant,
    directory: Iterable[Recipient],
    leads: frozenset[str] | None = None,
) -> Addressing:
    """Apply the rules to every recipient; an opted-out or erased participant is mailed about to nobody, nor is a
    paused one about a programme reminder. Whom the rules let through, the recipient's delivery for the milestone
    sends: at once, into its daily or weekly digest, or nowhere (recorded as `milestone_not_subscribed`)."""
    if participant.erased:
        return Addressing(suppressed=(Suppression(None, SuppressionReason.PARTICIPANT_ERASED),))
    if participant.opted_out:
        return Addressing(suppressed=(Suppression(None, SuppressionReason.OPTED_OUT),))
    if not participant.recruited:
        return Addressing(parked=True)
    if participant.paused and milestone in PROGRAMME_REMINDERS:
        return Addressing(suppressed=(Suppression(None, SuppressionReason.PARTICIPANT_PAUSED),))
    mail: list[str] = []
    digest: list[tuple[str, DigestPeriod]] = []
    suppressed: list[Suppression] = []
    for recipient in sorted(directory, key=lambda r: r.recipient_id):
        reason = reason_not_to_mail(milestone, participant, recipient, leads)
        if reason is not None:
            if reason in RECORDED:
                suppressed.append(Suppression(recipient.recipient_id, reason))
            continue
        delivery = recipient.delivery_of(milestone)
        if delivery is Delivery.IMMEDIATE:
            mail.append(recipient.recipient_id)
        elif delivery is Delivery.NONE:
            suppressed.append(Suppression(recipient.recipient_id, SuppressionReason.MILESTONE_NOT_SUBSCRIBED))
        else:
            digest.append((recipient.recipient_id, DIGESTS[delivery]))
    return Addressing(mail=tuple(mail), suppressed=tuple(suppressed), digest=tuple(digest))
