"""A service creates its topics with the partitions it is configured for, even when it names one twice (it consumes
its own commands topic): the broker refuses a request naming a topic twice, and the first consumer then used to
auto-create it with the broker's default of one partition."""

from __future__ import annotations

import uuid

from aiokafka.admin import AIOKafkaAdminClient

from shared.kafka import ensure_topics
from shared.settings import ServiceSettings
from tests.support.infra import Infra


async def test_topics_named_twice_are_created_once_with_the_configured_partitions(infra: Infra) -> None:
    name = f"scratch.topics.{uuid.uuid4().hex[:8]}"

    settings = ServiceSettings(kafka_bootstrap_servers=infra.kafka, topic_partitions=3)
    await ensure_topics(settings, [name, f"{name}.events", name])

    admin = AIOKafkaAdminClient(bootstrap_servers=infra.kafka)
    await admin.start()
    try:
        described = await admin.describe_topics([name, f"{name}.events"])
        await admin.delete_topics([name, f"{name}.events"])
    finally:
        await admin.close()
    assert {t["topic"]: len(t["partitions"]) for t in described} == {name: 3, f"{name}.events": 3}
