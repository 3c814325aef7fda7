"""The lead partners' access requests (recruitment's `access_requests`), and their fulfilment: the document is
produced, the request marked provided and `DataAccessProvided` published through recruitment's outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

import asyncpg

from shared.calendar import german_date
from shared.contracts.recruitment import DataAccessProvided
from shared.contracts.topics import Stage
from shared.unit_of_work import UnitOfWork

OPERATOR = "operator"
SCHEMA = Stage.RECRUITMENT.value


@dataclass(frozen=True, slots=True)
class AccessRequest:
    request_id: UUID
    participant_id: UUID
    requested_by: str
    requested_on: date
    recorded_at: datetime


async def pending(
    conn: asyncpg.Connection, participant_id: UUID | None = None, org: str | None = None
) -> list[AccessRequest]:
    """Requests not provided yet (of one participant, one organisation, when given), oldest first."""
    rows = await conn.fetch(
        "SELECT request_id, participant_id, requested_by, requested_on, recorded_at FROM recruitment.access_requests"
        " WHERE provided_at IS NULL AND participant_id IS NOT NULL"
        " AND ($1::uuid IS NULL OR participant_id = $1) AND ($2::text IS NULL OR requested_by = $2)"
        " ORDER BY recorded_at",
        participant_id,
        org,
    )
    return [AccessRequest(**dict(r)) for r in rows]


async def record_provided(
    conn: asyncpg.Connection, participant_id: UUID, provided_for: str, provided_by: str, now: datetime
) -> list[UUID]:
    """Mark the pending requests of `provided_for` about the participant provided and publish `DataAccessProvided`
    (one per request; one without a request when the operators were asked directly), in one transaction. `conn`'s
    search_path must be recruitment's (its outbox)."""
    async with conn.transaction():
        fulfilled = [
            r["request_id"]
            for r in await conn.fetch(
                "UPDATE recruitment.access_requests SET provided_at = $3, provided_by = $4"
                " WHERE participant_id = $1 AND requested_by = $2 AND provided_at IS NULL RETURNING request_id",
                participant_id,
                provided_for,
                now,
                provided_by,
            )
        ]
        cause = f"access:{participant_id}:{provided_for}:{now.isoformat()}"
        uow = UnitOfWork(conn, Stage.RECRUITMENT, cause, now)
        for request_id in fulfilled or [None]:
            await uow.emit(
                DataAccessProvided(
                    participant_id=participant_id,
                    request_id=request_id,
                    provided_for=provided_for,
                    provided_on=german_date(now),
                )
            )
    return fulfilled
