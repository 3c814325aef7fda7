"""Recruitment's use cases: one function per command it accepts; each loads, lets the domain decide, saves, emits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from uuid import UUID

from services.recruitment import counselling_store, domain, organisation_store, rights_store, store
from services.recruitment.domain import Participant
from services.recruitment.settings import DEFAULT_COPIES_WINDOW
from shared.calendar import german_date
from shared.contracts.organisations import HandOverLead, InvolveOrganisation, RegisterOrganisation, ReleaseOrganisation
from shared.contracts.recruitment import (
    CompleteParticipation,
    EraseParticipant,
    GrantConsent,
    PauseParticipation,
    ReactivateParticipant,
    RecordIntake,
    RegisterCandidate,
    ResumeParticipation,
    RevokeConsent,
    WithdrawParticipant,
)
from shared.decision import Decision
from shared.handling import change
from shared.unit_of_work import UnitOfWork


async def register_candidate(uow: UnitOfWork, cmd: RegisterCandidate) -> None:
    decision = domain.register(await store.lock(uow.conn, cmd.participant_id), cmd, german_date(uow.now))
    await store.insert(uow.conn, decision.state, uow.now)
    await uow.carry_out(decision)


async def record_intake(uow: UnitOfWork, cmd: RecordIntake) -> None:
    await _change(uow, cmd.participant_id, lambda p: domain.record_intake(p, cmd))


async def grant_consent(uow: UnitOfWork, cmd: GrantConsent) -> None:
    await _change(uow, cmd.participant_id, lambda p: domain.grant_consent(p, cmd))


async def revoke_consent(uow: UnitOfWork, cmd: RevokeConsent) -> None:
    await _change(uow, cmd.participant_id, lambda p: domain.revoke_consent(p, cmd))


async def pause_participation(uow: UnitOfWork, cmd: PauseParticipation) -> None:
    await _change(uow, cmd.participant_id, lambda p: domain.pause(p, cmd))


async def resume_participation(uow: UnitOfWork, cmd: ResumeParticipation) -> None:
    await _change(uow, cmd.participant_id, lambda p: domain.resume(p, cmd))


async def complete_participation(uow: UnitOfWork, cmd: CompleteParticipation) -> None:
    await _change(uow, cmd.participant_id, lambda p: domain.complete(p, cmd))


async def withdraw_participant(uow: UnitOfWork, cmd: WithdrawParticipant) -> None:
    await _change(uow, cmd.participant_id, lambda p: domain.withdraw(p, cmd))


async def reactivate_participant(uow: UnitOfWork, cmd: ReactivateParticipant) -> None:
    await _change(uow, cmd.participant_id, lambda p: domain.reactivate(p, cmd))


async def erase_participant(
    uow: UnitOfWork, cmd: EraseParticipant, *, copies: timedelta = DEFAULT_COPIES_WINDOW
) -> None:
    """`copies`: how long a copy may outlive the erasure elsewhere (topics, backups; `settings.copies_window`)."""
    await _change(uow, cmd.participant_id, lambda p: domain.erase(p, cmd, german_date(uow.now), uow.now + copies))
    await forget(uow, cmd.participant_id)


async def forget(uow: UnitOfWork, participant_id: UUID) -> None:
    """What an erasure removes besides the participant's state: runtime rows, counselling links, rights records."""
    await uow.forget_participant(participant_id)  # published rejections may hold the personal data sent
    await counselling_store.forget_participant(uow.conn, participant_id)  # the counts stay, anonymous
    await rights_store.forget_participant(uow.conn, participant_id)


async def register_organisation(uow: UnitOfWork, cmd: RegisterOrganisation) -> None:
    """Keyed by `org_id`, not by a participant (like the notifications directory's recipients)."""
    existing = await organisation_store.find(uow.conn, cmd.org_id, lock=True)
    decision = domain.register_organisation(existing, cmd, sender=uow.partner)
    await organisation_store.save(uow.conn, decision.state, uow.now)
    await uow.carry_out(decision)


async def involve_organisation(uow: UnitOfWork, cmd: InvolveOrganisation) -> None:
    organisation = await organisation_store.find(uow.conn, cmd.org_id)
    await _change(uow, cmd.participant_id, lambda p: domain.involve(p, organisation, cmd))


async def release_organisation(uow: UnitOfWork, cmd: ReleaseOrganisation) -> None:
    await _change(uow, cmd.participant_id, lambda p: domain.release(p, cmd))


async def hand_over_lead(uow: UnitOfWork, cmd: HandOverLead) -> None:
    await _change(uow, cmd.participant_id, lambda p: domain.hand_over_lead(p, cmd))


async def _change(
    uow: UnitOfWork, participant_id: UUID, decide: Callable[[Participant], Decision[Participant]]
) -> None:
    missing = f"no participant {participant_id} in recruitment"
    await change(uow, participant_id, load=store.lock, save=store.save, decide=decide, missing=missing)
