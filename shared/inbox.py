"""Idempotent consumer: a message id is recorded once per consumer, with the effects it had."""

from __future__ import annotations

import asyncpg


async def claim(conn: asyncpg.Connection, *, consumer: str, message_id: str, topic: str, ce_type: str | None) -> bool:
    """Record the message inside the caller's transaction; False when it was handled before."""
    inserted = await conn.fetchval(
        "INSERT INTO inbox (consumer, message_id, topic, ce_type, outcome) VALUES ($1, $2, $3, $4, 'applied')"
        " ON CONFLICT DO NOTHING RETURNING true",
        consumer,
        message_id,
        topic,
        ce_type,
    )
    return bool(inserted)


async def mark_rejected(conn: asyncpg.Connection, *, consumer: str, message_id: str, reason: str) -> None:
    await conn.execute(
        "UPDATE inbox SET outcome = $3 WHERE consumer = $1 AND message_id = $2",
        consumer,
        message_id,
        f"rejected:{reason}",
    )
