"""Use cases of the directory: register, update and remove recipients, by command or from the directory file."""

from __future__ import annotations

from services.notifications import deliveries, directory_store
from services.notifications.directory_store import Origin
from services.notifications.domain import DirectoryChange, Recipient, change_of, updated
from shared.contracts.notifications import (
    DirectoryEvent,
    RecipientRegistered,
    RecipientRemoved,
    RecipientUpdated,
    RegisterRecipient,
    RemoveRecipient,
    UpdateRecipient,
)
from shared.contracts.rejections import RejectionReason
from shared.errors import Rejected
from shared.unit_of_work import UnitOfWork


async def register_recipient(uow: UnitOfWork, cmd: RegisterRecipient) -> None:
    if await directory_store.lock(uow.conn, cmd.recipient_id) is not None:
        raise Rejected(RejectionReason.ALREADY_EXISTS, f"recipient {cmd.recipient_id} is in the directory already")
    await apply(uow, recipient_from(cmd), "command")


async def update_recipient(uow: UnitOfWork, cmd: UpdateRecipient) -> None:
    existing = await _existing(uow, cmd.recipient_id)
    changes = cmd.model_dump(include={"email", "display_name", "regions", "milestones", "language"})
    await apply(uow, updated(existing, changes), "command")


async def remove_recipient(uow: UnitOfWork, cmd: RemoveRecipient) -> None:
    await _existing(uow, cmd.recipient_id)
    await directory_store.delete(uow.conn, cmd.recipient_id)
    await deliveries.cancel_pending_to(uow.conn, cmd.recipient_id, uow.now)
    await _emit(uow, RecipientRemoved(recipient_id=cmd.recipient_id))


async def apply(uow: UnitOfWork, recipient: Recipient, origin: Origin) -> DirectoryChange:
    """Make the directory hold `recipient`; announce what changed (nothing, when nothing did)."""
    change = change_of(await directory_store.lock(uow.conn, recipient.recipient_id), recipient)
    if change is DirectoryChange.NONE:
        return change
    await directory_store.save(uow.conn, recipient, origin, uow.now)
    if change is DirectoryChange.REGISTER:
        await _emit(
            uow,
            RecipientRegistered(
                recipient_id=recipient.recipient_id,
                recipient_kind=recipient.kind,
                partner_org=recipient.partner_org,
                consent_scope=recipient.consent_scope,
                regions=recipient.regions,
                milestones=recipient.milestones,
                language=recipient.language,
            ),
        )
    else:
        await _emit(
            uow,
            RecipientUpdated(
                recipient_id=recipient.recipient_id,
                regions=recipient.regions,
                milestones=recipient.milestones,
                language=recipient.language,
            ),
        )
    return change


def recipient_from(cmd: RegisterRecipient) -> Recipient:
    return Recipient(
        recipient_id=cmd.recipient_id,
        kind=cmd.recipient_kind,
        email=cmd.email,
        display_name=cmd.display_name,
        language=cmd.language,
        regions=cmd.regions,
        milestones=cmd.milestones,
        partner_org=cmd.partner_org,
        consent_scope=cmd.consent_scope,
    )


async def _existing(uow: UnitOfWork, recipient_id: str) -> Recipient:
    existing = await directory_store.lock(uow.conn, recipient_id)
    if existing is None:
        # No reason code names an unknown recipient; this one means "the stage has no record of the subject".
        raise Rejected(RejectionReason.UNKNOWN_RECIPIENT, f"no recipient {recipient_id} in the directory")
    return existing


async def _emit(uow: UnitOfWork, event: DirectoryEvent) -> None:
    await uow.emit(event)  # keyed by recipient_id
