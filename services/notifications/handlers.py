"""Use cases about participants: the copy from recruitment's events, milestones, opt-out and opt-in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from uuid import UUID

import structlog

from services.notifications import deliveries, directory_store, store
from services.notifications.domain import NotificationsError, ParticipantCopy, opt_in, opt_out, route
from services.notifications.store import MilestoneRef
from shared.contracts.enums import Milestone
from shared.contracts.envelope import Event
from shared.contracts.notifications import (
    NotificationSuppressed,
    OptInParticipant,
    OptOutParticipant,
    ParticipantOptedIn,
    ParticipantOptedOut,
    SuppressionReason,
)
from shared.contracts.recruitment import ConsentChanged, IntakeRecorded, ParticipantErased, ParticipantRecruited
from shared.contracts.rejections import RejectionReason
from shared.errors import Rejected
from shared.unit_of_work import UnitOfWork

log = structlog.get_logger()


async def record_milestone(uow: UnitOfWork, event: Event) -> None:
    """Any stage's milestone event: keep its facts and queue a mail to everyone the rules say."""
    copy = await store.lock_participant(uow.conn, event.participant_id, uow.now)
    await _reach(uow, event, copy)


async def participant_recruited(uow: UnitOfWork, event: ParticipantRecruited) -> None:
    """The participant becomes known: a milestone itself, and the milestones parked for them are routed now."""
    copy = await store.lock_participant(uow.conn, event.participant_id, uow.now)
    if not copy.erased:
        await store.set_recruited(
            uow.conn,
            event.participant_id,
            region=event.region,
            partner_org=event.partner_org,
            consents=event.consents,
            now=uow.now,
        )
        copy = replace(
            copy, recruited=True, region=event.region, partner_org=event.partner_org, consents=event.consents
        )
    await _reach(uow, event, copy)
    for ref in await store.parked(uow.conn, event.participant_id):
        await _route(uow, ref, copy)


async def intake_recorded(uow: UnitOfWork, event: IntakeRecorded) -> None:
    if not (await store.lock_participant(uow.conn, event.participant_id, uow.now)).erased:
        await store.set_region(uow.conn, event.participant_id, event.region, uow.now)


async def consent_changed(uow: UnitOfWork, event: ConsentChanged) -> None:
    if not (await store.lock_participant(uow.conn, event.participant_id, uow.now)).erased:
        await store.set_consents(uow.conn, event.participant_id, event.consents, uow.now)


async def participant_erased(uow: UnitOfWork, event: ParticipantErased) -> None:
    """Nothing more is mailed about them; what is held about them goes, the audit stays without the link."""
    await store.lock_participant(uow.conn, event.participant_id, uow.now)
    for ref in await store.parked(uow.conn, event.participant_id):
        await _suppress(uow, ref, None, SuppressionReason.PARTICIPANT_ERASED)
    await _stop_pending(uow, event.participant_id, SuppressionReason.PARTICIPANT_ERASED)
    await store.erase(uow.conn, event.participant_id, event.erased_on, uow.now)
    await uow.forget_participant(event.participant_id)


async def opt_out_participant(uow: UnitOfWork, cmd: OptOutParticipant) -> None:
    copy = await store.lock_participant(uow.conn, cmd.participant_id, uow.now)
    _check(opt_out, copy)
    await store.set_opted_out(uow.conn, cmd.participant_id, cmd.opted_out_on, uow.now)
    await uow.emit(ParticipantOptedOut(participant_id=cmd.participant_id, opted_out_on=cmd.opted_out_on))
    await _stop_pending(uow, cmd.participant_id, SuppressionReason.OPTED_OUT)


async def opt_in_participant(uow: UnitOfWork, cmd: OptInParticipant) -> None:
    copy = await store.lock_participant(uow.conn, cmd.participant_id, uow.now)
    _check(opt_in, copy)
    await store.set_opted_out(uow.conn, cmd.participant_id, None, uow.now)
    await uow.emit(ParticipantOptedIn(participant_id=cmd.participant_id, opted_in_on=cmd.opted_in_on))


def _check(rule: Callable[[ParticipantCopy], ParticipantCopy], copy: ParticipantCopy) -> None:
    try:
        rule(copy)
    except NotificationsError as error:
        raise Rejected(RejectionReason.NOT_ALLOWED_IN_STATE, str(error)) from None


async def _reach(uow: UnitOfWork, event: Event, copy: ParticipantCopy) -> None:
    milestone = type(event).marks_milestone
    assert milestone is not None, f"{type(event).__name__} is not a milestone"
    ref = MilestoneRef(uow.cause_id, type(event).ce_type(), milestone, event.participant_id)
    if not copy.erased:  # nothing more is kept about an erased participant
        facts = event.model_dump(mode="json", exclude={"participant_id"})
        await store.record_milestone(uow.conn, ref, facts, uow.now)
    await _route(uow, ref, copy)


async def _route(uow: UnitOfWork, ref: MilestoneRef, copy: ParticipantCopy) -> None:
    routing = route(ref.milestone, copy, await directory_store.everyone(uow.conn))
    if routing.parked:
        log.info("milestone_parked_until_participant_known", milestone=ref.milestone.value)
        return
    for recipient_id in routing.mail:
        await deliveries.record_pending(uow.conn, ref, recipient_id, uow.now)
    for suppression in routing.suppressed:
        await _suppress(uow, ref, suppression.recipient_id, suppression.reason)
    await store.mark_routed(uow.conn, ref.ce_id, uow.now)
    log.info("milestone_routed", milestone=ref.milestone.value, mails=len(routing.mail))


async def _suppress(uow: UnitOfWork, ref: MilestoneRef, recipient_id: str | None, reason: SuppressionReason) -> None:
    if await deliveries.record_suppressed(uow.conn, ref, recipient_id, reason, uow.now):
        await _emit_suppressed(uow, ref, recipient_id, reason)


async def _stop_pending(uow: UnitOfWork, participant_id: UUID, reason: SuppressionReason) -> None:
    """Mails queued but not sent yet are not sent; each is recorded as suppressed."""
    for row in await deliveries.suppress_pending(uow.conn, participant_id, reason, uow.now):
        ref = MilestoneRef(row["caused_by_id"], row["caused_by_type"], Milestone(row["milestone"]), participant_id)
        await _emit_suppressed(uow, ref, row["recipient_id"], reason)


async def _emit_suppressed(
    uow: UnitOfWork, ref: MilestoneRef, recipient_id: str | None, reason: SuppressionReason
) -> None:
    await uow.emit(
        NotificationSuppressed(
            participant_id=ref.participant_id,
            recipient_id=recipient_id,
            milestone=ref.milestone,
            caused_by_id=ref.ce_id,
            caused_by_type=ref.ce_type,
            reason=reason,
        )
    )
