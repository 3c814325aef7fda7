"""A qualification service process per module, and a stand-in for the stages whose events it reads."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer

from shared.contracts.envelope import Event
from tests.support.infra import Infra
from tests.support.kafka import Partner
from tests.support.processes import ServiceProcess

TABLES = ("participants", "measures", "certificates", "exams", "timers")


class OtherStages:
    """Publishes recruitment and recognition events as those services would: their source, their topic."""

    def __init__(self, producer: AIOKafkaProducer) -> None:
        self._producer = producer

    async def publish(self, event: Event, *, ce_id: str | None = None) -> str:
        return await Partner(self._producer).send(event, ce_id=ce_id)


class Rows:
    """Reads the qualification schema directly, to check what a message did (or did not) change."""

    def __init__(self, database_url: str) -> None:
        self._database_url = database_url

    async def fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        conn = await asyncpg.connect(self._database_url)
        try:
            return await conn.fetch(sql, *args)
        finally:
            await conn.close()

    async def measure_status(self, measure_id: str) -> str | None:
        sql = "SELECT status FROM qualification.measures WHERE measure_id = $1"
        rows = await self.fetch(sql, uuid.UUID(measure_id))
        return rows[0]["status"] if rows else None

    async def participant_status(self, participant_id: uuid.UUID) -> str | None:
        sql = "SELECT status FROM qualification.participants WHERE participant_id = $1"
        rows = await self.fetch(sql, participant_id)
        return rows[0]["status"] if rows else None

    async def outcome(self, participant_id: uuid.UUID) -> str | None:
        sql = "SELECT outcome FROM qualification.participants WHERE participant_id = $1"
        rows = await self.fetch(sql, participant_id)
        return rows[0]["outcome"] if rows else None

    async def wait_until(
        self,
        read: Callable[[uuid.UUID], Awaitable[object]],
        participant_id: uuid.UUID,
        *,
        equals: object,
        timeout_s: float = 30,
    ) -> None:
        """Poll `read` until it returns `equals`, for effects that publish no event."""
        deadline = time.monotonic() + timeout_s
        while (value := await read(participant_id)) != equals:
            if time.monotonic() > deadline:
                raise AssertionError(f"{read.__name__} is {value!r}, not {equals!r}, after {timeout_s}s")
            await asyncio.sleep(0.2)

    async def count(self, where: str, *args: Any) -> int:
        """`count(*)` of `qualification.<where>`, e.g. `measures WHERE participant_id = $1`."""
        return int((await self.fetch(f"SELECT count(*) AS n FROM qualification.{where}", *args))[0]["n"])

    async def unpublished(self, participant_id: uuid.UUID) -> int:
        return await self.count("outbox WHERE key = $1 AND published_at IS NULL", str(participant_id).encode())

    async def held_about(self, participant_id: uuid.UUID) -> dict[str, int]:
        """Rows per table that still name the participant, its events in the outbox included."""
        counts = {table: await self.count(f"{table} WHERE participant_id = $1", participant_id) for table in TABLES}
        counts["outbox"] = await self.count("outbox WHERE key = $1", str(participant_id).encode())
        return counts


@pytest.fixture(scope="module")
def qualification(infra: Infra, log_dir: Path) -> Iterator[ServiceProcess]:
    service = ServiceProcess("qualification", infra, log_dir).start()
    yield service
    service.stop()


@pytest.fixture(scope="session")
async def stages(infra: Infra) -> AsyncIterator[OtherStages]:
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka, acks="all", enable_idempotence=True)
    await producer.start()
    yield OtherStages(producer)
    await producer.stop()


@pytest.fixture
def rows(infra: Infra) -> Rows:
    return Rows(infra.database_url)
