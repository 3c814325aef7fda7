"""asyncpg SQL for the recruitment schema: participants in, participants out."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg

from services.recruitment.domain import Participant, ParticipantStatus, Profile
from shared.contracts.enums import CefrLevel, ConsentScope, Profession, ReferralSource, Residence
from shared.contracts.recruitment import PersonalData


async def lock(conn: asyncpg.Connection, participant_id: UUID) -> Participant | None:
    """The participant, locked until the transaction ends (keeps one participant's events in order)."""
    row = await conn.fetchrow("SELECT * FROM participants WHERE participant_id = $1 FOR UPDATE", participant_id)
    if row is None:
        return None
    return Participant(
        participant_id=participant_id,
        status=ParticipantStatus(row["status"]),
        profile=Profile(
            target_profession=Profession(row["target_profession"]),
            country_of_training=row["country_of_training"],
            language_level=CefrLevel(row["language_level"]),
            residence=Residence(row["residence"]),
            region=row["region"],
            occupation=row["occupation"],
        ),
        partner_org=row["partner_org"],
        referral_source=ReferralSource(row["referral_source"]),
        consents=frozenset(ConsentScope(c) for c in row["consents"]),
        personal=None if row["personal"] is None else PersonalData.model_validate_json(row["personal"]),
    )


async def insert(conn: asyncpg.Connection, participant: Participant, now: datetime) -> None:
    await conn.execute(
        "INSERT INTO participants (participant_id, status, partner_org, region, target_profession,"
        " country_of_training, language_level, residence, referral_source, consents, personal, occupation,"
        " registered_by, recruited_at, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $3, $13, $13)",
        participant.participant_id,
        *_columns(participant),
        now,
    )


async def save(conn: asyncpg.Connection, participant: Participant, now: datetime) -> None:
    await conn.execute(
        "UPDATE participants SET status = $2, partner_org = $3, region = $4, target_profession = $5,"
        " country_of_training = $6, language_level = $7, residence = $8, referral_source = $9, consents = $10,"
        " personal = $11::jsonb, occupation = $12, updated_at = $13 WHERE participant_id = $1",
        participant.participant_id,
        *_columns(participant),
        now,
    )


def _columns(p: Participant) -> tuple[object, ...]:
    """status, partner_org, region, target_profession, country_of_training, language_level, residence,
    referral_source, consents, personal, occupation: in this order."""
    return (
        p.status.value,
        p.partner_org,
        p.profile.region,
        p.profile.target_profession.value,
        p.profile.country_of_training,
        p.profile.language_level.value,
        p.profile.residence.value,
        p.referral_source.value,
        sorted(c.value for c in p.consents),
        None if p.personal is None else p.personal.model_dump_json(),
        p.profile.occupation,
    )
