"""Recruitment's use cases: one function per command it accepts; each loads, lets the domain decide, saves, emits."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from services.recruitment import domain, store
from services.recruitment.domain import Participant
from shared.calendar import german_date
from shared.contracts.recruitment import (
    EraseParticipant,
    GrantConsent,
    RecordIntake,
    RegisterCandidate,
    RevokeConsent,
    WithdrawParticipant,
)
from shared.decision import Decision
from shared.handling import change
from shared.unit_of_work import UnitOfWork


async def register_candidate(uow: UnitOfWork, cmd: RegisterCandidate) -> None:
    decision = domain.register(await store.lock(uow.conn, cmd.participant_id), cmd)
    await store.insert(uow.conn, decision.state, uow.now)
    await uow.carry_out(decision)


async def record_intake(uow: UnitOfWork, cmd: RecordIntake) -> None:
    await _change(uow, cmd.participant_id, lambda p: domain.record_intake(p, cmd))


async def grant_consent(uow: UnitOfWork, cmd: GrantConsent) -> None:
    await _change(uow, cmd.participant_id, lambda p: domain.grant_consent(p, cmd))


async def revoke_consent(uow: UnitOfWork, cmd: RevokeConsent) -> None:
    await _change(uow, cmd.participant_id, lambda p: domain.revoke_consent(p, cmd))


async def withdraw_participant(uow: UnitOfWork, cmd: WithdrawParticipant) -> None:
    await _change(uow, cmd.participant_id, lambda p: domain.withdraw(p, cmd))


async def erase_participant(uow: UnitOfWork, cmd: EraseParticipant) -> None:
    await _change(uow, cmd.participant_id, lambda p: domain.erase(p, cmd, german_date(uow.now)))
    await uow.forget_participant(cmd.participant_id)  # published rejections may hold the personal data sent


async def _change(
    uow: UnitOfWork, participant_id: UUID, decide: Callable[[Participant], Decision[Participant]]
) -> None:
    missing = f"no participant {participant_id} in recruitment"
    await change(uow, participant_id, load=store.lock, save=store.save, decide=decide, missing=missing)
