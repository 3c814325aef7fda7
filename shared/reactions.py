"""Reactions every stage with a participant's state has to recruitment's facts, written once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from uuid import UUID

import asyncpg

from shared.contracts.recruitment import ParticipantErased
from shared.unit_of_work import UnitOfWork

Delete = Callable[[asyncpg.Connection, UUID], Awaitable[None]]


def erasure(delete: Delete) -> Callable[[UnitOfWork, ParticipantErased], Awaitable[None]]:
    """The reaction to `ParticipantErased`: the stage's own rows about the participant (`delete`, which waits for
    whatever still works on them), then its timers and the outbox rows published about them."""

    async def erase_participant(uow: UnitOfWork, event: ParticipantErased) -> None:
        await delete(uow.conn, event.participant_id)
        await uow.forget_participant(event.participant_id)

    return erase_participant
