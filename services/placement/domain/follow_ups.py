"""The retention follow-ups of an employment: when its checks (at the months a deployment configures: 6, 12, 24, 36)
fall due and are overdue, as due dates set or dropped. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import get_args
from uuid import UUID

from shared.calendar import add_months, start_of
from shared.contracts.placement import RetentionMonths
from shared.decision import Drop, Due

ALL_RETENTION_MONTHS: tuple[RetentionMonths, ...] = get_args(RetentionMonths)
"""Every follow-up the contract knows; a check may be recorded at any of them."""
RETENTION_MONTHS: tuple[RetentionMonths, ...] = ALL_RETENTION_MONTHS
"""The follow-ups raised when a deployment says nothing (`RETENTION_MONTHS`): 6 and 12 months, the foundation, and
24 and 36 for long follow-up (issue 12: the DRK's integration coordination measures staying in the region)."""
RETENTION_GRACE = timedelta(weeks=4)
"""How long after a retention check falls due it may still be recorded before it is overdue."""
CHECK_DUE = "retention_check_due"
CHECK_OVERDUE = "retention_check_overdue"
"""The kinds of due date placement sets: a retention check falls due; it is overdue once the grace has passed."""


def retention_due_on(started_on: date, months: int) -> date:
    return add_months(started_on, months)


def retention_overdue_on(due_on: date) -> date:
    return due_on + RETENTION_GRACE


def as_months(months: int) -> RetentionMonths:
    """`months` as one of the contract's follow-ups (a timer's data carries it as text)."""
    for known in ALL_RETENTION_MONTHS:
        if known == months:
            return known
    raise ValueError(f"{months} is not a follow-up the contract knows ({ALL_RETENTION_MONTHS})")


def key(offer_id: UUID, months: int) -> str:
    """One due date per kind, employment (its confirmed offer) and check, so a new employment gets fresh ones."""
    return f"{offer_id}:{months}"


def set_for(
    participant_id: UUID, offer_id: UUID, started_on: date, months: Iterable[int] = RETENTION_MONTHS
) -> tuple[Due, ...]:
    """The checks of an employment started on `started_on`, at each of `months`: due at the start of their day
    (German time), overdue at the start of the day the grace ends."""
    dues: list[Due] = []
    for check in months:
        due_on = retention_due_on(started_on, check)
        data = {"offer_id": str(offer_id), "months": str(check), "due_on": due_on.isoformat()}
        for kind, day in ((CHECK_DUE, due_on), (CHECK_OVERDUE, retention_overdue_on(due_on))):
            dues.append(Due(participant_id, kind, key(offer_id, check), start_of(day), data))
    return tuple(dues)


def drop_for(participant_id: UUID, offer_id: UUID, months: Iterable[int] = ALL_RETENTION_MONTHS) -> tuple[Drop, ...]:
    """The employment's follow-ups (of the given checks; by default every one the contract knows, whatever was
    configured when the employment started) are no longer awaited."""
    return tuple(Drop(participant_id, kind, key(offer_id, m)) for m in months for kind in (CHECK_DUE, CHECK_OVERDUE))
