"""Talk to the real broker as a partner would: send commands with CloudEvents headers, tap topics."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import RecordMetadata

from shared.contracts.envelope import BaseMessage, Envelope, encode
from shared.contracts.topics import Kind, Stage


@dataclass(frozen=True)
class Received:
    topic: str
    key: str | None
    headers: dict[str, str]
    value: bytes

    @property
    def body(self) -> Any:
        return json.loads(self.value)

    @property
    def ce_type(self) -> str:
        return self.headers.get("ce_type", "")


class Partner:
    """A plain aiokafka producer sending binary-mode CloudEvents: commands as a partner system does, events as the
    stage's own service would (source `/journey/<stage>`), to feed a service the facts it consumes."""

    def __init__(self, producer: AIOKafkaProducer, source: str = "/partners/test") -> None:
        self._producer = producer
        self._source = source

    async def send(self, message: BaseMessage, *, ce_id: str | None = None) -> str:
        source = f"/journey/{message.stage.value}" if message.kind is Kind.EVENT else self._source
        envelope = Envelope.for_message(message, source=source, id=ce_id)
        key, headers, value = encode(message, envelope)
        await self._producer.send_and_wait(message.topic(), value=value, key=key, headers=headers)
        return envelope.id

    async def send_raw(
        self,
        topic: str,
        value: bytes,
        *,
        key: bytes | None = None,
        headers: list[tuple[str, bytes]] | None = None,
        partition: int | None = None,
    ) -> RecordMetadata:
        """Send bytes as they are, to `partition` if given (else the key's); returns where the record went."""
        return await self._producer.send_and_wait(
            topic, value=value, key=key, headers=headers or [], partition=partition
        )


class Tap:
    """Reads a topic from the offsets it had when the tap opened: what tests expect to appear."""

    def __init__(self, bootstrap: str, topic: str) -> None:
        self._bootstrap = bootstrap
        self._consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
        self.topic = topic
        self.seen: list[Received] = []

    async def __aenter__(self) -> Tap:
        partitions = await _partitions(self._bootstrap, self.topic)
        await self._consumer.start()
        tps = [TopicPartition(self.topic, p) for p in partitions]
        self._consumer.assign(tps)
        ends = await self._consumer.end_offsets(tps)
        for tp in tps:
            self._consumer.seek(tp, ends[tp])
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._consumer.stop()

    async def _poll(self, timeout_s: float) -> None:
        batches = await self._consumer.getmany(timeout_ms=int(timeout_s * 1000))
        for records in batches.values():
            for r in records:
                self.seen.append(
                    Received(r.topic, r.key.decode() if r.key else None, {k: v.decode() for k, v in r.headers}, r.value)
                )

    async def wait_for(
        self, match: Callable[[Received], bool], *, count: int = 1, timeout_s: float = 30, settle_s: float = 0
    ) -> list[Received]:
        """The matching records once `count` arrived (and `settle_s` more passed, to catch extras)."""
        deadline = time.monotonic() + timeout_s
        while len([r for r in self.seen if match(r)]) < count and time.monotonic() < deadline:
            await self._poll(0.5)
        settle_until = time.monotonic() + settle_s
        while time.monotonic() < settle_until:
            await self._poll(0.2)
        return [r for r in self.seen if match(r)]


async def _partitions(bootstrap: str, topic: str, timeout_s: float = 30) -> list[int]:
    """The topic's partitions, waiting for a service to create it."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            [described] = await admin.describe_topics([topic])
            if described["partitions"]:
                return [p["partition"] for p in described["partitions"]]
            if time.monotonic() > deadline:
                raise AssertionError(f"topic {topic} does not exist")
            await asyncio.sleep(0.2)
    finally:
        await admin.close()


def for_participant(participant_id: uuid.UUID | str, ce_type: str | None = None) -> Callable[[Received], bool]:
    return lambda r: r.key == str(participant_id) and (ce_type is None or r.ce_type == ce_type)


__all__ = ["Partner", "Received", "Stage", "Tap", "for_participant"]
