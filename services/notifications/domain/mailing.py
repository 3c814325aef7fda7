"""What each fact about a participant, and each opt-out or opt-in, decides about mails: the participant's new state,
the milestones kept, the mails queued, the mails nobody gets (with the reason, announced) and queued mails stopped.
Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from services.notifications.domain.addressing import recipients_for
from services.notifications.domain.directory import Recipient
from services.notifications.domain.participants import Involvement, MilestoneRef, Participant, Reached, reached
from shared.contracts.envelope import Event
from shared.contracts.notifications import (
    DigestPeriod,
    NotificationSuppressed,
    OptInParticipant,
    OptOutParticipant,
    ParticipantOptedIn,
    ParticipantOptedOut,
    SuppressionReason,
)
from shared.contracts.recruitment import ConsentChanged, IntakeRecorded, ParticipantErased, ParticipantRecruited
from shared.decision import Decision
from shared.refusals import NotAllowed


@dataclass(frozen=True, slots=True)
class Delivery:
    """A mail to one recipient about one milestone; with a `reason`, one that is not sent (no recipient: nobody is
    mailed about the milestone)."""

    about: MilestoneRef
    recipient_id: str | None
    reason: SuppressionReason | None = None


@dataclass(frozen=True, slots=True)
class DigestItem:
    """A milestone kept for one recipient's daily or weekly digest."""

    about: MilestoneRef
    recipient_id: str
    period: DigestPeriod


@dataclass(frozen=True, slots=True)
class Mailing:
    """A participant after one step, and what the step decided about mails."""

    participant: Participant
    kept: tuple[Reached, ...] = ()
    """Milestones kept, with their facts, until the participant is erased."""
    addressed: tuple[MilestoneRef, ...] = ()
    """Milestones whose recipients are decided; a milestone kept and not addressed is parked."""
    queued: tuple[Delivery, ...] = ()
    """Mails to send."""
    digested: tuple[DigestItem, ...] = ()
    """Milestones kept for recipients' digests."""
    suppressed: tuple[Delivery, ...] = ()
    """Mails nobody sends, recorded with the reason for the audit."""
    stopped: tuple[Delivery, ...] = ()
    """Mails queued before and not to be sent after all, with the reason."""


def reach(
    participant: Participant,
    event: Event,
    ce_id: str,
    directory: Sequence[Recipient],
    leads: frozenset[str] | None = None,
) -> Decision[Mailing]:
    """A stage's milestone event (`ce_id`): kept, and mailed to whom the rules say (`leads`: the organisations that
    count as leading the case for it, when not just the participant's lead); parked while the participant is not
    known. Nothing more is kept about an erased participant."""
    return _reach(Mailing(participant), reached(event, ce_id), directory, leads)


def recruited(
    participant: Participant,
    event: ParticipantRecruited,
    ce_id: str,
    parked: Sequence[MilestoneRef],
    directory: Sequence[Recipient],
) -> Decision[Mailing]:
    """The participant becomes known (unless erased): a milestone itself, and the milestones parked for them are
    addressed now, oldest first. The registering organisation is involved in its role and leads the case (a
    repeated recruitment adds its involvement and leaves a lead handed over since as it is)."""
    if not participant.erased:
        participant = replace(
            participant,
            recruited=True,
            region=event.region,
            partner_org=event.partner_org,
            consents=frozenset(event.consents),
            involvements=participant.involvements | {Involvement(event.partner_org, event.partner_role)},
            lead_org=participant.lead_org or event.partner_org,
            profession=event.target_profession,
            case_references=with_case_reference(participant.case_references, event.partner_org, event.case_reference),
        )
    decision = _reach(Mailing(participant), reached(event, ce_id), directory)
    for ref in parked:
        decision = decision.then(_address(decision.state, ref, directory))
    return decision


def intake_recorded(participant: Participant, event: IntakeRecorded) -> Decision[Mailing]:
    if participant.erased:
        return Decision(Mailing(participant))
    return Decision(Mailing(replace(participant, region=event.region, profession=event.target_profession)))


def consent_changed(participant: Participant, event: ConsentChanged) -> Decision[Mailing]:
    if participant.erased:
        return Decision(Mailing(participant))
    return Decision(Mailing(replace(participant, consents=frozenset(event.consents))))


def erased(
    participant: Participant, event: ParticipantErased, parked: Sequence[MilestoneRef], pending: Sequence[Delivery]
) -> Decision[Mailing]:
    """Nothing more is mailed about them: milestones parked for them and mails queued are not sent (each recorded and
    announced as suppressed); only the pseudonym and the day remain, so later milestones are suppressed too."""
    forgotten = Mailing(Participant(participant.participant_id, erased_on=event.erased_on))
    nobody = tuple(Delivery(ref, None, SuppressionReason.PARTICIPANT_ERASED) for ref in parked)
    decision = Decision(replace(forgotten, suppressed=nobody), tuple(_announced(d) for d in nobody))
    return decision.then(_stop(decision.state, pending, SuppressionReason.PARTICIPANT_ERASED))


def opt_out(participant: Participant, cmd: OptOutParticipant, pending: Sequence[Delivery]) -> Decision[Mailing]:
    """An objection is accepted for any participant not erased, even one not known yet (events race); mails queued
    about them are not sent."""
    if participant.erased:
        raise NotAllowed("the participant is erased")
    if participant.opted_out:
        raise NotAllowed("the participant has opted out already")
    mailing = Mailing(replace(participant, opted_out_on=cmd.opted_out_on))
    objection = ParticipantOptedOut(participant_id=cmd.participant_id, opted_out_on=cmd.opted_out_on)
    return Decision(mailing, (objection,)).then(_stop(mailing, pending, SuppressionReason.OPTED_OUT))


def opt_in(participant: Participant, cmd: OptInParticipant) -> Decision[Mailing]:
    """The objection is withdrawn: later milestones are mailed again (those suppressed meanwhile are not)."""
    if not participant.opted_out:
        raise NotAllowed("the participant has not opted out")
    withdrawn = ParticipantOptedIn(participant_id=cmd.participant_id, opted_in_on=cmd.opted_in_on)
    return Decision(Mailing(replace(participant, opted_out_on=None)), (withdrawn,))


def catch_up(
    mailing: Mailing,
    org_id: str,
    missed: Sequence[tuple[MilestoneRef, frozenset[str]]],
    directory: Sequence[Recipient],
) -> Decision[Mailing]:
    """The organisation's mailboxes are addressed about the milestones that happened after it was involved (or took
    the lead) but were addressed before this stage had read it: recruitment's facts and the other stages' milestones
    come on different topics. A mailbox with a delivery row for a milestone (mailed, or deliberately not) is left
    as it is, so nobody is told twice."""
    mailboxes = [r for r in directory if r.partner_org == org_id]
    decision = Decision(mailing)
    for ref, recorded in missed:
        pending = [r for r in mailboxes if r.recipient_id not in recorded]
        if pending:
            decision = decision.then(_address(decision.state, ref, pending))
    return decision


def with_case_reference(
    references: frozenset[tuple[str, str]], org_id: str, reference: str | None
) -> frozenset[tuple[str, str]]:
    """The organisation's own reference for the case, replacing one it gave before; none given leaves it as it was."""
    if reference is None:
        return references
    return frozenset(r for r in references if r[0] != org_id) | {(org_id, reference)}


def _reach(
    mailing: Mailing, milestone: Reached, directory: Sequence[Recipient], leads: frozenset[str] | None = None
) -> Decision[Mailing]:
    if not mailing.participant.erased:
        mailing = replace(mailing, kept=(*mailing.kept, milestone))
    return _address(mailing, milestone.ref, directory, leads)


def _address(
    mailing: Mailing, ref: MilestoneRef, directory: Sequence[Recipient], leads: frozenset[str] | None = None
) -> Decision[Mailing]:
    """Queue the mails about `ref` and record who is deliberately left out; nothing while it is parked."""
    addressing = recipients_for(ref.milestone, mailing.participant, directory, leads)
    if addressing.parked:
        return Decision(mailing)
    suppressed = tuple(Delivery(ref, s.recipient_id, s.reason) for s in addressing.suppressed)
    mailing = replace(
        mailing,
        addressed=(*mailing.addressed, ref),
        queued=(*mailing.queued, *(Delivery(ref, recipient_id) for recipient_id in addressing.mail)),
        digested=(*mailing.digested, *(DigestItem(ref, who, period) for who, period in addressing.digest)),
        suppressed=(*mailing.suppressed, *suppressed),
    )
    return Decision(mailing, tuple(_announced(d) for d in suppressed))


def _stop(mailing: Mailing, pending: Sequence[Delivery], reason: SuppressionReason) -> Decision[Mailing]:
    stopped = tuple(replace(d, reason=reason) for d in pending)
    return Decision(replace(mailing, stopped=(*mailing.stopped, *stopped)), tuple(_announced(d) for d in stopped))


def _announced(delivery: Delivery) -> NotificationSuppressed:
    assert delivery.reason is not None
    return NotificationSuppressed(
        participant_id=delivery.about.participant_id,
        recipient_id=delivery.recipient_id,
        milestone=delivery.about.milestone,
        caused_by_id=delivery.about.ce_id,
        caused_by_type=delivery.about.ce_type,
        reason=delivery.reason,
    )
