"""A reporting service process per test, the other stages' facts published by hand, and the reporting schema."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer

from tests.integration.reporting.helpers import Facts, ReportingRows
from tests.support.infra import Infra
from tests.support.processes import ServiceProcess


@pytest.fixture
def reporting(infra: Infra, log_dir: Path) -> Iterator[ServiceProcess]:
    service = ServiceProcess("reporting", infra, log_dir).start()
    yield service
    service.stop()


@pytest.fixture(scope="session")
async def reporting_rows(infra: Infra) -> AsyncIterator[ReportingRows]:
    """A connection that sees the reporting schema, as the page's pool does."""
    conn = await asyncpg.connect(infra.database_url, server_settings={"search_path": "reporting"})
    yield ReportingRows(conn)
    await conn.close()


@pytest.fixture(scope="session")
async def facts(infra: Infra, reporting_rows: ReportingRows) -> AsyncIterator[Facts]:
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka, acks="all", enable_idempotence=True)
    await producer.start()
    yield Facts(producer, reporting_rows)
    await producer.stop()
