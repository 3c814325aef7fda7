"""What the participant's life cycle (recruitment's withdrawal and reactivation) does to a case: a withdrawal closes
it, a reactivation reopens it where it stood, with the legal due dates the close dropped. Pure."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from services.recognition.domain.case import Case, CaseState, Licence, receipt_due_on
from services.recognition.domain.decisions import (
    DueDate,
    conditions_met,
    decision_timer,
    documents_timer,
    permit_timers,
    receipt_timer,
)
from shared.contracts.recruitment import ParticipantReactivated, ParticipantWithdrawn
from shared.decision import Decision, Drop, Due


def close(case: Case, event: ParticipantWithdrawn, now: datetime) -> Decision[Case]:
    """The participant withdrew: the case closes whatever its state, and none of its due dates is raised. It keeps
    the state it was in and when it closed (`now`), for a reactivation."""
    if case.state is CaseState.CLOSED:
        return Decision(case)
    closed = replace(case, state=CaseState.CLOSED, closed_from=case.state, closed_at=now)
    return Decision(closed, timers=(Drop(case.participant_id),))


def reopen(case: Case, event: ParticipantReactivated, now: datetime) -> Decision[Case]:
    """The participant is back: a case a withdrawal closed takes up the state it was closed in, so the partner's
    next command of that state applies; a case that was not closed (the participant completed) stays as it is.

    The legal periods ran on while the participant was away: the authority's procedure does not stop when someone
    leaves the programme (BQFG §6/§13, §10(2) BÄO). So the due dates the close dropped are set again on their own
    days, and one that passed in the meantime is raised at once (its timer is already due): the coordinator who
    takes the case up again needs to know first that the authority is late (to chase it, or to record the
    decision that came meanwhile), that documents are overdue, or that the Berufserlaubnis ended. A due date that
    had passed before the close was raised then and is not raised again; a warning that a Berufserlaubnis will end
    is left out once it has ended (`LicenceExpired` says more).

    A case that accepts a licence again is announced again (`LicenceConditionsMet`): from now on it takes
    `GrantLicence`, which it refused while closed; qualification's completion may also have come while it was."""
    if case.state is not CaseState.CLOSED or case.closed_from is None:
        return Decision(case)
    reopened = replace(case, state=case.closed_from, closed_from=None, closed_at=None)
    closed_at = case.closed_at
    dropped = [due for due in due_dates(reopened) if closed_at is None or due.at > closed_at]
    ended = any(due.kind == DueDate.LICENCE_EXPIRED and due.at <= now for due in dropped)
    again = tuple(due for due in dropped if not (ended and due.kind == DueDate.LICENCE_EXPIRING))
    return Decision(reopened, conditions_met(reopened), again)


def due_dates(case: Case) -> tuple[Due, ...]:
    """The legal due dates an open case in its state waits for: the authority's receipt confirmation after
    submission, the documents it asked for, its decision on a complete file, the end of a Berufserlaubnis."""
    dues: tuple[Due, ...] = ()
    if case.state is CaseState.SUBMITTED and case.submitted_on is not None and case.track is not None:
        due = receipt_due_on(case.submitted_on, case.track)
        dues += (receipt_timer(case, case.submitted_on, due, case.track),)
    if case.state is CaseState.RECEIPT_CONFIRMED and case.documents_due_on is not None:
        dues += (documents_timer(case, case.documents_due_on),)
    if case.state is CaseState.COMPLETE and case.decision_due_on is not None:
        dues += (decision_timer(case, case.decision_due_on),)
    if case.licence is Licence.BERUFSERLAUBNIS:
        dues += permit_timers(case)
    return dues
