"""Placement's copy of recruitment's facts: a case opens on recruitment, closes on withdrawal, goes on erasure."""

from __future__ import annotations

import structlog

from services.placement import domain, retention, store
from shared.contracts.recruitment import ParticipantErased, ParticipantRecruited, ParticipantWithdrawn
from shared.unit_of_work import UnitOfWork

log = structlog.get_logger()


async def open_case(uow: UnitOfWork, event: ParticipantRecruited) -> None:
    if not await store.open_case(uow.conn, event.participant_id, uow.now):
        log.info("placement_case_exists")


async def close_case(uow: UnitOfWork, event: ParticipantWithdrawn) -> None:
    """Another stage's fact is never refused: a case that is missing or closed already is left as it is."""
    before = await store.lock(uow.conn, event.participant_id)
    if before is None or before.status is domain.CaseStatus.WITHDRAWN:
        log.info("placement_case_not_open")
        return
    await store.save(uow.conn, event.participant_id, domain.withdraw(before), uow.now)
    await retention.cancel(uow, event.participant_id, before.current_offer)


async def erase(uow: UnitOfWork, event: ParticipantErased) -> None:
    await store.lock(uow.conn, event.participant_id)  # waits for a command or timer still working on the case
    await store.erase(uow.conn, event.participant_id)
    await uow.forget_participant(event.participant_id)
