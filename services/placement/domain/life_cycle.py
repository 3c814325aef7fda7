"""The participant's life cycle as placement sees it: a withdrawal closes the case unless the participant is
employed, a completion closes nothing, a reactivation reopens what the withdrawal closed; an intake may tell a new
district. Another stage's fact is never refused: what does not apply leaves the case as it is. Pure."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from services.placement.domain import follow_ups
from services.placement.domain.case import CaseStatus, Placement
from shared.contracts.recruitment import (
    IntakeRecorded,
    ParticipantReactivated,
    ParticipantWithdrawn,
    ParticipationCompleted,
)
from shared.decision import Decision

KEEPS_FOLLOWING_UP = frozenset({CaseStatus.EMPLOYED})
"""Leaving the programme while employed, the usual success, keeps the employment and its follow-ups at 6, 12, 24
and 36 months (issue 12: the DRK's integration coordination measures staying in the region after the programme)."""


def withdraw(placement: Placement, event: ParticipantWithdrawn) -> Decision[Placement]:
    """An employed participant's case goes on, marked as having left the programme; any other open case closes,
    and its current employment's follow-ups are no longer awaited. A closed case stays as it is. The reminder of
    an end notice still awaited stays: that duty is the employer's, whatever the programme (§4a(5) AufenthG)."""
    if placement.status is CaseStatus.WITHDRAWN:
        return Decision(placement)
    left = _left(placement, event.withdrawn_on)
    if placement.status in KEEPS_FOLLOWING_UP:
        return Decision(left)
    offer = placement.current_offer
    drops = () if offer is None else follow_ups.drop_for(placement.participant_id, offer)
    return Decision(replace(left, status=CaseStatus.WITHDRAWN), (), drops)


def complete(placement: Placement, event: ParticipationCompleted) -> Decision[Placement]:
    """Completion closes nothing: what is under way goes on (recruitment's contract), the case is only marked as
    having left the programme, so later checks say they came after it."""
    if placement.status is CaseStatus.WITHDRAWN:
        return Decision(placement)
    return Decision(_left(placement, event.completed_on))


def reactivate(placement: Placement, event: ParticipantReactivated) -> Decision[Placement]:
    """The participant is back: a case the withdrawal closed searches again (its old employment is history); any
    case is in the programme again."""
    back = replace(placement, left_programme_on=None)
    if placement.status is CaseStatus.WITHDRAWN:
        back = back.without_employment(CaseStatus.SEARCHING)
    return Decision(back)


def intake_recorded(placement: Placement, event: IntakeRecorded) -> Decision[Placement]:
    """The district the intake names is where the participant lives now; an intake that names none changes
    nothing (the district of an employment's start is kept with the employment)."""
    if event.district is None:
        return Decision(placement)
    return Decision(replace(placement, district=event.district))


def _left(placement: Placement, on: date) -> Placement:
    """Marked with the first day the participant left; a repeated fact (under another id) changes nothing."""
    return placement if placement.left_programme_on is not None else replace(placement, left_programme_on=on)
