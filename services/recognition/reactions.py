"""What recognition does with other stages' facts: recruitment's open, retarget, close, reopen and erase cases;
qualification's tell whether a licence may follow. Another stage's fact is never refused: a case that does not
exist (not opened yet, or erased) is left alone."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from services.recognition import domain, store
from services.recognition.domain import Case
from shared import handling
from shared.calendar import german_date
from shared.contracts.qualification import ExamFinallyFailed, QualificationCompleted
from shared.contracts.recruitment import (
    IntakeRecorded,
    ParticipantReactivated,
    ParticipantRecruited,
    ParticipantWithdrawn,
)
from shared.decision import Decision
from shared.reactions import erasure
from shared.unit_of_work import UnitOfWork


async def open_case(uow: UnitOfWork, event: ParticipantRecruited) -> None:
    existing = await store.lock(uow.conn, event.participant_id)
    decision = domain.open_case(existing, event, german_date(uow.now))
    if existing is None:
        await store.insert(uow.conn, decision.state, uow.now)
    await uow.carry_out(decision)


async def retarget_case(uow: UnitOfWork, event: IntakeRecorded) -> None:
    await react(uow, event.participant_id, lambda case: domain.retarget(case, event))


async def close_case(uow: UnitOfWork, event: ParticipantWithdrawn) -> None:
    await react(uow, event.participant_id, lambda case: domain.close(case, event, uow.now))


async def reopen_case(uow: UnitOfWork, event: ParticipantReactivated) -> None:
    await react(uow, event.participant_id, lambda case: domain.reopen(case, event, uow.now))


erase_case = erasure(store.delete)


async def qualification_completed(uow: UnitOfWork, event: QualificationCompleted) -> None:
    await react(uow, event.participant_id, lambda case: domain.qualified(case, event))


async def exam_finally_failed(uow: UnitOfWork, event: ExamFinallyFailed) -> None:
    await react(uow, event.participant_id, lambda case: domain.finally_failed(case, event))


async def react(uow: UnitOfWork, participant_id: UUID, decide: Callable[[Case], Decision[Case]]) -> None:
    await handling.react(uow, participant_id, load=store.lock, save=store.save, decide=decide)
