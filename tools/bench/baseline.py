"""The raw limit of this machine: aiokafka consume -> one asyncpg transaction -> aiokafka produce, per message.

The same shape of work a stage service does for one message (read, commit state, publish), without the
framework, the outbox relay, the inbox or validation. The system's throughput is reported as a ratio of this.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from shared.kafka import create_producer, ensure_topics


@dataclass(frozen=True)
class BaselineResult:
    messages: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.messages / self.seconds if self.seconds else 0.0


async def run_baseline(bootstrap: str, database_url: str, messages: int = 5000, partitions: int = 3) -> BaselineResult:
    run = uuid.uuid4().hex[:8]
    source, sink = f"bench.baseline.{run}.in", f"bench.baseline.{run}.out"
    await ensure_topics(bootstrap, [source, sink], partitions, 1)
    conn = await asyncpg.connect(database_url)
    await conn.execute(
        "CREATE SCHEMA IF NOT EXISTS bench; CREATE TABLE IF NOT EXISTS bench.baseline"
        " (message_id text PRIMARY KEY, participant_id text NOT NULL, payload jsonb NOT NULL)"
    )
    await conn.close()

    producer = create_producer(bootstrap, "bench-baseline")
    await producer.start()
    try:
        payload = {"participant_id": "", "target_profession": "nursing_professional", "note": "x" * 400}
        sends = []
        for i in range(messages):
            pid = str(uuid.uuid4())
            payload["participant_id"] = pid
            sends.append(await producer.send(source, json.dumps(payload).encode(), key=pid.encode(),
                                             headers=[("ce_id", f"{run}-{i}".encode())]))
        await asyncio.gather(*sends)
        return await _consume_transform_produce(bootstrap, database_url, source, sink, messages, producer)
    finally:
        await producer.stop()


async def _consume_transform_produce(
    bootstrap: str, database_url: str, source: str, sink: str, messages: int, producer: AIOKafkaProducer
) -> BaselineResult:
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
    consumer = AIOKafkaConsumer(
        source, bootstrap_servers=bootstrap, group_id=f"{source}.group", enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    done = 0
    started = time.perf_counter()
    try:
        while done < messages:
            batches = await consumer.getmany(timeout_ms=1000, max_records=500)
            for tp, records in batches.items():
                for record in records:
                    message_id = dict(record.headers)["ce_id"].decode()
                    async with pool.acquire() as conn, conn.transaction():
                        await conn.execute(
                            "INSERT INTO bench.baseline VALUES ($1, $2, $3::jsonb) ON CONFLICT DO NOTHING",
                            message_id, record.key.decode(), record.value.decode(),
                        )
                    await (await producer.send(sink, record.value, key=record.key))
                    await consumer.commit({TopicPartition(tp.topic, tp.partition): record.offset + 1})
                    done += 1
        return BaselineResult(done, time.perf_counter() - started)
    finally:
        await consumer.stop()
        await pool.close()
