"""What waits to be handled: consumer lag per group and partition (from the broker), each stage's outbox backlog and
the notifications' delivery queue (from PostgreSQL)."""

from __future__ import annotations

from typing import Any

import asyncpg

from shared.contracts.topics import Stage
from shared.lag import LagReader
from shared.operators.bus import CLIENT_ID
from shared.outbox import backlog as outbox_backlog
from shared.settings import ServiceSettings


async def lag(settings: ServiceSettings, prefix: str = "") -> list[dict[str, Any]]:
    """One row per group and partition the group has committed on: the services' groups and the partners' (the
    operator may describe every group, deploy/kafka/acls.txt); groups a principal may not describe are not listed."""
    async with LagReader(settings, client_id=CLIENT_ID) as reader:
        readings = await reader.read(await reader.groups(prefix))
    return [
        {
            "group": r.group,
            "topic": r.topic,
            "partition": r.partition,
            "committed": r.committed,
            "end": r.end,
            "lag": r.lag,
        }
        for r in readings
    ]


async def outboxes(conn: asyncpg.Connection) -> list[dict[str, Any]]:
    """Per stage schema with an outbox: rows waiting, how long the oldest has waited, rows set aside."""
    rows = []
    for stage in Stage:
        if await conn.fetchval("SELECT to_regclass($1)", f"{stage.value}.outbox") is None:
            continue
        async with conn.transaction():
            await conn.execute(f"SET LOCAL search_path TO {stage.value}")
            found = await outbox_backlog(conn)
        rows.append({"schema": stage.value, **found._asdict()})
    return rows


async def delivery_queue(conn: asyncpg.Connection) -> dict[str, Any] | None:
    """The mails notifications has still to send (`deliveries` with status pending: due now, or waiting for a
    retry); None when the notifications schema is not there."""
    if await conn.fetchval("SELECT to_regclass('notifications.deliveries')") is None:
        return None
    row = await conn.fetchrow(
        "SELECT count(*) AS pending,"
        " count(*) FILTER (WHERE next_attempt_at IS NULL OR next_attempt_at <= now()) AS due,"
        " coalesce(extract(epoch FROM now() - min(recorded_at)), 0)::float8 AS oldest_pending_s"
        " FROM notifications.deliveries WHERE status = 'pending'"
    )
    return dict(row) if row is not None else None


async def backlogs(settings: ServiceSettings) -> dict[str, Any]:
    conn = await asyncpg.connect(settings.database_url)
    try:
        return {"outbox": await outboxes(conn), "deliveries": await delivery_queue(conn)}
    finally:
        await conn.close()
