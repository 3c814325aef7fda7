"""asyncpg SQL for the recruitment schema."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from shared.contracts.recruitment import RegisterCandidate

PROFILE = ("target_profession", "country_of_training", "language_level", "residence", "region")


async def lock(conn: asyncpg.Connection, participant_id: UUID) -> asyncpg.Record | None:
    """The participant's row, locked until the transaction ends (keeps one participant's events in order)."""
    return await conn.fetchrow("SELECT * FROM participants WHERE participant_id = $1 FOR UPDATE", participant_id)


async def insert(conn: asyncpg.Connection, cmd: RegisterCandidate, status: str, now: datetime) -> None:
    await conn.execute(
        "INSERT INTO participants (participant_id, status, partner_org, region, target_profession,"
        " country_of_training, language_level, residence, referral_source, consents, personal, registered_by,"
        " recruited_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $3, $12, $12)",
        cmd.participant_id,
        status,
        cmd.partner_org,
        cmd.region,
        cmd.target_profession.value,
        cmd.country_of_training,
        cmd.language_level.value,
        cmd.residence.value,
        cmd.referral_source.value,
        sorted(c.value for c in cmd.consents),
        cmd.personal.model_dump_json(),
        now,
    )


async def update_profile(
    conn: asyncpg.Connection, participant_id: UUID, changes: dict[str, Any], now: datetime
) -> None:
    columns = [name for name in PROFILE if name in changes]
    assignments = ", ".join(f"{name} = ${i}" for i, name in enumerate(columns, start=3))
    await conn.execute(
        f"UPDATE participants SET updated_at = $2, {assignments} WHERE participant_id = $1",
        participant_id,
        now,
        *(str(changes[name]) for name in columns),
    )


async def set_consents(conn: asyncpg.Connection, participant_id: UUID, consents: Iterable[str], now: datetime) -> None:
    await conn.execute(
        "UPDATE participants SET consents = $2, updated_at = $3 WHERE participant_id = $1",
        participant_id,
        sorted(consents),
        now,
    )


async def set_status(conn: asyncpg.Connection, participant_id: UUID, status: str, now: datetime) -> None:
    await conn.execute(
        "UPDATE participants SET status = $2, updated_at = $3 WHERE participant_id = $1", participant_id, status, now
    )


async def erase_personal_data(conn: asyncpg.Connection, participant_id: UUID, now: datetime) -> None:
    """Personal data goes; the coarse, now anonymous, attributes stay for statistics."""
    await conn.execute(
        "UPDATE participants SET personal = NULL, status = 'erased', updated_at = $2 WHERE participant_id = $1",
        participant_id,
        now,
    )
