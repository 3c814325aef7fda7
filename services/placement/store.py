"""asyncpg SQL for the placement schema."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import asyncpg

from services.placement.domain import CaseStatus, OfferStatus, Placement
from shared.contracts.placement import ConfirmPlacement, EndEmployment, RecordOffer, RecordRetentionCheck, RetractOffer


async def open_case(conn: asyncpg.Connection, participant_id: UUID, now: datetime) -> bool:
    """Open a case in `searching`; False when the participant has one already."""
    inserted = await conn.fetchval(
        "INSERT INTO placements (participant_id, status, opened_at, updated_at) VALUES ($1, $2, $3, $3)"
        " ON CONFLICT DO NOTHING RETURNING true",
        participant_id,
        CaseStatus.SEARCHING.value,
        now,
    )
    return bool(inserted)


async def lock(conn: asyncpg.Connection, participant_id: UUID) -> Placement | None:
    """The participant's case, locked until the transaction ends (keeps one participant's events in order)."""
    row = await conn.fetchrow(
        "SELECT status, current_offer_id FROM placements WHERE participant_id = $1 FOR UPDATE", participant_id
    )
    if row is None:
        return None
    current = row["current_offer_id"]
    offers = await conn.fetch(
        "SELECT offer_id, status, started_on FROM offers WHERE participant_id = $1", participant_id
    )
    checks = await conn.fetch(
        "SELECT months FROM retention_checks WHERE participant_id = $1 AND offer_id = $2", participant_id, current
    )
    return Placement(
        status=CaseStatus(row["status"]),
        offers={o["offer_id"]: OfferStatus(o["status"]) for o in offers},
        current_offer=current,
        started_on=next((o["started_on"] for o in offers if o["offer_id"] == current), None),
        recorded_checks=frozenset(c["months"] for c in checks),
    )


async def save(conn: asyncpg.Connection, participant_id: UUID, placement: Placement, now: datetime) -> None:
    """The case's status and current employment; what happened to each offer is written beside it."""
    await conn.execute(
        "UPDATE placements SET status = $2, current_offer_id = $3, updated_at = $4 WHERE participant_id = $1",
        participant_id,
        placement.status.value,
        placement.current_offer,
        now,
    )


async def offer(conn: asyncpg.Connection, participant_id: UUID, offer_id: UUID) -> asyncpg.Record:
    row = await conn.fetchrow(
        "SELECT * FROM offers WHERE participant_id = $1 AND offer_id = $2", participant_id, offer_id
    )
    assert row is not None, f"offer {offer_id} vanished"
    return row


async def insert_offer(conn: asyncpg.Connection, cmd: RecordOffer, now: datetime) -> None:
    await conn.execute(
        "INSERT INTO offers (participant_id, offer_id, status, employer_id, role_level, in_region, offered_on,"
        " recorded_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        cmd.participant_id,
        cmd.offer_id,
        OfferStatus.OPEN.value,
        cmd.employer_id,
        cmd.role_level.value,
        cmd.in_region,
        cmd.offered_on,
        now,
    )


async def retract_offer(conn: asyncpg.Connection, cmd: RetractOffer, now: datetime) -> None:
    await conn.execute(
        "UPDATE offers SET status = $3, retracted_on = $4, retraction_reason = $5, updated_at = $6"
        " WHERE participant_id = $1 AND offer_id = $2",
        cmd.participant_id,
        cmd.offer_id,
        OfferStatus.RETRACTED.value,
        cmd.retracted_on,
        cmd.reason.value,
        now,
    )


async def confirm_offer(conn: asyncpg.Connection, cmd: ConfirmPlacement, now: datetime) -> None:
    """The contract's terms win over the offer's where they differ."""
    await conn.execute(
        "UPDATE offers SET status = $3, contract_signed_on = $4, starts_on = $5, role_level = $6, in_region = $7,"
        " updated_at = $8 WHERE participant_id = $1 AND offer_id = $2",
        cmd.participant_id,
        cmd.offer_id,
        OfferStatus.CONFIRMED.value,
        cmd.contract_signed_on,
        cmd.starts_on,
        cmd.role_level.value,
        cmd.in_region,
        now,
    )


async def start_employment(
    conn: asyncpg.Connection, participant_id: UUID, offer_id: UUID, started_on: date, now: datetime
) -> None:
    await conn.execute(
        "UPDATE offers SET started_on = $3, updated_at = $4 WHERE participant_id = $1 AND offer_id = $2",
        participant_id,
        offer_id,
        started_on,
        now,
    )


async def insert_check(
    conn: asyncpg.Connection, cmd: RecordRetentionCheck, offer_id: UUID, due_on: date, now: datetime
) -> None:
    await conn.execute(
        "INSERT INTO retention_checks (participant_id, offer_id, months, due_on, still_employed, still_in_region,"
        " checked_on, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        cmd.participant_id,
        offer_id,
        cmd.months,
        due_on,
        cmd.still_employed,
        cmd.still_in_region,
        cmd.checked_on,
        now,
    )


async def end_employment(conn: asyncpg.Connection, cmd: EndEmployment, offer_id: UUID, now: datetime) -> None:
    await conn.execute(
        "UPDATE offers SET ended_on = $3, end_reason = $4, updated_at = $5 WHERE participant_id = $1 AND offer_id = $2",
        cmd.participant_id,
        offer_id,
        cmd.ended_on,
        cmd.reason.value,
        now,
    )


async def erase(conn: asyncpg.Connection, participant_id: UUID) -> None:
    """The case; offers and checks cascade. Timers and outbox rows go through `UnitOfWork.forget_participant`."""
    await conn.execute("DELETE FROM placements WHERE participant_id = $1", participant_id)
