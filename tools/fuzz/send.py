"""The partner's side: a plain aiokafka producer sending probes and canaries, and where each record landed."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from shared.contracts.envelope import BaseMessage
from shared.contracts.topics import Kind, Stage, topic
from tools.fuzz.canaries import Canary
from tools.fuzz.model import Probe
from tools.fuzz.plan import headers_for

BATCH = 500  # records in flight before their acknowledgements are collected


@dataclass
class Sent:
    """Where each probe landed (partition, offset), what could not be sent, and the canaries."""

    where: dict[int, tuple[int, int]] = field(default_factory=dict)
    errors: dict[int, str] = field(default_factory=dict)
    canaries: list[Canary] = field(default_factory=list)
    seconds: float = 0.0


class Sender:
    def __init__(self, bootstrap: str, source: str) -> None:
        self.source = source
        # As the partner guide asks: idempotent, acks=all. Large enough requests for the 1 MB probes.
        self.producer = AIOKafkaProducer(
            bootstrap_servers=bootstrap,
            client_id="journey-fuzz",
            enable_idempotence=True,
            acks="all",
            linger_ms=5,
            max_request_size=4 * 1024 * 1024,
            request_timeout_ms=60_000,
        )

    async def start(self) -> None:
        await self.producer.start()

    async def stop(self) -> None:
        await self.producer.stop()

    async def partitions(self) -> dict[str, int]:
        names = [topic(stage, Kind.COMMAND) for stage in Stage]
        return {name: len(await self.producer.partitions_for(name)) for name in names}

    async def command(self, ce_id: str, message: BaseMessage, partition: int | None = None) -> Any:
        """Send a valid command as the partner guide shows it (the same envelope the probes start from); returns
        the delivery future."""
        key = message.kafka_key()
        value = json.dumps(message.model_dump(mode="json")).encode()
        headers = headers_for(type(message), ce_id, key, self.source)
        return await self.producer.send(
            message.topic(), value=value, key=key.encode(), headers=headers, partition=partition
        )

    async def probes(self, probes: list[Probe], canary_for: Callable[[Probe], Canary | None]) -> Sent:
        """Every probe on its partition; after those `canary_for` names, a canary on the same partition."""
        sent = Sent()
        started = time.monotonic()
        pending: list[tuple[Probe | Canary, Any]] = []
        for probe in probes:
            try:
                future = await self.producer.send(
                    probe.topic,
                    value=probe.value,
                    key=probe.key,
                    headers=list(probe.headers),
                    partition=probe.partition,
                )
            except KafkaError as error:  # refused by the client itself: never reached the broker
                sent.errors[probe.index] = repr(error)
                continue
            pending.append((probe, future))
            canary = canary_for(probe)
            if canary is not None:
                canary.partition = probe.partition
                pending.append((canary, await self.command(canary.ce_id, canary.message, probe.partition)))
                sent.canaries.append(canary)
            if len(pending) >= BATCH:
                await _collect(pending, sent)
                pending = []
        await _collect(pending, sent)
        sent.seconds = time.monotonic() - started
        return sent


async def _collect(pending: list[tuple[Probe | Canary, Any]], sent: Sent) -> None:
    results = await asyncio.gather(*(future for _, future in pending), return_exceptions=True)
    for (record, _), result in zip(pending, results, strict=True):
        if isinstance(record, Canary):
            record.offset = -1 if isinstance(result, BaseException) else int(result.offset)
        elif isinstance(result, BaseException):
            sent.errors[record.index] = repr(result)
        else:
            sent.where[record.index] = (int(result.partition), int(result.offset))
