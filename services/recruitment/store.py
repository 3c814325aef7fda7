"""asyncpg SQL for the recruitment schema."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg

from shared.contracts.recruitment import RegisterCandidate


async def exists(conn: asyncpg.Connection, participant_id: UUID) -> bool:
    return bool(await conn.fetchval("SELECT true FROM participants WHERE participant_id = $1", participant_id))


async def insert(conn: asyncpg.Connection, cmd: RegisterCandidate, status: str, registered_by: str, now: datetime) -> None:
    await conn.execute(
        "INSERT INTO participants (participant_id, status, partner_org, region, target_profession,"
        " country_of_training, language_level, residence, referral_source, consents, personal, registered_by,"
        " recruited_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13, $13)",
        cmd.participant_id, status, cmd.partner_org, cmd.region, cmd.target_profession.value,
        cmd.country_of_training, cmd.language_level.value, cmd.residence.value, cmd.referral_source.value,
        sorted(c.value for c in cmd.consents), cmd.personal.model_dump_json(), registered_by, now,
    )
