"""The organisations around a participant and the pauses of their participation: what recruitment's facts change in
the copy the addressing reads, and the milestones among them. Pure.

Another stage's fact is never refused: a fact that changes nothing (an involvement known already, a release of a
role not held, a second pause) leaves the copy as it is; about an erased participant nothing more is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from services.notifications.domain.directory import Recipient
from services.notifications.domain.mailing import Mailing, reach, with_case_reference
from services.notifications.domain.participants import Involvement, Participant
from shared.contracts.organisations import LeadHandedOver, OrganisationInvolved, OrganisationReleased
from shared.contracts.recruitment import (
    ParticipantReactivated,
    ParticipantWithdrawn,
    ParticipationCompleted,
    ParticipationPaused,
    ParticipationResumed,
)
from shared.decision import Decision

PauseEnd = ParticipationResumed | ParticipationCompleted | ParticipantWithdrawn | ParticipantReactivated
"""What ends a pause: the return, and any end of the participation (or a new start after one)."""


def involved(participant: Participant, event: OrganisationInvolved) -> Decision[Mailing]:
    """The organisation takes part in the case in this role from now on."""
    if participant.erased:
        return Decision(Mailing(participant))
    involvement = Involvement(event.org_id, event.role)
    references = with_case_reference(participant.case_references, event.org_id, event.case_reference)
    return Decision(
        Mailing(replace(participant, involvements=participant.involvements | {involvement}, case_references=references))
    )


def released(participant: Participant, event: OrganisationReleased) -> Decision[Mailing]:
    """The organisation no longer plays this role in the case (it stays involved in any other; a lead stays lead)."""
    if participant.erased:
        return Decision(Mailing(participant))
    involvement = Involvement(event.org_id, event.role)
    return Decision(Mailing(replace(participant, involvements=participant.involvements - {involvement})))


def lead_handed_over(
    participant: Participant, event: LeadHandedOver, ce_id: str, directory: Sequence[Recipient]
) -> Decision[Mailing]:
    """The handover is told to both sides as if both led the case (the organisation handing over hears that it
    did); every later milestone goes by the new lead."""
    both = frozenset({event.from_org, event.to_org})
    decision = reach(participant, event, ce_id, directory, leads=both)
    if participant.erased:
        return decision
    after = replace(decision.state.participant, lead_org=event.to_org)
    return replace(decision, state=replace(decision.state, participant=after))


def paused(
    participant: Participant, event: ParticipationPaused, ce_id: str, directory: Sequence[Recipient]
) -> Decision[Mailing]:
    """The participant pauses: a milestone, and the programme's reminders about them are not mailed until it ends."""
    if not participant.erased:
        participant = replace(participant, paused_on=event.paused_on)
    return reach(participant, event, ce_id, directory)


def pause_ended(
    participant: Participant, event: PauseEnd, ce_id: str, directory: Sequence[Recipient]
) -> Decision[Mailing]:
    """A return, a completion, a drop-out or a reactivation: a milestone, and a pause (if any) is over."""
    if not participant.erased:
        participant = replace(participant, paused_on=None)
    return reach(participant, event, ce_id, directory)
