"""Placement's reactions to recruitment's facts: a case opens on recruitment, closes on withdrawal, goes on erasure.
Another stage's fact is never refused: what does not apply to the case is left as it is."""

from __future__ import annotations

import structlog

from services.placement import store
from services.placement.domain import case
from shared.contracts.recruitment import ParticipantRecruited, ParticipantWithdrawn
from shared.handling import react
from shared.reactions import erasure
from shared.unit_of_work import UnitOfWork

log = structlog.get_logger()


async def open_case(uow: UnitOfWork, event: ParticipantRecruited) -> None:
    existing = await store.lock(uow.conn, event.participant_id)
    decision = case.open_case(existing, event)
    if decision.state == existing:
        log.info("placement_case_exists")
        return
    await store.insert(uow.conn, decision.state, uow.now)
    await uow.carry_out(decision)


async def close_case(uow: UnitOfWork, event: ParticipantWithdrawn) -> None:
    await react(uow, event.participant_id, load=store.lock, save=store.save, decide=lambda p: case.withdraw(p, event))


erase_participant = erasure(store.delete)
