"""Notifications' use cases for its commands: the directory of recipients, and a participant's opt-out and opt-in.
Each loads, lets the domain decide, saves, emits."""

from __future__ import annotations

from services.notifications import delivery_store, digest_store, directory_store, domain, store
from services.notifications.directory_store import Origin
from services.notifications.domain import DirectoryChange, Recipient
from shared.contracts.notifications import (
    OptInParticipant,
    OptOutParticipant,
    RegisterRecipient,
    RemoveRecipient,
    UpdateRecipient,
)
from shared.unit_of_work import UnitOfWork


async def register_recipient(uow: UnitOfWork, cmd: RegisterRecipient) -> None:
    existing = await directory_store.lock(uow.conn, cmd.recipient_id)
    decision = domain.register_recipient(existing, cmd)
    await directory_store.save(uow.conn, decision.state, "command", uow.now)
    await uow.carry_out(decision)


async def update_recipient(uow: UnitOfWork, cmd: UpdateRecipient) -> None:
    existing = await directory_store.lock(uow.conn, cmd.recipient_id)
    decision = domain.update_recipient(existing, cmd)
    if decision.state != existing:
        await directory_store.save(uow.conn, decision.state, "command", uow.now)
    await uow.carry_out(decision)


async def remove_recipient(uow: UnitOfWork, cmd: RemoveRecipient) -> None:
    decision = domain.remove_recipient(await directory_store.lock(uow.conn, cmd.recipient_id), cmd)
    await directory_store.delete(uow.conn, cmd.recipient_id)
    await delivery_store.cancel_pending_to(uow.conn, cmd.recipient_id, uow.now)
    await digest_store.drop_waiting_to(uow.conn, cmd.recipient_id)
    await uow.carry_out(decision)


async def apply_recipient(uow: UnitOfWork, wanted: Recipient, origin: Origin) -> DirectoryChange:
    """Make the directory hold `wanted` (e.g. from the directory file); announce what changed, if anything."""
    existing = await directory_store.lock(uow.conn, wanted.recipient_id)
    decision = domain.apply_recipient(existing, wanted)
    if decision.state != existing:
        await directory_store.save(uow.conn, decision.state, origin, uow.now)
    await uow.carry_out(decision)
    return domain.change_of(existing, wanted)


async def opt_out_participant(uow: UnitOfWork, cmd: OptOutParticipant) -> None:
    participant = await store.lock(uow.conn, cmd.participant_id, uow.now)
    pending = await delivery_store.lock_pending(uow.conn, cmd.participant_id)
    decision = domain.opt_out(participant, cmd, pending)
    await store.save(uow.conn, participant, decision.state, uow.now)
    await digest_store.drop_waiting(uow.conn, cmd.participant_id)
    await uow.carry_out(decision)


async def opt_in_participant(uow: UnitOfWork, cmd: OptInParticipant) -> None:
    participant = await store.lock(uow.conn, cmd.participant_id, uow.now)
    decision = domain.opt_in(participant, cmd)
    await store.save(uow.conn, participant, decision.state, uow.now)
    await uow.carry_out(decision)
