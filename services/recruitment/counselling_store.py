"""asyncpg SQL for counselling: first contacts, sessions, links, and their unlinking on erasure."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import asyncpg

from services.recruitment.counselling import FirstContact, SessionKey
from shared.contracts.counselling import Counselling, CounsellingType, RecordCounsellingSession, RecordFirstContact

_COUNSELLING = (
    "held_on, org_id, counselling_type, counselling_language, interpreter_used, outcome, route_recommended,"
    " referred_to, follow_up_on"
)


def _counselling(c: Counselling) -> tuple[object, ...]:
    """The columns of `_COUNSELLING`, in its order."""
    return (
        c.held_on,
        c.org_id,
        c.counselling_type.value,
        c.counselling_language,
        c.interpreter_used,
        c.outcome.value,
        None if c.route_recommended is None else c.route_recommended.value,
        c.referred_to,
        c.follow_up_on,
    )


async def lock_contact(conn: asyncpg.Connection, contact_id: UUID) -> FirstContact | None:
    """The first contact, locked until the transaction ends; None when none was recorded."""
    row = await conn.fetchrow(
        "SELECT contact_id, held_on, counselling_type, participant_id, linked_on FROM first_contacts"
        " WHERE contact_id = $1 FOR UPDATE",
        contact_id,
    )
    if row is None:
        return None
    return FirstContact(
        contact_id=row["contact_id"],
        held_on=row["held_on"],
        counselling_type=CounsellingType(row["counselling_type"]),
        participant_id=row["participant_id"],
        linked_on=row["linked_on"],
    )


async def insert_contact(conn: asyncpg.Connection, cmd: RecordFirstContact, now: datetime) -> None:
    await conn.execute(
        f"INSERT INTO first_contacts (contact_id, {_COUNSELLING}, region, district, profession, country_of_training,"
        " counselled_org, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        cmd.contact_id,
        *_counselling(cmd),
        cmd.region,
        cmd.district,
        None if cmd.profession is None else cmd.profession.value,
        cmd.country_of_training,
        cmd.counselled_org,
        now,
    )


async def save_link(conn: asyncpg.Connection, contact: FirstContact, now: datetime) -> None:
    await conn.execute(
        "UPDATE first_contacts SET participant_id = $2, linked_on = $3, updated_at = $4 WHERE contact_id = $1",
        contact.contact_id,
        contact.participant_id,
        contact.linked_on,
        now,
    )


async def sessions_on(conn: asyncpg.Connection, participant_id: UUID, held_on: date) -> frozenset[SessionKey]:
    """The participant's counselling sessions of that day (the participant is locked by the caller)."""
    rows = await conn.fetch(
        "SELECT org_id, counselling_type FROM counselling_sessions WHERE participant_id = $1 AND held_on = $2",
        participant_id,
        held_on,
    )
    return frozenset(
        SessionKey(participant_id, held_on, r["org_id"], CounsellingType(r["counselling_type"])) for r in rows
    )


async def insert_session(
    conn: asyncpg.Connection, session_id: UUID, cmd: RecordCounsellingSession, now: datetime
) -> None:
    await conn.execute(
        f"INSERT INTO counselling_sessions (session_id, participant_id, {_COUNSELLING}, recorded_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        session_id,
        cmd.participant_id,
        *_counselling(cmd),
        now,
    )


async def forget_participant(conn: asyncpg.Connection, participant_id: UUID) -> None:
    """Erasure: the participant's first contacts and sessions stay, coarse and now anonymous, so the counts survive;
    only the link to the pseudonym goes (a linked contact keeps `linked_on`: it counts as converted, and cannot be
    linked to anyone else)."""
    await conn.execute("UPDATE first_contacts SET participant_id = NULL WHERE participant_id = $1", participant_id)
    await conn.execute(
        "UPDATE counselling_sessions SET participant_id = NULL WHERE participant_id = $1", participant_id
    )
