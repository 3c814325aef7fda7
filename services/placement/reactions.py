"""Placement's reactions to other stages' facts: a case opens on recruitment, follows the participant's life cycle
(withdrawal, completion, reactivation) and district, goes on erasure; it keeps recognition's latest licence and
marks an employment whose Berufserlaubnis ended. Another stage's fact is never refused: what does not apply to the
case is left as it is."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

import structlog

from services.placement import store
from services.placement.domain import case, licences, life_cycle
from services.placement.domain.case import Placement
from shared.contracts.recognition import LicenceExpired, LicenceGranted
from shared.contracts.recruitment import (
    IntakeRecorded,
    ParticipantReactivated,
    ParticipantRecruited,
    ParticipantWithdrawn,
    ParticipationCompleted,
)
from shared.decision import Decision
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


async def intake_recorded(uow: UnitOfWork, event: IntakeRecorded) -> None:
    await _react(uow, event.participant_id, lambda p: life_cycle.intake_recorded(p, event))


async def close_case(uow: UnitOfWork, event: ParticipantWithdrawn) -> None:
    await _react(uow, event.participant_id, lambda p: life_cycle.withdraw(p, event))


async def participation_completed(uow: UnitOfWork, event: ParticipationCompleted) -> None:
    await _react(uow, event.participant_id, lambda p: life_cycle.complete(p, event))


async def participant_reactivated(uow: UnitOfWork, event: ParticipantReactivated) -> None:
    await _react(uow, event.participant_id, lambda p: life_cycle.reactivate(p, event))


erase_participant = erasure(store.delete)


# Kafka orders no two topics, so a licence fact may come before the recruitment opened the case. It opens no case:
# one made from a late fact could outlive an erasure applied first. Nothing is lost that matters: a case that knows
# no licence trusts the `LicenceExpired` (recognition raises it only while the permit is the latest licence).
async def licence_granted(uow: UnitOfWork, event: LicenceGranted) -> None:
    await _react(uow, event.participant_id, lambda p: licences.licence_granted(p, event))


async def licence_expired(uow: UnitOfWork, event: LicenceExpired) -> None:
    await _react(uow, event.participant_id, lambda p: licences.licence_expired(p, event))


async def _react(uow: UnitOfWork, participant_id: UUID, decide: Callable[[Placement], Decision[Placement]]) -> None:
    await react(uow, participant_id, load=store.lock, save=store.save, decide=decide)
