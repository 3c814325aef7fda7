"""The bench's preload (tools/bench/preload.py) on a real PostgreSQL, in a database of its own: fifty journeys leave
what their walks' shapes say in every service, the services read those rows back, nothing is left for the timer
sweep, the delivery loops or the relay to do, and a second run only tops up."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit
from uuid import UUID

import asyncpg
import pytest

from services.notifications import store as notifications_store
from services.placement import store as placement_store
from services.qualification import store as qualification_store
from services.recognition import store as recognition_store
from services.recruitment import store as recruitment_store
from shared.postgres import create_pool, transaction
from shared.settings import ServiceSettings
from tests.support.infra import Infra
from tools.bench.preload import preload, shape_rows
from tools.bench.preload_shapes import SHAPES

JOURNEYS = 50


@pytest.fixture(scope="module")
async def database(infra: Infra) -> AsyncIterator[str]:
    """A database of its own on the test server, with fifty journeys preloaded; dropped afterwards."""
    name = f"preload_test_{uuid.uuid4().hex[:12]}"
    server = await asyncpg.connect(infra.database_url)
    await server.execute(f"CREATE DATABASE {name}")
    url = urlunsplit(urlsplit(infra.database_url)._replace(path=f"/{name}"))
    try:
        await preload(url, JOURNEYS, batch=20, say=lambda _: None)
        yield url
    finally:
        await server.execute(f"DROP DATABASE {name} WITH (FORCE)")
        await server.close()


def walks_of(journeys: range) -> list[str]:
    """The walk of each journey number, as the preload deals them (tools/bench/preload_sql.py BATCH)."""
    ranges = [(lo, hi, name) for name, lo, hi, *_ in shape_rows()["pl_walks"]]
    return [next(name for lo, hi, name in ranges if lo <= n * 37 % 100 < hi) for n in journeys]


async def count(conn: asyncpg.Connection, table: str, where: str = "true") -> int:
    return int(await conn.fetchval(f"SELECT count(*) FROM {table} WHERE {where}"))


async def test_each_journey_leaves_its_walk_s_rows_in_every_service(database: str) -> None:
    shapes = [SHAPES[name] for name in walks_of(range(JOURNEYS))]
    employed = sum(s.employer is not None for s in shapes)
    conn = await asyncpg.connect(database)
    try:
        for table in ("recruitment.participants", "recognition.cases", "qualification.participants",
                      "placement.placements", "notifications.participants", "reporting.participants",
                      "reporting.paths"):  # fmt: skip
            assert await count(conn, table) == JOURNEYS, table
        assert await count(conn, "qualification.measures") == sum(len(s.measures) for s in shapes)
        assert await count(conn, "qualification.certificates") == sum(len(s.certificates) for s in shapes)
        assert await count(conn, "qualification.exams") == sum(len(s.exams) for s in shapes)
        assert await count(conn, "recognition.timers") == sum(
            2 * len(s.applications) + 2 * (s.permit_until is not None) for s in shapes
        )
        assert await count(conn, "placement.offers") == employed
        assert await count(conn, "placement.timers") == 8 * employed
        checks = await count(conn, "placement.retention_checks")
        completed = await count(conn, "recruitment.participants", "status = 'completed'")
        milestones = sum(len(s.milestones) for s in shapes) + checks + completed
        assert await count(conn, "notifications.milestones") == milestones
        assert await count(conn, "notifications.deliveries", "status = 'sent'") == 2 * milestones
        assert await count(conn, "reporting.participants", "status = 'completed'") == completed
    finally:
        await conn.close()


async def test_nothing_is_left_for_the_sweep_the_delivery_loops_the_relay_or_the_inbox_purge(database: str) -> None:
    inbox_kept = timedelta(seconds=ServiceSettings.model_fields["inbox_retention_s"].default)
    conn = await asyncpg.connect(database)
    try:
        for schema in ("recognition", "placement"):
            due = "due_at <= now() AND fired_at IS NULL AND cancelled_at IS NULL"
            assert await count(conn, f"{schema}.timers", due) == 0, schema
        assert await count(conn, "notifications.deliveries", "status <> 'sent'") == 0
        for schema in ("recruitment", "recognition", "qualification", "placement", "notifications", "reporting"):
            assert await count(conn, f"{schema}.outbox", "published_at IS NULL") == 0, schema
            old = await conn.fetchval(
                f"SELECT count(*) FROM {schema}.inbox WHERE handled_at < $1", datetime.now(UTC) - inbox_kept
            )
            assert old == 0, schema
    finally:
        await conn.close()


Read = Callable[[asyncpg.Connection, UUID], Awaitable[object]]
READERS: dict[str, Read] = {
    "recruitment": recruitment_store.lock,
    "recognition": recognition_store.lock,
    "qualification": qualification_store.lock,
    "placement": placement_store.lock,
    "notifications": lambda conn, participant_id: notifications_store.lock(conn, participant_id, datetime.now(UTC)),
}


@pytest.mark.parametrize("schema", READERS)
async def test_the_services_read_back_the_participants_preloaded_for_them(database: str, schema: str) -> None:
    pool = await create_pool(database, schema, max_size=2)
    try:
        async with transaction(pool) as conn:
            ids = [r[0] for r in await conn.fetch("SELECT participant_id FROM recruitment.participants")]
            found = [await READERS[schema](conn, participant_id) for participant_id in ids]
    finally:
        await pool.close()
    assert len(found) == JOURNEYS and all(found)


async def test_a_second_run_tops_up_to_the_number_asked_for(database: str) -> None:
    said: list[str] = []
    await preload(database, JOURNEYS, batch=20, say=said.append)
    assert said[0].startswith(f"preload: {JOURNEYS} journeys there") and "0 batch(es)" in said[0]
    await preload(database, JOURNEYS + 10, batch=20, say=said.append)
    conn = await asyncpg.connect(database)
    try:
        assert await count(conn, "recruitment.participants") == JOURNEYS + 10
        assert await count(conn, "reporting.paths") == JOURNEYS + 10
    finally:
        await conn.close()
