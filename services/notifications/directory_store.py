"""asyncpg SQL for the directory of recipients."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Literal

import asyncpg

from services.notifications.domain import Recipient
from shared.contracts.enums import ConsentScope, Milestone
from shared.contracts.notifications import Delivery, MailLanguage, RecipientKind

Origin = Literal["command", "file"]


KNOWN_MILESTONES = frozenset(m.value for m in Milestone)
KNOWN_DELIVERIES = frozenset(d.value for d in Delivery)


def _recipient(row: asyncpg.Record) -> Recipient:
    return Recipient(
        recipient_id=row["recipient_id"],
        kind=RecipientKind(row["recipient_kind"]),
        email=row["email"],
        display_name=row["display_name"],
        language=MailLanguage(row["language"]),
        regions=frozenset(row["regions"]),
        # A tolerant reader: a milestone a newer build stored (rolling deploy, rollback) is one this build cannot
        # mail, not a reason to fail every message that reads the directory.
        milestones=frozenset(Milestone(m) for m in row["milestones"] if m in KNOWN_MILESTONES),
        partner_org=row["partner_org"],
        consent_scope=None if row["consent_scope"] is None else ConsentScope(row["consent_scope"]),
        delivery={
            Milestone(m): Delivery(d)
            for m, d in json.loads(row["delivery"]).items()
            if m in KNOWN_MILESTONES and d in KNOWN_DELIVERIES
        },
        default_delivery=Delivery(row["default_delivery"]) if row["default_delivery"] in KNOWN_DELIVERIES else None,
    )


async def lock(conn: asyncpg.Connection, recipient_id: str) -> Recipient | None:
    """The recipient, locked until the transaction ends; None when not in the directory."""
    row = await conn.fetchrow("SELECT * FROM recipients WHERE recipient_id = $1 FOR UPDATE", recipient_id)
    return None if row is None else _recipient(row)


class DirectoryCache:
    """The directory as this process last read it, per schema, with the version it had then (migration 0009)."""

    def __init__(self) -> None:
        self._read: dict[str, tuple[int, tuple[Recipient, ...]]] = {}
        self.reads = 0  # how often the recipients were read from a table

    async def everyone(self, conn: asyncpg.Connection) -> list[Recipient]:
        row = await conn.fetchrow("SELECT current_schema() AS schema, version FROM directory_version")
        assert row is not None, "migration 0009 inserts the one row"
        cached = self._read.get(row["schema"])
        if cached is None or cached[0] != row["version"]:
            rows = await conn.fetch("SELECT * FROM recipients ORDER BY recipient_id")
            cached = self._read[row["schema"]] = (row["version"], tuple(_recipient(r) for r in rows))
            self.reads += 1
        return list(cached[1])


CACHE = DirectoryCache()


async def everyone(conn: asyncpg.Connection) -> list[Recipient]:
    """Every recipient, as the caller's transaction sees the directory: read from the table only when its version
    (in the same snapshot) differs from the one this process read last, else the recipients read then."""
    return await CACHE.everyone(conn)


async def save(conn: asyncpg.Connection, recipient: Recipient, origin: Origin, now: datetime) -> None:
    """Insert or replace the recipient."""
    await conn.execute(
        "INSERT INTO recipients (recipient_id, recipient_kind, email, display_name, language, regions, milestones,"
        " partner_org, consent_scope, origin, registered_at, updated_at, delivery, default_delivery)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12::jsonb, $13)"
        " ON CONFLICT (recipient_id) DO UPDATE SET recipient_kind = EXCLUDED.recipient_kind, email = EXCLUDED.email,"
        " display_name = EXCLUDED.display_name, language = EXCLUDED.language, regions = EXCLUDED.regions,"
        " milestones = EXCLUDED.milestones, partner_org = EXCLUDED.partner_org,"
        " consent_scope = EXCLUDED.consent_scope, origin = EXCLUDED.origin, updated_at = EXCLUDED.updated_at,"
        " delivery = EXCLUDED.delivery, default_delivery = EXCLUDED.default_delivery",
        recipient.recipient_id,
        recipient.kind.value,
        recipient.email,
        recipient.display_name,
        recipient.language.value,
        sorted(recipient.regions),
        sorted(m.value for m in recipient.milestones),
        recipient.partner_org,
        None if recipient.consent_scope is None else recipient.consent_scope.value,
        origin,
        now,
        json.dumps({m.value: d.value for m, d in sorted(recipient.delivery.items())}),
        None if recipient.default_delivery is None else recipient.default_delivery.value,
    )


async def delete(conn: asyncpg.Connection, recipient_id: str) -> None:
    await conn.execute("DELETE FROM recipients WHERE recipient_id = $1", recipient_id)


async def registered_at(conn: asyncpg.Connection) -> dict[str, datetime]:
    """When each recipient joined the directory: its first digest period is the one this falls in."""
    rows = await conn.fetch("SELECT recipient_id, registered_at FROM recipients")
    return {row["recipient_id"]: row["registered_at"] for row in rows}
