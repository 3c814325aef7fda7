"""Recognition's due dates: setting and cancelling its timers, and the events raised when one passes."""

from __future__ import annotations

from datetime import date

import structlog

from services.recognition import store
from services.recognition.dates import passed, start_of
from services.recognition.domain import Case, licence_warning_on
from shared.contracts.recognition import DecisionOverdue, LicenceExpired, LicenceExpiring, LicenceKind
from shared.timers import Timer, TimerHandler
from shared.unit_of_work import UnitOfWork

log = structlog.get_logger()

DECISION_DUE = "decision_due"
LICENCE_EXPIRING = "licence_expiring"
LICENCE_EXPIRED = "licence_expired"


def _timer_id(kind: str, case: Case, day: date) -> str:
    # The day is part of the id: a moved deadline is a new timer, so each missed deadline fires once.
    return f"{kind}:{case.participant_id}:{day.isoformat()}"


async def set_decision_due(uow: UnitOfWork, case: Case) -> None:
    if case.decision_due_on is None:
        return
    due = case.decision_due_on
    await uow.schedule(
        kind=DECISION_DUE,
        participant_id=case.participant_id,
        due_at=passed(due),
        data={"decision_due_on": due.isoformat()},
        timer_id=_timer_id(DECISION_DUE, case, due),
    )


async def cancel_decision_due(uow: UnitOfWork, case: Case) -> None:
    if case.decision_due_on is not None:
        await uow.cancel_timer(_timer_id(DECISION_DUE, case, case.decision_due_on))


async def set_permit_expiry(uow: UnitOfWork, case: Case) -> None:
    """Warn some weeks before a Berufserlaubnis ends and say when it has ended."""
    if case.valid_until is None:
        return
    until = case.valid_until
    data = {"licence": str(case.licence), "valid_until": until.isoformat()}
    for kind, due_at in ((LICENCE_EXPIRING, start_of(licence_warning_on(until))), (LICENCE_EXPIRED, passed(until))):
        await uow.schedule(
            kind=kind,
            participant_id=case.participant_id,
            due_at=due_at,
            data=data,
            timer_id=_timer_id(kind, case, until),
        )


async def cancel_permit_expiry(uow: UnitOfWork, case: Case) -> None:
    """A later licence supersedes the Berufserlaubnis the case held."""
    if case.valid_until is not None:
        for kind in (LICENCE_EXPIRING, LICENCE_EXPIRED):
            await uow.cancel_timer(_timer_id(kind, case, case.valid_until))


async def cancel_all(uow: UnitOfWork, case: Case) -> None:
    for timer_id in await store.pending_timers(uow.conn, case.participant_id):
        await uow.cancel_timer(timer_id)


async def raise_decision_overdue(uow: UnitOfWork, timer: Timer) -> None:
    due = date.fromisoformat(timer.data["decision_due_on"])
    case = await store.lock(uow.conn, timer.participant_id)
    if case is None or not case.awaits_decision_by(due):
        log.info("stale_timer_ignored", timer_id=timer.timer_id)
        return
    await uow.emit(DecisionOverdue(participant_id=case.participant_id, decision_due_on=due))


async def raise_licence_expiring(uow: UnitOfWork, timer: Timer) -> None:
    await _permit_timer(uow, timer, expired=False)


async def raise_licence_expired(uow: UnitOfWork, timer: Timer) -> None:
    await _permit_timer(uow, timer, expired=True)


async def _permit_timer(uow: UnitOfWork, timer: Timer, *, expired: bool) -> None:
    until = date.fromisoformat(timer.data["valid_until"])
    case = await store.lock(uow.conn, timer.participant_id)
    if case is None or not case.relies_on_permit_until(until):
        log.info("stale_timer_ignored", timer_id=timer.timer_id)
        return
    event = LicenceExpired if expired else LicenceExpiring
    licence = LicenceKind(timer.data["licence"])
    await uow.emit(event(participant_id=case.participant_id, licence=licence, valid_until=until))


TIMERS: dict[str, TimerHandler] = {
    DECISION_DUE: raise_decision_overdue,
    LICENCE_EXPIRING: raise_licence_expiring,
    LICENCE_EXPIRED: raise_licence_expired,
}
