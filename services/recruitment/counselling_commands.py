"""Recruitment's use cases for counselling: a first contact (keyed by contact_id), a session, a link."""

from __future__ import annotations

from uuid import UUID

from services.recruitment import counselling, counselling_store, organisation_store, store
from services.recruitment.counselling import Counselled
from shared.contracts.counselling import LinkFirstContact, RecordCounsellingSession, RecordFirstContact
from shared.contracts.recruitment import ParticipantStatus
from shared.refusals import known
from shared.unit_of_work import UnitOfWork


async def record_first_contact(uow: UnitOfWork, cmd: RecordFirstContact) -> None:
    """Nobody is registered: the contact is its own key, like an organisation or a directory recipient."""
    existing = await counselling_store.lock_contact(uow.conn, cmd.contact_id)
    counselled = None if cmd.counselled_org is None else await organisation_store.find(uow.conn, cmd.counselled_org)
    decision = counselling.record_first_contact(existing, cmd, None if counselled is None else counselled.kind)
    await counselling_store.insert_contact(uow.conn, cmd, uow.now)
    await uow.carry_out(decision)


async def record_counselling_session(uow: UnitOfWork, cmd: RecordCounsellingSession) -> None:
    participant = await _counselled(uow, cmd.participant_id)
    held = await counselling_store.sessions_on(uow.conn, cmd.participant_id, cmd.held_on)
    decision = counselling.record_session(participant, cmd, held)
    await counselling_store.insert_session(uow.conn, UUID(uow.new_id("counselling_session")), cmd, uow.now)
    await uow.carry_out(decision)


async def link_first_contact(uow: UnitOfWork, cmd: LinkFirstContact) -> None:
    participant = await _counselled(uow, cmd.participant_id)  # locked first, then the contact: one order always
    contact = await counselling_store.lock_contact(uow.conn, cmd.contact_id)
    decision = counselling.link(participant, contact, cmd)
    await counselling_store.save_link(uow.conn, decision.state, uow.now)
    await uow.carry_out(decision)


async def _counselled(uow: UnitOfWork, participant_id: UUID) -> Counselled:
    """The registered participant, locked (keeps one participant's events in order), or `unknown_participant`."""
    participant = known(await store.lock(uow.conn, participant_id), f"no participant {participant_id} in recruitment")
    return Counselled(participant_id, erased=participant.status is ParticipantStatus.ERASED)
