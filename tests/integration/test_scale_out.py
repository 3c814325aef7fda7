"""Two instances of a service on one schema (real PostgreSQL and Kafka): one outbox relay leads and the other stands
by, taking over when the leader's session dies, with nothing published twice or out of order; two timer sweeps
fire every due timer exactly once between them."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import asyncpg
import pytest

from shared import outbox
from shared.contracts.topics import Stage
from shared.kafka import create_producer, ensure_topics
from shared.outbox import OutboxRelay
from shared.postgres import create_pool, transaction
from shared.retry import Backoff
from shared.settings import ServiceSettings
from shared.timers import Timer, TimerSweep
from shared.unit_of_work import UnitOfWork
from tests.support.infra import Infra
from tests.support.kafka import Tap
from tests.support.schemas import scratch_schema

T = TypeVar("T")
KEY = b"5b0f2a8e-3c4d-4e6f-9a1b-2c3d4e5f6a7b"


@dataclass(frozen=True)
class Witness(Backoff):
    """Retries like the service's backoff and keeps every transient failure it retried (what the log would say)."""

    failures: list[BaseException] = field(default_factory=list)
    failed: asyncio.Event = field(default_factory=asyncio.Event)

    async def run(
        self,
        operation: Callable[[], Awaitable[T]],
        *,
        what: str,
        on_retry: Callable[[BaseException], None] | None = None,
    ) -> T:
        return await Backoff.run(self, operation, what=what, on_retry=self._seen)

    def _seen(self, error: BaseException) -> None:
        self.failures.append(error)
        self.failed.set()


@pytest.fixture
async def schema(infra: Infra) -> AsyncIterator[str]:
    """A schema with the runtime tables only (outbox, inbox, timers); dropped afterwards."""
    async with scratch_schema(infra.database_url, "scale_out") as name:
        yield name


@pytest.fixture
async def instances(infra: Infra, schema: str) -> AsyncIterator[tuple[asyncpg.Pool, asyncpg.Pool]]:
    """One pool per instance, as two processes of the service would have."""
    pools = (
        await create_pool(infra.database_url, schema, max_size=2),
        await create_pool(infra.database_url, schema, max_size=2),
    )
    yield pools
    for pool in pools:
        await pool.close()


async def record(pool: asyncpg.Pool, topic: str, values: range) -> None:
    async with transaction(pool) as conn:
        for n in values:
            ce_id = str(uuid.uuid4())
            payload = str(n).encode()
            await outbox.record(
                conn, ce_id=ce_id, ce_type="test.Happened.v1", topic=topic, key=KEY, headers=[], payload=payload
            )


async def kill_relay_session(database_url: str, schema: str) -> None:
    """End the session holding the schema's relay lock, as the crash of its process would."""
    conn = await asyncpg.connect(database_url)
    try:
        ended = await conn.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND ((classid::bigint << 32) | objid::bigint) = hashtext($1)::bigint",
            f"outbox-relay:{schema}",
        )
    finally:
        await conn.close()
    assert ended == 1


async def test_the_standby_relay_takes_over_when_the_leaders_session_dies_and_nothing_goes_out_twice(
    infra: Infra, schema: str, instances: tuple[asyncpg.Pool, asyncpg.Pool]
) -> None:
    topic = f"journey.{schema.replace('_', '-')}.events"
    settings = ServiceSettings(kafka_bootstrap_servers=infra.kafka, topic_partitions=1)
    await ensure_topics(settings, [topic])
    producers = [create_producer(settings, f"test-relay-{n}") for n in (1, 2)]
    for producer in producers:
        await producer.start()
    # The leader waits a while before it tries again, so the standby is the one that carries on.
    leader_backoff, standby_backoff = Witness(1.0, 1.0), Witness(0.05, 0.2)
    leader = OutboxRelay(instances[0], producers[0], schema, poll_interval_s=0.1, backoff=leader_backoff)
    standby = OutboxRelay(instances[1], producers[1], schema, poll_interval_s=0.1, backoff=standby_backoff)
    tasks: list[asyncio.Task[None]] = []
    try:
        async with Tap(infra.kafka, topic) as tap:
            tasks.append(asyncio.create_task(leader.run()))
            await record(instances[0], topic, range(1, 6))
            await tap.wait_for(lambda r: True, count=5)
            tasks.append(asyncio.create_task(standby.run()))
            await asyncio.sleep(0.5)  # it stands by: the rows are published, nothing is sent again

            await kill_relay_session(infra.database_url, schema)
            await asyncio.wait_for(leader_backoff.failed.wait(), 10)
            tasks.pop(0).cancel()  # the leader's process is gone for good
            await record(instances[1], topic, range(6, 11))
            seen = await tap.wait_for(lambda r: True, count=10, settle_s=1.0)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for producer in producers:
            await producer.stop()

    assert [r.value.decode() for r in seen] == [str(n) for n in range(1, 11)]
    # The leader reports why it stopped, not a failure of dropping the connection the pool had let go already.
    assert all("terminate" not in repr(error) for error in leader_backoff.failures), leader_backoff.failures
    async with transaction(instances[1]) as conn:
        assert await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0


async def test_two_sweeps_fire_every_due_timer_once_between_them(
    schema: str, instances: tuple[asyncpg.Pool, asyncpg.Pool]
) -> None:
    now = datetime.now(UTC)
    async with transaction(instances[0]) as conn:
        await conn.execute("CREATE TABLE fired (timer_id text NOT NULL, sweep int NOT NULL)")
        for n in range(120):
            uow = UnitOfWork(conn, Stage.PLACEMENT, f"setup-{n}", now)
            await uow.schedule(kind="check_due", participant_id=uuid.uuid4(), due_at=now - timedelta(minutes=n))

    def handler(sweep: int) -> Callable[[UnitOfWork, Timer], Awaitable[None]]:
        async def fire(uow: UnitOfWork, timer: Timer) -> None:
            await uow.conn.execute("INSERT INTO fired VALUES ($1, $2)", timer.timer_id, sweep)
            await asyncio.sleep(0.005)  # the other sweep runs meanwhile

        return fire

    sweeps = [
        TimerSweep(pool, Stage.PLACEMENT, {"check_due": handler(n)}, batch_size=10, clock=lambda: now)
        for n, pool in enumerate(instances)
    ]

    async def drain(sweep: TimerSweep) -> None:
        while await sweep.sweep_once():
            pass

    await asyncio.gather(*(drain(sweep) for sweep in sweeps))

    async with transaction(instances[0]) as conn:
        per_timer = await conn.fetch("SELECT timer_id, count(*) AS n FROM fired GROUP BY 1")
        sweeps_that_fired = {row["sweep"] for row in await conn.fetch("SELECT DISTINCT sweep FROM fired")}
        unfired = await conn.fetchval("SELECT count(*) FROM timers WHERE fired_at IS NULL")
    assert len(per_timer) == 120 and {row["n"] for row in per_timer} == {1}
    assert unfired == 0
    # Both took timers: the rows one had locked, the other skipped instead of waiting for them.
    assert sweeps_that_fired == {0, 1}
