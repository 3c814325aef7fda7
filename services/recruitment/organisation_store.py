"""asyncpg SQL for the organisation registry: organisations are not personal data and outlive any erasure."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from services.recruitment.domain import Organisation
from shared.contracts.organisations import OrgKind, SizeClass


async def find(conn: asyncpg.Connection, org_id: str, *, lock: bool = False) -> Organisation | None:
    """The organisation, if registered; `lock` holds it until the transaction ends (a registration changes it)."""
    row = await conn.fetchrow(
        "SELECT * FROM organisations WHERE org_id = $1" + (" FOR UPDATE" if lock else " FOR SHARE"), org_id
    )
    if row is None:
        return None
    return Organisation(
        org_id=org_id,
        kind=OrgKind(row["org_kind"]),
        region=row["region"],
        name=row["name"],
        district=row["district"],
        size_class=None if row["size_class"] is None else SizeClass(row["size_class"]),
    )


async def save(conn: asyncpg.Connection, organisation: Organisation, now: datetime) -> None:
    await conn.execute(
        "INSERT INTO organisations (org_id, org_kind, region, district, size_class, name, registered_at, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, $7, $6, $6) ON CONFLICT (org_id) DO UPDATE SET org_kind = EXCLUDED.org_kind,"
        " region = EXCLUDED.region, district = EXCLUDED.district, size_class = EXCLUDED.size_class,"
        " name = EXCLUDED.name, updated_at = EXCLUDED.updated_at",
        organisation.org_id,
        organisation.kind.value,
        organisation.region,
        organisation.district,
        None if organisation.size_class is None else organisation.size_class.value,
        now,
        organisation.name,
    )
