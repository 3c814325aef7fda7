"""The retention follow-ups of an employment: when its 6- and 12-month checks fall due and are overdue, as due
dates set or dropped. Pure."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from shared.calendar import add_months, start_of
from shared.contracts.placement import RetentionMonths
from shared.decision import Drop, Due

RETENTION_MONTHS: tuple[RetentionMonths, ...] = (6, 12)
RETENTION_GRACE = timedelta(weeks=4)
"""How long after a retention check falls due it may still be recorded before it is overdue."""
CHECK_DUE = "retention_check_due"
CHECK_OVERDUE = "retention_check_overdue"
"""The kinds of due date placement sets: a retention check falls due; it is overdue once the grace has passed."""


def retention_due_on(started_on: date, months: int) -> date:
    return add_months(started_on, months)


def retention_overdue_on(due_on: date) -> date:
    return due_on + RETENTION_GRACE


def key(offer_id: UUID, months: int) -> str:
    """One due date per kind, employment (its confirmed offer) and check, so a new employment gets fresh ones."""
    return f"{offer_id}:{months}"


def set_for(participant_id: UUID, offer_id: UUID, started_on: date) -> tuple[Due, ...]:
    """Both checks of an employment started on `started_on`: due at the start of their day (German time), overdue
    at the start of the day the grace ends."""
    dues: list[Due] = []
    for months in RETENTION_MONTHS:
        due_on = retention_due_on(started_on, months)
        data = {"offer_id": str(offer_id), "months": str(months), "due_on": due_on.isoformat()}
        for kind, day in ((CHECK_DUE, due_on), (CHECK_OVERDUE, retention_overdue_on(due_on))):
            dues.append(Due(participant_id, kind, key(offer_id, months), start_of(day), data))
    return tuple(dues)


def drop_for(participant_id: UUID, offer_id: UUID, months: tuple[int, ...] = RETENTION_MONTHS) -> tuple[Drop, ...]:
    """The employment's follow-ups (of the given checks) are no longer awaited."""
    return tuple(Drop(participant_id, kind, key(offer_id, m)) for m in months for kind in (CHECK_DUE, CHECK_OVERDUE))
