"""The journey topics as the bench sees them: their partitions, end offsets, and every record between two offsets."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from shared.contracts.envelope import decode_headers
from shared.contracts.topics import ALL_TOPICS
from shared.kafka import ensure_topics
from shared.settings import ServiceSettings

Offsets = dict[TopicPartition, int]


@dataclass(frozen=True, slots=True)
class Record:
    """One journey message as read back from its topic."""

    topic: str
    partition: int
    offset: int
    key: str
    ce_id: str
    ce_type: str
    causation_id: str
    body: dict[str, Any]

    @property
    def name(self) -> str:
        """`RecognitionDecided` for `journey.recognition.RecognitionDecided.v1`."""
        parts = self.ce_type.split(".")
        return parts[2] if len(parts) >= 4 else self.ce_type


def reader(bootstrap: str) -> AIOKafkaConsumer:
    """A consumer outside any group: it commits nothing and leaves no state in the broker."""
    return AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_partition_fetch_bytes=4 * 1024 * 1024,
        request_timeout_ms=60_000,
    )


async def partitions(
    consumer: AIOKafkaConsumer, topics: Iterable[str] = ALL_TOPICS, timeout_s: float = 30
) -> list[TopicPartition]:
    """Every partition of `topics`. The consumer's own cluster view only covers what it subscribed to, so ask the
    broker for all of it, until it knows every topic: a topic created a moment ago (by us or a service starting
    beside us) may be missing from the first answer, and a reader that skipped it would never see its records."""
    names = list(topics)
    deadline = time.monotonic() + timeout_s
    while True:
        cluster = await consumer._client.fetch_all_metadata()
        missing = [name for name in names if not cluster.partitions_for_topic(name)]
        if not missing:
            return [TopicPartition(name, p) for name in names for p in sorted(cluster.partitions_for_topic(name) or ())]
        if time.monotonic() > deadline:
            raise RuntimeError(f"the broker does not know these topics after {timeout_s:.0f} s: {missing}")
        await asyncio.sleep(0.2)


async def end_offsets(bootstrap: str, topics: Iterable[str] = ALL_TOPICS) -> Offsets:
    """Where each partition of the journey topics ends now (the next offset to be written)."""
    await ensure_topics(ServiceSettings(kafka_bootstrap_servers=bootstrap, topic_partitions=3), list(topics))
    consumer = reader(bootstrap)
    await consumer.start()
    try:
        return dict(await consumer.end_offsets(await partitions(consumer, topics)))
    finally:
        await consumer.stop()


def parse(raw: Any) -> Record:
    headers = decode_headers(raw.headers or ())
    try:
        body = json.loads(raw.value or b"{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        body = {}
    return Record(
        topic=raw.topic,
        partition=raw.partition,
        offset=raw.offset,
        key=(raw.key or b"").decode("utf-8", "replace"),
        ce_id=headers.get("ce_id", ""),
        ce_type=headers.get("ce_type", ""),
        causation_id=headers.get("ce_causationid", ""),
        body=body if isinstance(body, dict) else {},
    )


async def read_between(bootstrap: str, start: Offsets, end: Offsets, timeout_s: float = 300) -> list[Record]:
    """Every record from `start` (inclusive) to `end` (exclusive), per partition."""
    wanted = {tp: (start.get(tp, 0), stop) for tp, stop in end.items() if stop > start.get(tp, 0)}
    if not wanted:
        return []
    consumer = reader(bootstrap)
    await consumer.start()
    records: list[Record] = []
    try:
        consumer.assign(list(wanted))
        for tp, (first, _) in wanted.items():
            consumer.seek(tp, first)
        left = set(wanted)
        deadline = time.monotonic() + timeout_s
        while left and time.monotonic() < deadline:
            batches = await consumer.getmany(*left, timeout_ms=1000, max_records=5000)
            for tp, raws in batches.items():
                records.extend(parse(raw) for raw in raws if raw.offset < wanted[tp][1])
            for tp in list(left):
                if await consumer.position(tp) >= wanted[tp][1]:
                    left.discard(tp)
        if left:
            raise RuntimeError(f"could not read {sorted(map(str, left))} to their end in {timeout_s:.0f}s")
        return records
    finally:
        await consumer.stop()
