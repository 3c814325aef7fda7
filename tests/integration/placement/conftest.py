"""A placement service process per test, recruitment's facts published by hand, and the placement schema."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer

from tests.integration.placement.helpers import PlacementRows, RecruitmentFacts
from tests.support.infra import Infra
from tests.support.processes import ServiceProcess


@pytest.fixture
def placement(infra: Infra, log_dir: Path) -> Iterator[ServiceProcess]:
    service = ServiceProcess("placement", infra, log_dir).start()
    yield service
    service.stop()


@pytest.fixture
def placement_6_12(infra: Infra, log_dir: Path) -> Iterator[ServiceProcess]:
    """A placement service configured for the foundation's follow-ups only."""
    service = ServiceProcess("placement", infra, log_dir, RETENTION_MONTHS="6,12").start()
    yield service
    service.stop()


@pytest.fixture(scope="session")
async def rows(infra: Infra) -> AsyncIterator[PlacementRows]:
    conn = await asyncpg.connect(infra.database_url)
    yield PlacementRows(conn)
    await conn.close()


@pytest.fixture(scope="session")
async def recruitment_facts(infra: Infra, rows: PlacementRows) -> AsyncIterator[RecruitmentFacts]:
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka, acks="all", enable_idempotence=True)
    await producer.start()
    yield RecruitmentFacts(producer, rows)
    await producer.stop()
