"""Recognition's due dates: what happens when one passes (the domain says whether it still matters)."""

from __future__ import annotations

from datetime import date

from services.recognition import domain
from services.recognition.domain import DueDate
from services.recognition.reactions import react
from shared.contracts.recognition import LicenceKind
from shared.timers import Timer, TimerHandler
from shared.unit_of_work import UnitOfWork


async def receipt_overdue(uow: UnitOfWork, timer: Timer) -> None:
    submitted_on = date.fromisoformat(timer.data["submitted_on"])
    due_on, track = date.fromisoformat(timer.data["receipt_due_on"]), domain.Track(timer.data["track"])
    await react(uow, timer.participant_id, lambda case: domain.receipt_overdue(case, submitted_on, due_on, track))


async def documents_overdue(uow: UnitOfWork, timer: Timer) -> None:
    due_on = date.fromisoformat(timer.data["documents_due_on"])
    await react(uow, timer.participant_id, lambda case: domain.documents_overdue(case, due_on))


async def decision_overdue(uow: UnitOfWork, timer: Timer) -> None:
    due_on = date.fromisoformat(timer.data["decision_due_on"])
    await react(uow, timer.participant_id, lambda case: domain.decision_overdue(case, due_on))


async def licence_expiring(uow: UnitOfWork, timer: Timer) -> None:
    await _licence_ending(uow, timer, expired=False)


async def licence_expired(uow: UnitOfWork, timer: Timer) -> None:
    await _licence_ending(uow, timer, expired=True)


async def _licence_ending(uow: UnitOfWork, timer: Timer, *, expired: bool) -> None:
    licence, until = LicenceKind(timer.data["licence"]), date.fromisoformat(timer.data["valid_until"])
    await react(uow, timer.participant_id, lambda case: domain.licence_ending(case, licence, until, expired=expired))


TIMERS: dict[str, TimerHandler] = {
    DueDate.RECEIPT: receipt_overdue,
    DueDate.DOCUMENTS: documents_overdue,
    DueDate.DECISION: decision_overdue,
    DueDate.LICENCE_EXPIRING: licence_expiring,
    DueDate.LICENCE_EXPIRED: licence_expired,
}
