"""asyncpg SQL for digests: the milestones kept for them, the periods composed, and what a digest is made of."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from uuid import UUID

import asyncpg

from services.notifications.domain import DigestItem
from services.notifications.domain.digests import DigestEntry, DigestText
from shared.contracts.enums import Milestone
from shared.contracts.notifications import URGENT_MILESTONES, DigestPeriod


async def keep(conn: asyncpg.Connection, items: Sequence[DigestItem], now: datetime) -> None:
    """Keep milestones for recipients' digests, dated when they happened (the milestone must be stored already)."""
    for item in items:
        await conn.execute(
            "INSERT INTO digest_items (ce_id, recipient_id, period, milestone, participant_id, happened_at, kept_at)"
            " SELECT m.ce_id, $2, $3, m.milestone, m.participant_id, coalesce(m.occurred_at, m.received_at), $4"
            " FROM milestones m WHERE m.ce_id = $1 ON CONFLICT DO NOTHING",
            item.about.ce_id,
            item.recipient_id,
            item.period.value,
            now,
        )


async def drop_waiting(conn: asyncpg.Connection, participant_id: UUID) -> None:
    """Erasure or objection: the participant's milestones not in a digest yet are not sent in one."""
    await conn.execute("DELETE FROM digest_items WHERE participant_id = $1 AND digest_start IS NULL", participant_id)


async def drop_waiting_to(conn: asyncpg.Connection, recipient_id: str) -> None:
    """A removed recipient gets no digest of what was kept for it."""
    await conn.execute("DELETE FROM digest_items WHERE recipient_id = $1 AND digest_start IS NULL", recipient_id)


async def periods_in_use(conn: asyncpg.Connection, recipient_id: str) -> set[DigestPeriod]:
    """The periods the recipient has milestones waiting in (also after it changed its choice since)."""
    rows = await conn.fetch(
        "SELECT DISTINCT period FROM digest_items WHERE recipient_id = $1 AND digest_start IS NULL", recipient_id
    )
    return {DigestPeriod(r["period"]) for r in rows}


async def last_start(conn: asyncpg.Connection, recipient_id: str, period: DigestPeriod) -> date | None:
    value = await conn.fetchval(
        "SELECT max(period_start) FROM digests WHERE recipient_id = $1 AND period = $2", recipient_id, period.value
    )
    return value if isinstance(value, date) else None


async def entries(
    conn: asyncpg.Connection,
    recipient_id: str,
    partner_org: str | None,
    period: DigestPeriod,
    until: datetime,
    since: datetime,
) -> list[DigestEntry]:
    """What the digest ending at `until` tells: every item waiting that happened before `until` (a late one from an
    earlier period too: nothing is lost), and the urgent milestones of the period mailed to the recipient at once."""
    rows = await conn.fetch(
        "SELECT i.participant_id, i.milestone, i.happened_at, m.facts, p.profession, p.region, p.lead_org,"
        " c.case_reference, false AS mailed"
        " FROM digest_items i JOIN milestones m ON m.ce_id = i.ce_id"
        " LEFT JOIN participants p ON p.participant_id = i.participant_id"
        " LEFT JOIN case_references c ON c.participant_id = i.participant_id AND c.org_id = $3"
        " WHERE i.recipient_id = $1 AND i.period = $2 AND i.digest_start IS NULL AND i.happened_at < $4"
        " UNION ALL"
        " SELECT d.participant_id, d.milestone, coalesce(m.occurred_at, m.received_at), m.facts, p.profession,"
        " p.region, p.lead_org, c.case_reference, true"
        " FROM deliveries d JOIN milestones m ON m.ce_id = d.caused_by_id"
        " LEFT JOIN participants p ON p.participant_id = d.participant_id"
        " LEFT JOIN case_references c ON c.participant_id = d.participant_id AND c.org_id = $3"
        " WHERE d.recipient_id = $1 AND d.milestone = ANY($6::text[]) AND d.status IN ('pending', 'sent')"
        " AND coalesce(m.occurred_at, m.received_at) >= $5 AND coalesce(m.occurred_at, m.received_at) < $4",
        recipient_id,
        period.value,
        partner_org,
        until,
        since,
        sorted(m.value for m in URGENT_MILESTONES),
    )
    return [
        DigestEntry(
            participant_id=r["participant_id"],
            milestone=Milestone(r["milestone"]),
            happened_at=r["happened_at"],
            facts=json.loads(r["facts"]),
            profession=r["profession"],
            region=r["region"],
            org_id=r["lead_org"],
            case_reference=r["case_reference"],
            mailed=r["mailed"],
        )
        for r in rows
        if r["participant_id"] is not None
    ]


async def org_names(conn: asyncpg.Connection, org_ids: Sequence[str]) -> dict[str, str]:
    """The names of the organisations given (those registered with one)."""
    rows = await conn.fetch(
        "SELECT org_id, name FROM organisations WHERE org_id = ANY($1::text[]) AND name IS NOT NULL", list(org_ids)
    )
    return {r["org_id"]: r["name"] for r in rows}


async def record(
    conn: asyncpg.Connection,
    recipient_id: str,
    period: DigestPeriod,
    start: date,
    until: datetime,
    text: DigestText | None,
    delivery_id: UUID,
    now: datetime,
) -> bool:
    """The period's digest, once: its row, its items marked, its mail queued (due at once, also when a test drives
    `now` ahead). False when it exists already (another worker composed it first): the caller then leaves
    everything as it is."""
    status = await conn.execute(
        "INSERT INTO digests (recipient_id, period, period_start, composed_at, milestones, participants, delivery_id,"
        " subject, body_text, body_html) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING",
        recipient_id,
        period.value,
        start,
        now,
        0 if text is None else text.milestones,
        0 if text is None else text.participants,
        None if text is None else delivery_id,
        None if text is None else text.subject,
        None if text is None else text.text,
        None if text is None else text.html,
    )
    if status != "INSERT 0 1":
        return False
    await conn.execute(
        "UPDATE digest_items SET digest_start = $3"
        " WHERE recipient_id = $1 AND period = $2 AND digest_start IS NULL AND happened_at < $4",
        recipient_id,
        period.value,
        start,
        until,
    )
    if text is not None:
        await conn.execute(
            "INSERT INTO deliveries (delivery_id, caused_by_id, caused_by_type, milestone, recipient_id,"
            " participant_id, status, recorded_at, next_attempt_at)"
            " VALUES ($1, $2, 'digest', NULL, $3, NULL, 'pending', $4, least($4, now())) ON CONFLICT DO NOTHING",
            delivery_id,
            f"digest:{recipient_id}:{period.value}:{start.isoformat()}",
            recipient_id,
            now,
        )
    return True


async def sent(conn: asyncpg.Connection, delivery_id: UUID) -> None:
    """A digest accepted by the mail server keeps its counts, not its text."""
    await conn.execute(
        "UPDATE digests SET subject = NULL, body_text = NULL, body_html = NULL WHERE delivery_id = $1", delivery_id
    )
