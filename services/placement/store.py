"""asyncpg SQL for the placement schema: cases in and out, with their offers, the current employment's checks and
the latest licence."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg

from services.placement.domain.case import CaseStatus, Licence, Offer, OfferStatus, Placement, RetentionCheck
from shared.contracts.placement import EmploymentEndReason, RetractionReason, RoleLevel
from shared.contracts.recognition import LicenceKind

OFFER_COLUMNS = (
    "offer_id, status, employer_id, role_level, in_region, offered_on, contract_signed_on, starts_on, started_on,"
    " retracted_on, retraction_reason, ended_on, end_reason, permit_expired_on"
)
CHECK_COLUMNS = "offer_id, months, due_on, still_employed, still_in_region, checked_on"


async def lock(conn: asyncpg.Connection, participant_id: UUID) -> Placement | None:
    """The participant's case, locked until the transaction ends (keeps one participant's events in order)."""
    row = await conn.fetchrow(
        "SELECT status, current_offer_id, licence, licence_valid_until, licence_expired FROM placements"
        " WHERE participant_id = $1 FOR UPDATE",
        participant_id,
    )
    if row is None:
        return None
    current = row["current_offer_id"]
    offers = await conn.fetch(f"SELECT {OFFER_COLUMNS} FROM offers WHERE participant_id = $1", participant_id)
    checks = (
        []
        if current is None
        else await conn.fetch(
            f"SELECT {CHECK_COLUMNS} FROM retention_checks WHERE participant_id = $1 AND offer_id = $2",
            participant_id,
            current,
        )
    )
    return Placement(
        participant_id=participant_id,
        status=CaseStatus(row["status"]),
        offers={o["offer_id"]: _offer(o) for o in offers},
        current_offer=current,
        checks={c["months"]: _check(c) for c in checks},
        licence=_licence(row),
    )


async def insert(conn: asyncpg.Connection, placement: Placement, now: datetime) -> None:
    """Open the case; a case the participant has already stays as it is."""
    await conn.execute(
        "INSERT INTO placements (participant_id, status, current_offer_id, opened_at, updated_at)"
        " VALUES ($1, $2, $3, $4, $4) ON CONFLICT DO NOTHING",
        placement.participant_id,
        placement.status.value,
        placement.current_offer,
        now,
    )


async def save(conn: asyncpg.Connection, placement: Placement, now: datetime) -> None:
    """The case's status, current employment and licence; each offer where it changed; checks not recorded
    before."""
    licence = placement.licence
    await conn.execute(
        "UPDATE placements SET status = $2, current_offer_id = $3, licence = $4, licence_valid_until = $5,"
        " licence_expired = $6, updated_at = $7 WHERE participant_id = $1",
        placement.participant_id,
        placement.status.value,
        placement.current_offer,
        None if licence is None else licence.kind.value,
        None if licence is None else licence.valid_until,
        licence is not None and licence.expired,
        now,
    )
    if placement.offers:
        await conn.executemany(
            f"INSERT INTO offers (participant_id, {OFFER_COLUMNS}, recorded_at, updated_at)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)"
            " ON CONFLICT (participant_id, offer_id) DO UPDATE SET status = EXCLUDED.status,"
            " role_level = EXCLUDED.role_level, in_region = EXCLUDED.in_region,"
            " contract_signed_on = EXCLUDED.contract_signed_on, starts_on = EXCLUDED.starts_on,"
            " started_on = EXCLUDED.started_on, retracted_on = EXCLUDED.retracted_on,"
            " retraction_reason = EXCLUDED.retraction_reason, ended_on = EXCLUDED.ended_on,"
            " end_reason = EXCLUDED.end_reason, permit_expired_on = EXCLUDED.permit_expired_on,"
            " updated_at = EXCLUDED.updated_at"
            " WHERE (offers.status, offers.role_level, offers.in_region, offers.contract_signed_on, offers.starts_on,"
            " offers.started_on, offers.retracted_on, offers.retraction_reason, offers.ended_on, offers.end_reason,"
            " offers.permit_expired_on)"
            " IS DISTINCT FROM (EXCLUDED.status, EXCLUDED.role_level, EXCLUDED.in_region,"
            " EXCLUDED.contract_signed_on, EXCLUDED.starts_on, EXCLUDED.started_on, EXCLUDED.retracted_on,"
            " EXCLUDED.retraction_reason, EXCLUDED.ended_on, EXCLUDED.end_reason, EXCLUDED.permit_expired_on)",
            [(placement.participant_id, *_offer_columns(o), now) for o in placement.offers.values()],
        )
    if placement.checks:
        await conn.executemany(
            f"INSERT INTO retention_checks (participant_id, {CHECK_COLUMNS}, recorded_at)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
            [
                (
                    placement.participant_id,
                    c.offer_id,
                    c.months,
                    c.due_on,
                    c.still_employed,
                    c.still_in_region,
                    c.checked_on,
                    now,
                )
                for c in placement.checks.values()
            ],
        )


async def delete(conn: asyncpg.Connection, participant_id: UUID) -> None:
    """The case; offers and checks cascade. Waits for a command or timer still working on the case."""
    await conn.execute("DELETE FROM placements WHERE participant_id = $1", participant_id)


def _offer(row: asyncpg.Record) -> Offer:
    return Offer(
        offer_id=row["offer_id"],
        employer_id=row["employer_id"],
        role_level=RoleLevel(row["role_level"]),
        in_region=row["in_region"],
        offered_on=row["offered_on"],
        status=OfferStatus(row["status"]),
        contract_signed_on=row["contract_signed_on"],
        starts_on=row["starts_on"],
        started_on=row["started_on"],
        retracted_on=row["retracted_on"],
        retraction_reason=None if row["retraction_reason"] is None else RetractionReason(row["retraction_reason"]),
        ended_on=row["ended_on"],
        end_reason=None if row["end_reason"] is None else EmploymentEndReason(row["end_reason"]),
        permit_expired_on=row["permit_expired_on"],
    )


def _licence(row: asyncpg.Record) -> Licence | None:
    if row["licence"] is None:
        return None
    return Licence(LicenceKind(row["licence"]), row["licence_valid_until"], row["licence_expired"])


def _check(row: asyncpg.Record) -> RetentionCheck:
    return RetentionCheck(
        offer_id=row["offer_id"],
        months=row["months"],
        due_on=row["due_on"],
        still_employed=row["still_employed"],
        still_in_region=row["still_in_region"],
        checked_on=row["checked_on"],
    )


def _offer_columns(o: Offer) -> tuple[object, ...]:
    """The offer's values in the order of `OFFER_COLUMNS`."""
    return (
        o.offer_id,
        o.status.value,
        o.employer_id,
        o.role_level.value,
        o.in_region,
        o.offered_on,
        o.contract_signed_on,
        o.starts_on,
        o.started_on,
        o.retracted_on,
        None if o.retraction_reason is None else o.retraction_reason.value,
        o.ended_on,
        None if o.end_reason is None else o.end_reason.value,
        o.permit_expired_on,
    )
