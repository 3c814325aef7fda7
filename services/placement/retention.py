"""Retention follow-ups: timers due 6 and 12 months after the start, and the events they raise."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import structlog

from services.placement import domain, store
from shared.contracts.placement import RetentionCheckDue, RetentionCheckOverdue, RetentionMonths
from shared.timers import Timer
from shared.unit_of_work import UnitOfWork

log = structlog.get_logger()

DUE = "retention_check_due"
OVERDUE = "retention_check_overdue"


def timer_id(kind: str, participant_id: UUID, offer_id: UUID, months: int) -> str:
    """One timer per kind, employment (its confirmed offer) and check, so a new employment gets fresh ones."""
    return f"{kind}:{participant_id}:{offer_id}:{months}"


async def schedule(uow: UnitOfWork, participant_id: UUID, offer_id: UUID, started_on: date) -> None:
    for months in domain.RETENTION_MONTHS:
        due_on = domain.retention_due_on(started_on, months)
        data = {"offer_id": str(offer_id), "months": months, "due_on": due_on.isoformat()}
        for kind, day in ((DUE, due_on), (OVERDUE, domain.retention_overdue_on(due_on))):
            await uow.schedule(
                kind=kind,
                participant_id=participant_id,
                due_at=domain.start_of(day),
                data=data,
                timer_id=timer_id(kind, participant_id, offer_id, months),
            )


async def cancel(
    uow: UnitOfWork, participant_id: UUID, offer_id: UUID | None, months: tuple[int, ...] = domain.RETENTION_MONTHS
) -> None:
    """Cancel the follow-ups of the employment under `offer_id` (none when there is no employment)."""
    if offer_id is None:
        return
    for m in months:
        for kind in (DUE, OVERDUE):
            await uow.cancel_timer(timer_id(kind, participant_id, offer_id, m))


async def raise_due(uow: UnitOfWork, timer: Timer) -> None:
    if (check := await _outstanding(uow, timer)) is not None:
        months, due_on = check
        await uow.emit(RetentionCheckDue(participant_id=timer.participant_id, months=months, due_on=due_on))


async def raise_overdue(uow: UnitOfWork, timer: Timer) -> None:
    if (check := await _outstanding(uow, timer)) is not None:
        months, due_on = check
        await uow.emit(RetentionCheckOverdue(participant_id=timer.participant_id, months=months, due_on=due_on))


async def _outstanding(uow: UnitOfWork, timer: Timer) -> tuple[RetentionMonths, date] | None:
    """The check the timer is about, if it is still awaited; cancellation makes this a second line of defence."""
    placement = await store.lock(uow.conn, timer.participant_id)
    months = int(timer.data["months"])
    offer_id = UUID(timer.data["offer_id"])
    if placement is None or not domain.check_outstanding(placement, offer_id, months):
        log.info("retention_timer_stale", timer_id=timer.timer_id)
        return None
    return (6 if months == 6 else 12), date.fromisoformat(timer.data["due_on"])
