"""asyncpg SQL for the participant copy and the milestones of the notifications schema."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

import asyncpg

from services.notifications.domain import ParticipantCopy
from shared.contracts.enums import ConsentScope, Milestone


@dataclass(frozen=True, slots=True)
class MilestoneRef:
    """A milestone event: its `ce_id` and `ce_type`, the milestone and whom it is about."""

    ce_id: str
    ce_type: str
    milestone: Milestone
    participant_id: UUID


async def lock_participant(conn: asyncpg.Connection, participant_id: UUID, now: datetime) -> ParticipantCopy:
    """The participant's copy, locked until the transaction ends; a stub row is made for one not known yet."""
    await conn.execute(
        "INSERT INTO participants (participant_id, updated_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        participant_id,
        now,
    )
    row = await conn.fetchrow("SELECT * FROM participants WHERE participant_id = $1 FOR UPDATE", participant_id)
    assert row is not None
    return ParticipantCopy(
        recruited=row["recruited"],
        region=row["region"],
        partner_org=row["partner_org"],
        consents=frozenset(ConsentScope(c) for c in row["consents"]),
        opted_out=row["opted_out_on"] is not None,
        erased=row["erased_on"] is not None,
    )


async def set_recruited(
    conn: asyncpg.Connection,
    participant_id: UUID,
    *,
    region: str,
    partner_org: str,
    consents: Iterable[ConsentScope],
    now: datetime,
) -> None:
    await conn.execute(
        "UPDATE participants SET recruited = true, region = $2, partner_org = $3, consents = $4, updated_at = $5"
        " WHERE participant_id = $1",
        participant_id,
        region,
        partner_org,
        sorted(c.value for c in consents),
        now,
    )


async def set_region(conn: asyncpg.Connection, participant_id: UUID, region: str, now: datetime) -> None:
    await conn.execute(
        "UPDATE participants SET region = $2, updated_at = $3 WHERE participant_id = $1", participant_id, region, now
    )


async def set_consents(
    conn: asyncpg.Connection, participant_id: UUID, consents: Iterable[ConsentScope], now: datetime
) -> None:
    await conn.execute(
        "UPDATE participants SET consents = $2, updated_at = $3 WHERE participant_id = $1",
        participant_id,
        sorted(c.value for c in consents),
        now,
    )


async def set_opted_out(conn: asyncpg.Connection, participant_id: UUID, since: date | None, now: datetime) -> None:
    await conn.execute(
        "UPDATE participants SET opted_out_on = $2, updated_at = $3 WHERE participant_id = $1",
        participant_id,
        since,
        now,
    )


async def erase(conn: asyncpg.Connection, participant_id: UUID, erased_on: date, now: datetime) -> None:
    """Forget the participant: the copy keeps only the pseudonym and the day; milestones go; the audit is unlinked."""
    await conn.execute(
        "UPDATE participants SET recruited = false, region = NULL, partner_org = NULL, consents = '{}',"
        " opted_out_on = NULL, erased_on = $2, updated_at = $3 WHERE participant_id = $1",
        participant_id,
        erased_on,
        now,
    )
    await conn.execute("DELETE FROM milestones WHERE participant_id = $1", participant_id)
    await conn.execute("UPDATE deliveries SET participant_id = NULL WHERE participant_id = $1", participant_id)


async def record_milestone(conn: asyncpg.Connection, ref: MilestoneRef, facts: dict[str, Any], now: datetime) -> None:
    await conn.execute(
        "INSERT INTO milestones (ce_id, ce_type, milestone, participant_id, facts, received_at)"
        " VALUES ($1, $2, $3, $4, $5::jsonb, $6) ON CONFLICT (ce_id) DO NOTHING",
        ref.ce_id,
        ref.ce_type,
        ref.milestone.value,
        ref.participant_id,
        json.dumps(facts, sort_keys=True),
        now,
    )


async def parked(conn: asyncpg.Connection, participant_id: UUID) -> list[MilestoneRef]:
    """Milestones not routed yet because the participant was not known, oldest first."""
    rows = await conn.fetch(
        "SELECT ce_id, ce_type, milestone FROM milestones WHERE participant_id = $1 AND routed_at IS NULL"
        " ORDER BY received_at, ce_id",
        participant_id,
    )
    return [MilestoneRef(r["ce_id"], r["ce_type"], Milestone(r["milestone"]), participant_id) for r in rows]


async def mark_routed(conn: asyncpg.Connection, ce_id: str, now: datetime) -> None:
    await conn.execute("UPDATE milestones SET routed_at = $2 WHERE ce_id = $1", ce_id, now)
