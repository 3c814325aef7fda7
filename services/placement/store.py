"""asyncpg SQL for the placement schema: cases in and out, with their offers, the current employment's checks, the
latest licence and what recruitment said of the participant."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg

from services.placement.domain.case import CaseStatus, Licence, Offer, OfferStatus, Placement, RetentionCheck
from shared.contracts.placement import EmploymentEndReason, RetractionReason, RoleLevel
from shared.contracts.recognition import LicenceKind

OFFER_FIELDS = (
    "offer_id", "status", "employer_id", "role_level", "in_region", "offered_on", "contract_signed_on", "starts_on",
    "started_on", "retracted_on", "retraction_reason", "ended_on", "end_reason", "permit_expired_on",
    "start_district", "learned_on", "notice_due_on", "notified_on",
)  # fmt: skip
"""The offers' columns, in the order of `_offer_columns`; all but the first three and the offer's day may change."""
CHANGING = [f for f in OFFER_FIELDS if f not in ("offer_id", "employer_id", "offered_on")]
OFFER_COLUMNS = ", ".join(OFFER_FIELDS)
UPSERT_OFFERS = (
    f"INSERT INTO offers (participant_id, {OFFER_COLUMNS}, recorded_at, updated_at)"
    f" VALUES ({', '.join(f'${i}' for i in range(1, len(OFFER_FIELDS) + 3))}, ${len(OFFER_FIELDS) + 2})"
    " ON CONFLICT (participant_id, offer_id) DO UPDATE SET "
    + ", ".join(f"{c} = EXCLUDED.{c}" for c in [*CHANGING, "updated_at"])
    + f" WHERE ({', '.join(f'offers.{c}' for c in CHANGING)})"
    f" IS DISTINCT FROM ({', '.join(f'EXCLUDED.{c}' for c in CHANGING)})"
)
"""Each offer as it is now, written only where it changed."""
CHECK_COLUMNS = (
    "offer_id, months, due_on, still_employed, still_in_region, checked_on, district, still_in_district,"
    " after_programme"
)
CASE_COLUMNS = (
    "status, current_offer_id, licence, licence_valid_until, licence_expired, district, eu_citizen, left_programme_on"
)


async def lock(conn: asyncpg.Connection, participant_id: UUID) -> Placement | None:
    """The participant's case, locked until the transaction ends (keeps one participant's events in order)."""
    row = await conn.fetchrow(
        f"SELECT {CASE_COLUMNS} FROM placements WHERE participant_id = $1 FOR UPDATE", participant_id
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
        district=row["district"],
        eu_citizen=row["eu_citizen"],
        left_programme_on=row["left_programme_on"],
    )


async def insert(conn: asyncpg.Connection, placement: Placement, now: datetime) -> None:
    """Open the case; a case the participant has already stays as it is."""
    await conn.execute(
        "INSERT INTO placements (participant_id, status, current_offer_id, district, eu_citizen, opened_at, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT DO NOTHING",
        placement.participant_id,
        placement.status.value,
        placement.current_offer,
        placement.district,
        placement.eu_citizen,
        now,
    )


async def save(conn: asyncpg.Connection, placement: Placement, now: datetime) -> None:
    """The case's status, current employment, licence and what recruitment said; each offer where it changed;
    checks not recorded before."""
    licence = placement.licence
    await conn.execute(
        "UPDATE placements SET status = $2, current_offer_id = $3, licence = $4, licence_valid_until = $5,"
        " licence_expired = $6, district = $7, eu_citizen = $8, left_programme_on = $9, updated_at = $10"
        " WHERE participant_id = $1",
        placement.participant_id,
        placement.status.value,
        placement.current_offer,
        None if licence is None else licence.kind.value,
        None if licence is None else licence.valid_until,
        licence is not None and licence.expired,
        placement.district,
        placement.eu_citizen,
        placement.left_programme_on,
        now,
    )
    if placement.offers:
        await conn.executemany(
            UPSERT_OFFERS, [(placement.participant_id, *_offer_columns(o), now) for o in placement.offers.values()]
        )
    if placement.checks:
        await conn.executemany(
            f"INSERT INTO retention_checks (participant_id, {CHECK_COLUMNS}, recorded_at)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING",
            [
                (
                    placement.participant_id,
                    c.offer_id,
                    c.months,
                    c.due_on,
                    c.still_employed,
                    c.still_in_region,
                    c.checked_on,
                    c.district,
                    c.still_in_district,
                    c.after_programme,
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
        start_district=row["start_district"],
        learned_on=row["learned_on"],
        notice_due_on=row["notice_due_on"],
        notified_on=row["notified_on"],
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
        district=row["district"],
        still_in_district=row["still_in_district"],
        after_programme=row["after_programme"],
    )


def _offer_columns(o: Offer) -> tuple[object, ...]:
    """The offer's values in the order of `OFFER_FIELDS`."""
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
        o.start_district,
        o.learned_on,
        o.notice_due_on,
        o.notified_on,
    )
