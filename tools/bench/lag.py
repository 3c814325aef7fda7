"""How far the reporting read model lags behind the journey: for every event it applied during the run, the time
from the source stage's commit of that event (its outbox row's `recorded_at`) to reporting's commit of its effect
(its inbox row's `handled_at`) — Kafka publishing, consumption and the read model's transaction together."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime
from typing import Any

import asyncpg

SOURCES = ("recruitment", "recognition", "qualification", "placement")


async def settle(database_url: str, since: datetime, timeout_s: float = 60.0, quiet_s: float = 3.0) -> float:
    """Wait until the reporting service has applied nothing new for `quiet_s`; returns the seconds waited."""
    began = time.monotonic()
    conn = await asyncpg.connect(database_url)
    try:
        last, last_change = -1, time.monotonic()
        while time.monotonic() - began < timeout_s:
            count = await conn.fetchval("SELECT count(*) FROM reporting.inbox WHERE handled_at >= $1", since)
            if count != last:
                last, last_change = count, time.monotonic()
            elif time.monotonic() - last_change >= quiet_s:
                break
            await asyncio.sleep(0.5)
    finally:
        await conn.close()
    return time.monotonic() - began


async def reporting_lag(database_url: str, since: datetime) -> dict[str, Any]:
    """Percentiles (seconds) of the lag of every event the reporting service applied since `since`."""
    union = " UNION ALL ".join(f"SELECT ce_id, recorded_at FROM {s}.outbox" for s in SOURCES)
    conn = await asyncpg.connect(database_url)
    try:
        row = await conn.fetchrow(
            "SELECT count(*) AS n,"
            " percentile_cont(ARRAY[0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY lag) AS p,"
            " max(lag) AS max"
            " FROM (SELECT extract(epoch FROM i.handled_at - o.recorded_at)::float8 AS lag"
            f"  FROM reporting.inbox i JOIN ({union}) o ON o.ce_id = i.message_id"
            "  WHERE i.handled_at >= $1 AND i.outcome = 'applied') lags",
            since,
        )
    finally:
        await conn.close()
    if row is None or not row["n"]:
        return {"events": 0}
    p50, p90, p99 = row["p"]
    return {"events": row["n"], "p50_s": p50, "p90_s": p90, "p99_s": p99, "max_s": row["max"]}
