"""Notifications' use cases for other stages' facts: every stage's milestones, and recruitment's facts about the
participant (the copy the rules read: region, consents, the organisations involved and the lead, a pause). Each
loads, lets the domain decide, saves, emits."""

from __future__ import annotations

from collections.abc import Sequence

import structlog

from services.notifications import delivery_store, directory_store, domain, store
from services.notifications.domain import Mailing, Recipient
from shared.contracts.envelope import Event
from shared.contracts.organisations import (
    LeadHandedOver,
    OrganisationInvolved,
    OrganisationRegistered,
    OrganisationReleased,
)
from shared.contracts.recruitment import (
    ConsentChanged,
    IntakeRecorded,
    ParticipantErased,
    ParticipantRecruited,
    ParticipationPaused,
)
from shared.decision import Decision
from shared.unit_of_work import UnitOfWork

log = structlog.get_logger()


async def record_milestone(uow: UnitOfWork, event: Event) -> None:
    """Any stage's milestone event: keep its facts and queue a mail to everyone the rules say."""
    participant = await store.lock(uow.conn, event.participant_id, uow.now)
    directory = await directory_store.everyone(uow.conn)
    decision = domain.reach(participant, event, uow.cause_id, directory)
    await store.save(uow.conn, participant, decision.state, uow.now, uow.occurred_at)
    await uow.carry_out(decision)
    _log(decision)


async def participant_recruited(uow: UnitOfWork, event: ParticipantRecruited) -> None:
    """The participant becomes known: a milestone itself, and the milestones parked for them are addressed now."""
    participant = await store.lock(uow.conn, event.participant_id, uow.now)
    parked = await store.parked(uow.conn, event.participant_id)
    directory = await directory_store.everyone(uow.conn)
    decision = domain.recruited(participant, event, uow.cause_id, parked, directory)
    await store.save(uow.conn, participant, decision.state, uow.now, uow.occurred_at)
    await uow.carry_out(decision)
    _log(decision)


async def organisation_involved(uow: UnitOfWork, event: OrganisationInvolved) -> None:
    """The organisation takes part from now on, and hears of what happened since that was mailed before this stage
    read the involvement (it comes on recruitment's topic, the milestones on their stages')."""
    participant = await store.lock(uow.conn, event.participant_id, uow.now)
    directory = await directory_store.everyone(uow.conn)
    decision = domain.involved(participant, event)
    decision = decision.then(await _catch_up(uow, decision.state, event.org_id, directory))
    await store.save(uow.conn, participant, decision.state, uow.now, uow.occurred_at)
    await uow.carry_out(decision)


async def organisation_released(uow: UnitOfWork, event: OrganisationReleased) -> None:
    participant = await store.lock(uow.conn, event.participant_id, uow.now)
    decision = domain.released(participant, event)
    await store.save(uow.conn, participant, decision.state, uow.now, uow.occurred_at)


async def lead_handed_over(uow: UnitOfWork, event: LeadHandedOver) -> None:
    """A milestone told to both sides of the handover; the new lead is told every later one."""
    participant = await store.lock(uow.conn, event.participant_id, uow.now)
    directory = await directory_store.everyone(uow.conn)
    decision = domain.lead_handed_over(participant, event, uow.cause_id, directory)
    decision = decision.then(await _catch_up(uow, decision.state, event.to_org, directory))
    await store.save(uow.conn, participant, decision.state, uow.now, uow.occurred_at)
    await uow.carry_out(decision)
    _log(decision)


async def participation_paused(uow: UnitOfWork, event: ParticipationPaused) -> None:
    """A milestone; the programme's reminders about the participant are not mailed until the pause ends."""
    participant = await store.lock(uow.conn, event.participant_id, uow.now)
    directory = await directory_store.everyone(uow.conn)
    decision = domain.paused(participant, event, uow.cause_id, directory)
    await store.save(uow.conn, participant, decision.state, uow.now, uow.occurred_at)
    await uow.carry_out(decision)
    _log(decision)


async def pause_ended(uow: UnitOfWork, event: domain.PauseEnd) -> None:
    """A return, completion, drop-out or reactivation: a milestone, and the end of a pause."""
    participant = await store.lock(uow.conn, event.participant_id, uow.now)
    directory = await directory_store.everyone(uow.conn)
    decision = domain.pause_ended(participant, event, uow.cause_id, directory)
    await store.save(uow.conn, participant, decision.state, uow.now, uow.occurred_at)
    await uow.carry_out(decision)
    _log(decision)


async def intake_recorded(uow: UnitOfWork, event: IntakeRecorded) -> None:
    participant = await store.lock(uow.conn, event.participant_id, uow.now)
    decision = domain.intake_recorded(participant, event)
    await store.save(uow.conn, participant, decision.state, uow.now, uow.occurred_at)
    await uow.carry_out(decision)


async def consent_changed(uow: UnitOfWork, event: ConsentChanged) -> None:
    participant = await store.lock(uow.conn, event.participant_id, uow.now)
    decision = domain.consent_changed(participant, event)
    await store.save(uow.conn, participant, decision.state, uow.now, uow.occurred_at)
    await uow.carry_out(decision)


async def participant_erased(uow: UnitOfWork, event: ParticipantErased) -> None:
    """Nothing more is mailed about them; what is held about them goes, the audit stays without the link.

    Not `shared.reactions.erasure`: this stage keeps the pseudonym and the day (later milestones are suppressed,
    not mailed) and announces each mail it will not send."""
    participant = await store.lock(uow.conn, event.participant_id, uow.now)
    parked = await store.parked(uow.conn, event.participant_id)
    pending = await delivery_store.lock_pending(uow.conn, event.participant_id)
    decision = domain.erased(participant, event, parked, pending)
    await store.save(uow.conn, participant, decision.state, uow.now, uow.occurred_at)
    await uow.carry_out(decision)
    await uow.forget_participant(event.participant_id)


async def organisation_registered(uow: UnitOfWork, event: OrganisationRegistered) -> None:
    """Mails name organisations: keep the name (a registration without one keeps the name known before)."""
    await uow.conn.execute(
        "INSERT INTO organisations (org_id, name, updated_at) VALUES ($1, $2, $3) ON CONFLICT (org_id) DO UPDATE"
        " SET name = coalesce(EXCLUDED.name, organisations.name), updated_at = EXCLUDED.updated_at",
        event.org_id,
        event.name,
        uow.now,
    )


async def _catch_up(
    uow: UnitOfWork, mailing: Mailing, org_id: str, directory: Sequence[Recipient]
) -> Decision[Mailing]:
    """Address `org_id`'s mailboxes about the participant's milestones since the fact handled happened."""
    if uow.occurred_at is None:
        return Decision(mailing)
    mailboxes = [r.recipient_id for r in directory if r.partner_org == org_id]
    if not mailboxes:
        return Decision(mailing)
    missed = await store.addressed_since(uow.conn, mailing.participant.participant_id, uow.occurred_at, mailboxes)
    return domain.catch_up(mailing, org_id, missed, directory)


def _log(decision: Decision[Mailing]) -> None:
    mailing = decision.state
    addressed = {ref.ce_id for ref in mailing.addressed}
    for kept in mailing.kept:
        if kept.ref.ce_id not in addressed:
            log.info("milestone_parked_until_participant_known", milestone=kept.ref.milestone.value)
    for ref in mailing.addressed:
        mails = sum(1 for d in mailing.queued if d.about == ref)
        log.info("milestone_addressed", milestone=ref.milestone.value, mails=mails)
