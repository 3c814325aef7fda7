"""Placement's rules: a case's states, what each command may do in them, and the follow-up dates. Pure."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from uuid import UUID

RETENTION_MONTHS = (6, 12)
RETENTION_GRACE = timedelta(weeks=4)
"""How long after a retention check falls due it may still be recorded before it is overdue."""
AUTHORITY_NOTICE_PERIOD = timedelta(weeks=4)
"""§4a(5) AufenthG: the employer tells the foreigners' authority within 4 weeks of an early end."""


class CaseStatus(StrEnum):
    """The contract's `PlacementStatus` values, plus `withdrawn` for a participant who left the journey."""

    SEARCHING = "searching"
    OFFER_PENDING = "offer_pending"
    PLACED = "placed"
    EMPLOYED = "employed"
    ENDED = "ended"
    WITHDRAWN = "withdrawn"


class OfferStatus(StrEnum):
    OPEN = "open"
    CONFIRMED = "confirmed"
    RETRACTED = "retracted"


class Action(StrEnum):
    RECORD_OFFER = "record an offer"
    RETRACT_OFFER = "retract an offer"
    CONFIRM_PLACEMENT = "confirm a placement"
    START_EMPLOYMENT = "start employment"
    RECORD_RETENTION_CHECK = "record a retention check"
    END_EMPLOYMENT = "end employment"
    WITHDRAW = "withdraw"


S = CaseStatus
ALLOWED: dict[Action, tuple[CaseStatus, ...]] = {
    Action.RECORD_OFFER: (S.SEARCHING, S.OFFER_PENDING, S.ENDED),
    # An offer can fall through even after the contract was signed or work started (Talent Catalog request).
    Action.RETRACT_OFFER: (S.OFFER_PENDING, S.PLACED, S.EMPLOYED),
    Action.CONFIRM_PLACEMENT: (S.OFFER_PENDING,),
    Action.START_EMPLOYMENT: (S.PLACED,),
    Action.RECORD_RETENTION_CHECK: (S.EMPLOYED,),
    Action.END_EMPLOYMENT: (S.EMPLOYED,),
    Action.WITHDRAW: (S.SEARCHING, S.OFFER_PENDING, S.PLACED, S.EMPLOYED, S.ENDED),
}


class PlacementError(Exception):
    """A command that placement's rules refuse."""


class NotAllowed(PlacementError):
    def __init__(self, action: Action, status: CaseStatus) -> None:
        allowed = ", ".join(s.value for s in ALLOWED[action])
        super().__init__(f"cannot {action.value}: the placement is {status.value}; allowed only when {allowed}")


class Duplicate(PlacementError):
    """The thing to create exists already."""


class OfferNotOpen(PlacementError):
    def __init__(self, offer_id: UUID, state: OfferStatus | None, action: Action) -> None:
        what = "is not recorded for this participant" if state is None else f"is {state.value}"
        super().__init__(f"cannot {action.value}: offer {offer_id} {what}")


@dataclass(frozen=True, slots=True)
class Placement:
    """One participant's placement case; `current_offer` is the confirmed offer of the current employment."""

    status: CaseStatus = CaseStatus.SEARCHING
    offers: dict[UUID, OfferStatus] = field(default_factory=dict)
    current_offer: UUID | None = None
    started_on: date | None = None
    recorded_checks: frozenset[int] = frozenset()

    def open_offers(self) -> set[UUID]:
        return {o for o, status in self.offers.items() if status is OfferStatus.OPEN}


def _guard(action: Action, placement: Placement) -> None:
    if placement.status not in ALLOWED[action]:
        raise NotAllowed(action, placement.status)


def _searching_or_pending(offers: dict[UUID, OfferStatus]) -> CaseStatus:
    still_open = any(status is OfferStatus.OPEN for status in offers.values())
    return CaseStatus.OFFER_PENDING if still_open else CaseStatus.SEARCHING


def record_offer(placement: Placement, offer_id: UUID) -> Placement:
    _guard(Action.RECORD_OFFER, placement)
    if offer_id in placement.offers:
        raise Duplicate(f"offer {offer_id} is recorded already")
    offers = {**placement.offers, offer_id: OfferStatus.OPEN}
    if placement.status is CaseStatus.ENDED:  # a new search: the ended employment is history
        return Placement(CaseStatus.OFFER_PENDING, offers)
    return replace(placement, status=CaseStatus.OFFER_PENDING, offers=offers)


def retract_offer(placement: Placement, offer_id: UUID) -> Placement:
    """Retracting the current placement's offer sends the case back to searching (or to its other offers)."""
    _guard(Action.RETRACT_OFFER, placement)
    is_current = offer_id == placement.current_offer
    if offer_id not in placement.open_offers() and not is_current:
        raise OfferNotOpen(offer_id, placement.offers.get(offer_id), Action.RETRACT_OFFER)
    offers = {**placement.offers, offer_id: OfferStatus.RETRACTED}
    if is_current:
        return Placement(_searching_or_pending(offers), offers)
    if placement.status is CaseStatus.OFFER_PENDING:
        return replace(placement, status=_searching_or_pending(offers), offers=offers)
    return replace(placement, offers=offers)  # a side offer fell through; the placement stands


def confirm_placement(placement: Placement, offer_id: UUID) -> Placement:
    _guard(Action.CONFIRM_PLACEMENT, placement)
    if offer_id not in placement.open_offers():
        raise OfferNotOpen(offer_id, placement.offers.get(offer_id), Action.CONFIRM_PLACEMENT)
    offers = {**placement.offers, offer_id: OfferStatus.CONFIRMED}
    return Placement(CaseStatus.PLACED, offers, current_offer=offer_id)


def start_employment(placement: Placement, started_on: date) -> Placement:
    _guard(Action.START_EMPLOYMENT, placement)
    return replace(placement, status=CaseStatus.EMPLOYED, started_on=started_on, recorded_checks=frozenset())


def record_retention_check(placement: Placement, months: int, checked_on: date) -> Placement:
    """A check may be recorded once it is due (by `checked_on`), overdue or not, and only once."""
    _guard(Action.RECORD_RETENTION_CHECK, placement)
    assert placement.started_on is not None  # employed means started
    if months in placement.recorded_checks:
        raise Duplicate(f"the {months}-month retention check is recorded already")
    due_on = retention_due_on(placement.started_on, months)
    if checked_on < due_on:
        raise PlacementError(
            f"the {months}-month retention check is not due until {due_on}; checked_on {checked_on} is earlier"
        )
    return replace(placement, recorded_checks=placement.recorded_checks | {months})


def end_employment(placement: Placement, ended_on: date) -> Placement:
    _guard(Action.END_EMPLOYMENT, placement)
    assert placement.started_on is not None
    if ended_on < placement.started_on:
        raise PlacementError(f"ended_on {ended_on} is before the employment started on {placement.started_on}")
    return replace(placement, status=CaseStatus.ENDED)


def withdraw(placement: Placement) -> Placement:
    _guard(Action.WITHDRAW, placement)
    return replace(placement, status=CaseStatus.WITHDRAWN)


def check_outstanding(placement: Placement, offer_id: UUID, months: int) -> bool:
    """Whether a retention check of this employment is still awaited (so its due/overdue event is news)."""
    return (
        placement.status is CaseStatus.EMPLOYED
        and placement.current_offer == offer_id
        and months not in placement.recorded_checks
    )


# Follow-up dates.


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later, clamped to the month's end (31 Aug + 6 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def retention_due_on(started_on: date, months: int) -> date:
    return add_months(started_on, months)


def retention_overdue_on(due_on: date) -> date:
    return due_on + RETENTION_GRACE


def authority_notice_due_on(ended_on: date) -> date:
    return ended_on + AUTHORITY_NOTICE_PERIOD


def start_of(day: date) -> datetime:
    """When a due date begins, for the timer table (UTC midnight)."""
    return datetime.combine(day, time.min, tzinfo=UTC)
