"""A notifications process per test on the real broker and database, mailing a real SMTP sink in this process."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer

from tests.integration.notifications.support import Publisher, World, notifications_process
from tests.support.infra import Infra
from tests.support.processes import ServiceProcess
from tests.support.smtp import SmtpSink


@pytest.fixture(scope="session")
def smtp_sink() -> Iterator[SmtpSink]:
    with SmtpSink() as sink:
        yield sink


@pytest.fixture(scope="session")
async def publisher(infra: Infra) -> AsyncIterator[Publisher]:
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka, acks="all", enable_idempotence=True)
    await producer.start()
    yield Publisher(producer)
    await producer.stop()


@pytest.fixture
def world() -> World:
    return World()


@pytest.fixture
def notifications(infra: Infra, log_dir: Path, smtp_sink: SmtpSink) -> Iterator[ServiceProcess]:
    service = notifications_process(infra, log_dir, smtp_sink).start()
    yield service
    service.stop()


@pytest.fixture
async def db(infra: Infra) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(infra.database_url, server_settings={"search_path": "notifications"})
    yield conn
    await conn.close()
