"""Recruitment's use cases: one function per command it accepts."""

from __future__ import annotations

from shared.contracts.enums import ISCO_08
from shared.contracts.recruitment import ParticipantRecruited, RegisterCandidate
from shared.contracts.rejections import RejectionReason
from shared.errors import Rejected
from shared.unit_of_work import UnitOfWork
from services.recruitment import store
from services.recruitment.domain import ParticipantStatus


async def register_candidate(uow: UnitOfWork, cmd: RegisterCandidate) -> None:
    if await store.exists(uow.conn, cmd.participant_id):
        raise Rejected(RejectionReason.ALREADY_EXISTS, f"participant {cmd.participant_id} is registered already")
    await store.insert(uow.conn, cmd, ParticipantStatus.ACTIVE, registered_by=cmd.partner_org, now=uow.now)
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
