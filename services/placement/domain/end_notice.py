"""The employer's notice to the foreigners' authority of an employment that ended early (§4a(5) AufenthG): whether
an end needs one, its last day, the reminder a week before it and the notice recorded. Pure."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from uuid import UUID

from services.placement.domain.case import Offer, Placement
from shared.calendar import start_of
from shared.contracts.placement import (
    EmploymentEndNoticeDue,
    EmploymentEndReason,
    EndNoticeRecorded,
    RecordEndNotice,
)
from shared.decision import Decision, Drop, Due
from shared.refusals import AlreadyExists, InvalidValue, NotAllowed

NOTICE_PERIOD = timedelta(weeks=4)
"""§4a(5) S. 3 Nr. 3 AufenthG: the employer tells the foreigners' authority within 4 weeks of learning that the
employment ended early."""
REMINDER_LEAD = timedelta(weeks=1)
"""The reminder goes out a week before the notice's last day (issue 12), or at once when that day is nearer."""
NOT_EARLY = frozenset({EmploymentEndReason.FIXED_TERM_ENDED})
"""A fixed-term contract that simply ran out did not end early: no notice (§4a(5) AufenthG, "vorzeitig")."""
NOTICE_DUE = "end_notice_due"
"""The kind of due date of the reminder."""


def notice_due_on(ended_on: date, learned_on: date | None) -> date:
    """4 weeks from the day the employer learnt of the end; left out, the last working day (§4a(5) AufenthG)."""
    return (learned_on or ended_on) + NOTICE_PERIOD


def needs_notice(reason: EmploymentEndReason, eu_citizen: bool | None) -> bool:
    """An early end of a third-country national's employment (§4a(5) AufenthG; EU/EEA/Swiss citizens need no
    residence title for work, §1(2) Nr. 1 AufenthG, FreizügG/EU); a citizenship not known counts as not EU."""
    return reason not in NOT_EARLY and eu_citizen is not True


def remind(participant_id: UUID, offer_id: UUID, due_on: date) -> Due:
    """The reminder of the ended employment under `offer_id`: at the start of the day a week before the last day."""
    data = {"offer_id": str(offer_id), "notice_due_on": due_on.isoformat()}
    return Due(participant_id, NOTICE_DUE, str(offer_id), start_of(due_on - REMINDER_LEAD), data)


def record_end_notice(placement: Placement, cmd: RecordEndNotice) -> Decision[Placement]:
    """The notice of the latest early end still awaiting one, in any state of the case (the duty is the employer's
    and outlives the case); its reminder is no longer needed. Refused when no end awaits a notice."""
    needing = sorted((o for o in placement.offers.values() if o.notice_due_on is not None), key=_ended_on)
    if not needing:
        raise NotAllowed(
            "cannot record an end notice: no employment of this participant ended early in a way that needs a"
            " notice to the foreigners' authority (§4a(5) AufenthG)"
        )
    awaiting = [o for o in needing if o.awaits_notice]
    if not awaiting:
        raise AlreadyExists(f"the end notice was recorded already, on {needing[-1].notified_on}")
    offer = awaiting[-1]
    assert offer.notice_due_on is not None, "an offer awaiting a notice has its last day"
    if offer.learned_on is not None and cmd.notified_on < offer.learned_on:
        raise InvalidValue(
            f"notified_on {cmd.notified_on} is before the employer learnt of the end on {offer.learned_on}",
            field="notified_on",
        )
    recorded = EndNoticeRecorded(
        participant_id=placement.participant_id,
        employer_id=offer.employer_id,
        notified_on=cmd.notified_on,
        notice_due_on=offer.notice_due_on,
    )
    after = placement.with_offer(replace(offer, notified_on=cmd.notified_on))
    return Decision(after, (recorded,), (Drop(placement.participant_id, NOTICE_DUE, str(offer.offer_id)),))


def notice_falls_due(placement: Placement, offer_id: UUID) -> Decision[Placement]:
    """`EmploymentEndNoticeDue` while the notice of that end is still awaited; nothing once it was recorded."""
    offer = placement.offers.get(offer_id)
    if offer is None or not offer.awaits_notice or offer.ended_on is None:
        return Decision(placement)
    assert offer.notice_due_on is not None, "an offer awaiting a notice has its last day"
    due = EmploymentEndNoticeDue(
        participant_id=placement.participant_id,
        employer_id=offer.employer_id,
        ended_on=offer.ended_on,
        notice_due_on=offer.notice_due_on,
    )
    return Decision(placement, (due,))


def _ended_on(offer: Offer) -> date:
    assert offer.ended_on is not None, "an offer needing a notice has ended"
    return offer.ended_on
