"""The operator's way onto the bus: a group-less reader that reads topics up to the end they had when it began,
and a producer. Both connect as the settings say (`journey-operator` on the secured listener with
KAFKA_CREDENTIALS_FILE, the loopback development listener otherwise)."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Awaitable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError

from shared import kafka_records
from shared.decoding import Record
from shared.kafka import client_security, create_producer
from shared.operators.failures import OperatorError
from shared.operators.output import Progressed
from shared.settings import ServiceSettings

CLIENT_ID = "journey-operator"
CONNECT_TIMEOUT_S = 15.0
STALLED_AFTER_S = 30.0
"""A scan that reads nothing for this long although records remain stops with an error instead of hanging."""
JOURNEY_TOPICS = re.compile(r"journey\..+")


async def connected(start: Awaitable[None], settings: ServiceSettings) -> None:
    """Await a client's start; a broker that does not answer becomes one readable line."""
    try:
        await asyncio.wait_for(start, CONNECT_TIMEOUT_S)
    except (KafkaError, OSError, TimeoutError) as error:
        raise OperatorError(f"Kafka at {settings.kafka_bootstrap_servers} does not answer: {error!r}") from None


@dataclass(frozen=True)
class Bus:
    """A consumer without a group (it commits nothing and leaves no trace in the services' groups) and an admin
    client, which knows the topics and their partitions (the consumer learns only those it reads)."""

    consumer: AIOKafkaConsumer
    admin: AIOKafkaAdminClient

    async def topics(self, pattern: re.Pattern[str]) -> list[str]:
        """The topics the broker has (that this principal may see) whose whole name matches."""
        return sorted(name for name in await self.admin.list_topics() if pattern.fullmatch(name))

    async def partitions(self, topics: Iterable[str]) -> list[TopicPartition]:
        wanted = sorted(set(topics))
        described = await self.admin.describe_topics(wanted) if wanted else []
        return sorted(
            TopicPartition(topic["topic"], partition["partition"])
            for topic in described
            for partition in topic["partitions"]
        )


@asynccontextmanager
async def reader(settings: ServiceSettings) -> AsyncIterator[Bus]:
    kafka_records.install()  # a header name that is not UTF-8 must not stop a scan (see the module)
    security = client_security(settings)
    servers = settings.kafka_bootstrap_servers
    consumer = AIOKafkaConsumer(
        bootstrap_servers=servers, client_id=CLIENT_ID, group_id=None, enable_auto_commit=False, **security
    )
    admin = AIOKafkaAdminClient(bootstrap_servers=servers, client_id=CLIENT_ID, **security)
    try:
        await connected(admin.start(), settings)
        await connected(consumer.start(), settings)
        yield Bus(consumer, admin)
    finally:
        await consumer.stop()
        await admin.close()


@asynccontextmanager
async def producer(settings: ServiceSettings) -> AsyncIterator[AIOKafkaProducer]:
    sender = create_producer(settings, CLIENT_ID)
    try:
        await connected(sender.start(), settings)
        yield sender
    finally:
        await sender.stop()


async def read_to_end(
    bus: Bus,
    topics: Iterable[str],
    *,
    since: datetime | None = None,
    progress: Progressed | None = None,
) -> AsyncIterator[Record]:
    """Every record of `topics` (from `since`, when given) up to the end offsets read first: records written while
    it reads are not waited for, so it always ends."""
    partitions = await bus.partitions(topics)
    if not partitions:
        return
    consumer = bus.consumer
    consumer.assign(partitions)
    ends: dict[TopicPartition, int] = await consumer.end_offsets(partitions)
    starts = await _starts(consumer, partitions, ends, since)
    for tp, offset in starts.items():
        consumer.seek(tp, offset)
    remaining = {tp for tp in partitions if starts[tp] < ends[tp]}
    total, done, last_read = sum(ends[tp] - starts[tp] for tp in remaining), 0, time.monotonic()
    while remaining:
        batches = await consumer.getmany(*remaining, timeout_ms=500)
        for tp, records in batches.items():
            for record in records:
                if record.offset < ends[tp]:
                    done += 1
                    yield record
        for tp in list(remaining):  # transaction markers and compacted gaps hold no record: ask the position
            if await consumer.position(tp) >= ends[tp]:
                remaining.discard(tp)
        if batches:
            last_read = time.monotonic()
        elif time.monotonic() - last_read > STALLED_AFTER_S:
            raise OperatorError(f"reading stalled with {total - done} records left; is the broker healthy?")
        if progress is not None:
            progress(done, total)


async def _starts(
    consumer: AIOKafkaConsumer,
    partitions: list[TopicPartition],
    ends: dict[TopicPartition, int],
    since: datetime | None,
) -> dict[TopicPartition, int]:
    """Where each partition is read from: its beginning, or the first record appended at `since` or later."""
    if since is None:
        begins: dict[TopicPartition, int] = await consumer.beginning_offsets(partitions)
        return begins
    millis = int(since.timestamp() * 1000)
    found = await consumer.offsets_for_times(dict.fromkeys(partitions, millis))
    return {tp: ends[tp] if found[tp] is None else found[tp].offset for tp in partitions}


def header(record: Record, name: str) -> str | None:
    """A header's last value as text (None when absent)."""
    values = [value for key, value in record.headers or () if key == name]
    return values[-1].decode("utf-8", "replace") if values and values[-1] is not None else None


def moment(record: Record) -> datetime:
    """When it happened as its sender says (`ce_time`), else when the broker appended it."""
    stated = header(record, "ce_time")
    if stated:
        try:
            return datetime.fromisoformat(stated.upper().replace("Z", "+00:00")).astimezone(UTC)
        except ValueError:
            pass
    return datetime.fromtimestamp(record.timestamp / 1000, UTC)
