"""Recruitment's use cases: one function per command it accepts."""

from __future__ import annotations

from typing import Any

import asyncpg

from services.recruitment import store
from services.recruitment.domain import Action, ParticipantStatus, RecruitmentError, check
from shared.contracts.enums import ISCO_08, ConsentScope, Profession
from shared.contracts.recruitment import (
    ConsentChanged,
    EraseParticipant,
    GrantConsent,
    IntakeRecorded,
    ParticipantErased,
    ParticipantRecruited,
    ParticipantWithdrawn,
    RecordIntake,
    RegisterCandidate,
    RevokeConsent,
    WithdrawParticipant,
)
from shared.contracts.rejections import RejectionReason
from shared.errors import Rejected
from shared.unit_of_work import UnitOfWork


async def register_candidate(uow: UnitOfWork, cmd: RegisterCandidate) -> None:
    if await store.lock(uow.conn, cmd.participant_id) is not None:
        raise Rejected(RejectionReason.ALREADY_EXISTS, f"participant {cmd.participant_id} is registered already")
    await store.insert(uow.conn, cmd, ParticipantStatus.ACTIVE, now=uow.now)
    await uow.emit(
        ParticipantRecruited(
            participant_id=cmd.participant_id,
            target_profession=cmd.target_profession,
            isco_code=ISCO_08.get(cmd.target_profession),
            country_of_training=cmd.country_of_training,
            language_level=cmd.language_level,
            residence=cmd.residence,
            region=cmd.region,
            referral_source=cmd.referral_source,
            partner_org=cmd.partner_org,
            consents=cmd.consents,
        )
    )


async def record_intake(uow: UnitOfWork, cmd: RecordIntake) -> None:
    row = await _transition(uow.conn, cmd.participant_id, Action.RECORD_INTAKE)
    changes = {name: value for name in store.PROFILE if (value := getattr(cmd, name)) is not None}
    await store.update_profile(uow.conn, cmd.participant_id, changes, uow.now)
    profile: dict[str, Any] = {name: changes.get(name, row[name]) for name in store.PROFILE}
    profession = Profession(profile["target_profession"])
    await uow.emit(
        IntakeRecorded(
            participant_id=cmd.participant_id,
            recorded_on=cmd.recorded_on,
            isco_code=ISCO_08.get(profession),
            **profile,
        )
    )


async def grant_consent(uow: UnitOfWork, cmd: GrantConsent) -> None:
    row = await _transition(uow.conn, cmd.participant_id, Action.GRANT_CONSENT)
    await _change_consents(uow, cmd.participant_id, set(row["consents"]) | set(cmd.scopes), cmd.given_on)


async def revoke_consent(uow: UnitOfWork, cmd: RevokeConsent) -> None:
    row = await _transition(uow.conn, cmd.participant_id, Action.REVOKE_CONSENT)
    await _change_consents(uow, cmd.participant_id, set(row["consents"]) - set(cmd.scopes), cmd.revoked_on)


async def withdraw_participant(uow: UnitOfWork, cmd: WithdrawParticipant) -> None:
    await _transition(uow.conn, cmd.participant_id, Action.WITHDRAW)
    await store.set_status(uow.conn, cmd.participant_id, ParticipantStatus.WITHDRAWN, uow.now)
    await uow.emit(
        ParticipantWithdrawn(participant_id=cmd.participant_id, reason=cmd.reason, withdrawn_on=cmd.withdrawn_on)
    )


async def erase_participant(uow: UnitOfWork, cmd: EraseParticipant) -> None:
    await _transition(uow.conn, cmd.participant_id, Action.ERASE)
    await store.erase_personal_data(uow.conn, cmd.participant_id, uow.now)
    await uow.forget_participant(cmd.participant_id)  # published rejections may hold the personal data sent
    await uow.emit(ParticipantErased(participant_id=cmd.participant_id, basis=cmd.basis, erased_on=uow.now.date()))


async def _transition(conn: asyncpg.Connection, participant_id: Any, action: Action) -> asyncpg.Record:
    row = await store.lock(conn, participant_id)
    if row is None:
        raise Rejected(RejectionReason.UNKNOWN_PARTICIPANT, f"no participant {participant_id} in recruitment")
    try:
        check(action, ParticipantStatus(row["status"]))
    except RecruitmentError as error:
        raise Rejected(RejectionReason.NOT_ALLOWED_IN_STATE, str(error)) from None
    return row


async def _change_consents(uow: UnitOfWork, participant_id: Any, consents: set[str], changed_on: Any) -> None:
    await store.set_consents(uow.conn, participant_id, consents, uow.now)
    await uow.emit(
        ConsentChanged(
            participant_id=participant_id, consents=frozenset(ConsentScope(c) for c in consents), changed_on=changed_on
        )
    )
