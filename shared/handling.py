"""The one shape of a use case: load the state (locked), let the domain decide, save the state, carry out the rest."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar
from uuid import UUID

import asyncpg

from shared.decision import Decision
from shared.refusals import known
from shared.unit_of_work import UnitOfWork

S = TypeVar("S")
Load = Callable[[asyncpg.Connection, UUID], Awaitable[S | None]]
Save = Callable[[asyncpg.Connection, S, datetime], Awaitable[None]]


async def change(
    uow: UnitOfWork,
    participant_id: UUID,
    *,
    load: Load[S],
    save: Save[S],
    decide: Callable[[S], Decision[S]],
    missing: str,
) -> Decision[S]:
    """Lock the participant's state (or refuse with `unknown_participant`, saying `missing`), decide, save the new
    state when it changed, record the events and due dates; the decision is returned for what the caller logs."""
    before = known(await load(uow.conn, participant_id), missing)
    decision = decide(before)
    if decision.state != before:
        await save(uow.conn, decision.state, uow.now)
    await uow.carry_out(decision)
    return decision


async def react(
    uow: UnitOfWork,
    participant_id: UUID,
    *,
    load: Load[S],
    save: Save[S],
    decide: Callable[[S], Decision[S]],
) -> Decision[S] | None:
    """`change` for another stage's fact or a due date: never refused; when the stage holds no state for the
    participant (not known yet, or erased) nothing happens and None is returned."""
    before = await load(uow.conn, participant_id)
    if before is None:
        return None
    decision = decide(before)
    if decision.state != before:
        await save(uow.conn, decision.state, uow.now)
    await uow.carry_out(decision)
    return decision
