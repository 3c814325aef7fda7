"""The system after the run: consumer lag on every commands partition, the outboxes, and readiness."""

from __future__ import annotations

import asyncio
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import asyncpg
from aiokafka.admin import AIOKafkaAdminClient

from shared.contracts.topics import Kind, Stage, topic
from tools.bench.topics import end_offsets

STUCK_AFTER_S = 30.0  # an outbox row unpublished this long counts as stuck


def group_of(stage: Stage) -> str:
    """The consumer group of a stage's commands subscriber (shared/service.py: journey-<stage>.<topic>)."""
    return f"journey-{stage.value}.{topic(stage, Kind.COMMAND)}"


def partners_group_of(stage: Stage) -> str:
    """The consumer group of a stage's subscriber to every partner's commands topic (shared/service.py)."""
    return f"journey-{stage.value}.partners"


async def lag(bootstrap: str, partner_topics: Iterable[str] = ()) -> dict[str, int]:
    """Records not yet committed by the stage's group, per commands partition ("topic/partition"), of the shared
    commands topics and of `partner_topics` (`journey.<stage>.commands.<org>`, read by the stage's partners group)."""
    commands = [topic(stage, Kind.COMMAND) for stage in Stage]
    ends = await end_offsets(bootstrap, [*commands, *partner_topics])
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="journey-fuzz-admin")
    await admin.start()
    try:
        committed: dict[Any, int] = {}
        groups = [group_of(stage) for stage in Stage]
        groups += sorted({partners_group_of(Stage(name.split(".")[1])) for name in partner_topics})
        for group in groups:
            offsets = await admin.list_consumer_group_offsets(group)
            committed.update({tp: meta.offset for tp, meta in offsets.items()})
    finally:
        await admin.close()
    return {f"{tp.topic}/{tp.partition}": end - max(committed.get(tp, 0), 0) for tp, end in sorted(ends.items())}


async def outboxes(database_url: str, since: datetime) -> dict[str, dict[str, Any]]:
    """Per stage schema: rows waiting to be published (and the oldest one's age), rows set aside since `since`."""
    conn = await asyncpg.connect(database_url)
    try:
        found: dict[str, dict[str, Any]] = {}
        for stage in Stage:
            row = await conn.fetchrow(
                f"SELECT count(*) FILTER (WHERE published_at IS NULL AND set_aside_at IS NULL) AS pending,"
                f" coalesce(extract(epoch FROM now() - min(recorded_at) FILTER"
                f"  (WHERE published_at IS NULL AND set_aside_at IS NULL)), 0)::float8 AS oldest_s,"
                f" count(*) FILTER (WHERE set_aside_at >= $1) AS set_aside,"
                f" count(*) FILTER (WHERE set_aside_at IS NOT NULL) AS set_aside_ever"
                f" FROM {stage.value}.outbox",
                since,
            )
            assert row is not None
            found[stage.value] = {
                "pending": int(row["pending"]),
                "oldest_pending_s": round(float(row["oldest_s"]), 1),
                "set_aside_since_start": int(row["set_aside"]),
                "set_aside_before": int(row["set_aside_ever"]) - int(row["set_aside"]),
            }
        return found
    finally:
        await conn.close()


def outbox_ok(state: dict[str, dict[str, Any]]) -> bool:
    return all(s["oldest_pending_s"] < STUCK_AFTER_S and s["set_aside_since_start"] == 0 for s in state.values())


async def settle(
    bootstrap: str, database_url: str, since: datetime, deadline: float, partner_topics: Iterable[str] = ()
) -> dict[str, Any]:
    """Wait (to the deadline) for every commands partition to reach lag 0 and the outboxes to drain."""
    seen_zero: set[str] = set()
    lags: dict[str, int] = {}
    partner_topics = list(partner_topics)
    while time.monotonic() < deadline:
        lags = await lag(bootstrap, partner_topics)
        seen_zero |= {tp for tp, n in lags.items() if n == 0}
        if seen_zero >= set(lags):
            break
        await asyncio.sleep(1)
    boxes = await outboxes(database_url, since)
    while time.monotonic() < deadline and any(b["pending"] for b in boxes.values()):
        await asyncio.sleep(1)
        boxes = await outboxes(database_url, since)
    stuck = {tp: n for tp, n in lags.items() if tp not in seen_zero}
    return {
        "lag": {
            "ok": not stuck and bool(lags),
            "detail": f"{len(seen_zero)}/{len(lags)} commands partitions reached lag 0"
            + (f"; not: {stuck}" if stuck else ""),
        },
        "outbox": {
            "ok": outbox_ok(boxes),
            "detail": "; ".join(
                f"{s} pending {b['pending']} (oldest {b['oldest_pending_s']} s), set aside {b['set_aside_since_start']}"
                f" (before the run: {b['set_aside_before']})"
                for s, b in boxes.items()
            ),
        },
    }


def ready_status(port: int) -> int | str:
    """The HTTP status of /health/ready (200 when ready), or why there was none."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except OSError as error:
        return repr(error)


async def readiness(ports: dict[str, int]) -> dict[str, int | str]:
    return {name: await asyncio.to_thread(ready_status, port) for name, port in ports.items()}
