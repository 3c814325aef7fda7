"""Session fixtures: a real Kafka and a real PostgreSQL (never skipped under CI), and a partner producer."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer

from tests.support.infra import Infra, real_infrastructure
from tests.support.kafka import Partner


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = str(item.path)
        if "/integration/" in path:
            item.add_marker(pytest.mark.integration)
        if "/e2e/" in path:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def infra() -> Iterator[Infra]:
    try:
        with real_infrastructure() as found:
            yield found
    except Exception as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs a real Kafka and PostgreSQL: {error}", pytrace=False)
        pytest.skip(f"no real Kafka and PostgreSQL: {error}")


@pytest.fixture(scope="session")
def log_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("service-logs")


@pytest.fixture(scope="session")
async def partner(infra: Infra) -> AsyncIterator[Partner]:
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka, acks="all", enable_idempotence=True)
    await producer.start()
    yield Partner(producer)
    await producer.stop()
