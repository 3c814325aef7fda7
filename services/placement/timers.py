"""Placement's due dates: a retention check falls due, and is overdue; the employer's notice of an early end is
due in a week. When one passes, the domain decides whether the fact is still awaited and so whether its event is
news."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from services.placement import store
from services.placement.domain import end_notice, follow_ups, retention
from services.placement.domain.case import Placement
from shared.decision import Decision
from shared.handling import react
from shared.timers import Timer, TimerHandler
from shared.unit_of_work import UnitOfWork

Decide = Callable[[Placement, UUID, int], Decision[Placement]]


async def check_falls_due(uow: UnitOfWork, timer: Timer) -> None:
    await _follow_up(uow, timer, retention.check_falls_due)


async def check_is_overdue(uow: UnitOfWork, timer: Timer) -> None:
    await _follow_up(uow, timer, retention.check_is_overdue)


async def end_notice_falls_due(uow: UnitOfWork, timer: Timer) -> None:
    """Recording the notice drops the reminder; the domain's answer here is the second line of defence."""
    offer_id = UUID(timer.data["offer_id"])
    await react(
        uow,
        timer.participant_id,
        load=store.lock,
        save=store.save,
        decide=lambda p: end_notice.notice_falls_due(p, offer_id),
    )


async def _follow_up(uow: UnitOfWork, timer: Timer, decide: Decide) -> None:
    """Cancelling the timers when a check is recorded or the employment ends is the first line of defence; the
    domain's answer here is the second (the case may have moved on in the same sweep)."""
    offer_id, months = UUID(timer.data["offer_id"]), int(timer.data["months"])
    await react(
        uow, timer.participant_id, load=store.lock, save=store.save, decide=lambda p: decide(p, offer_id, months)
    )


KINDS: dict[str, TimerHandler] = {
    follow_ups.CHECK_DUE: check_falls_due,
    follow_ups.CHECK_OVERDUE: check_is_overdue,
    end_notice.NOTICE_DUE: end_notice_falls_due,
}
"""Which use case a passed due date of each kind calls."""
