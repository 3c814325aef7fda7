"""The raw limit of this machine: aiokafka consume -> one asyncpg transaction -> aiokafka produce, per message.

The same shape of work a stage service does for one message (read, commit state, publish), without the
framework, the outbox relay, the inbox or validation. The system's throughput is reported as a ratio of this.

Two ways to run the same work:
- `pipelined` (the raw limit the ratio uses): one worker per partition, each message in its own committed
  transaction (durable: PostgreSQL runs with fsync and synchronous_commit on), the output produced without waiting
  for each acknowledgement, offsets committed per fetched batch once its output is acknowledged (at-least-once).
- `serial`: one message at a time, every step awaited (produce acknowledged, offset committed) before the next;
  what a naive consumer does, for reference.

Timing starts at the first fetched record, so the consumer group's join is not counted. The run's two topics and
its rows are deleted afterwards.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from shared.kafka import create_producer, ensure_topics
from shared.settings import ServiceSettings

Mode = Literal["pipelined", "serial"]
INSERT = "INSERT INTO bench.baseline VALUES ($1, $2, $3::jsonb) ON CONFLICT DO NOTHING"


@dataclass(frozen=True)
class BaselineResult:
    messages: int
    seconds: float
    mode: str = "pipelined"

    @property
    def per_second(self) -> float:
        return self.messages / self.seconds if self.seconds else 0.0


async def run_baseline(
    bootstrap: str, database_url: str, messages: int = 5000, partitions: int = 3, mode: Mode = "pipelined"
) -> BaselineResult:
    run = uuid.uuid4().hex[:8]
    source, sink = f"bench.baseline.{run}.in", f"bench.baseline.{run}.out"
    settings = ServiceSettings(kafka_bootstrap_servers=bootstrap, topic_partitions=partitions)
    await ensure_topics(settings, [source, sink])
    conn = await asyncpg.connect(database_url)
    await conn.execute(
        "CREATE SCHEMA IF NOT EXISTS bench; CREATE TABLE IF NOT EXISTS bench.baseline"
        " (message_id text PRIMARY KEY, participant_id text NOT NULL, payload jsonb NOT NULL)"
    )
    await conn.close()

    producer = create_producer(settings, "bench-baseline")
    await producer.start()
    try:
        payload = {"participant_id": "", "target_profession": "nursing_professional", "note": "x" * 400}
        sends = []
        for i in range(messages):
            pid = str(uuid.uuid4())
            payload["participant_id"] = pid
            sends.append(
                await producer.send(
                    source, json.dumps(payload).encode(), key=pid.encode(), headers=[("ce_id", f"{run}-{i}".encode())]
                )
            )
        await asyncio.gather(*sends)
        work = _pipelined if mode == "pipelined" else _serial
        done, seconds = await work(bootstrap, database_url, source, sink, messages, producer, partitions)
        return BaselineResult(done, seconds, mode)
    finally:
        await producer.stop()
        await _clean_up(bootstrap, database_url, run, [source, sink])


def _consumer(bootstrap: str, source: str) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        source,
        bootstrap_servers=bootstrap,
        group_id=f"{source}.group",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )


async def _serial(
    bootstrap: str,
    database_url: str,
    source: str,
    sink: str,
    messages: int,
    producer: AIOKafkaProducer,
    partitions: int,
) -> tuple[int, float]:
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
    consumer = _consumer(bootstrap, source)
    await consumer.start()
    done, started = 0, 0.0
    try:
        while done < messages:
            batches = await consumer.getmany(timeout_ms=1000, max_records=500)
            if batches and not started:
                started = time.perf_counter()
            for tp, records in batches.items():
                for record in records:
                    async with pool.acquire() as conn, conn.transaction():
                        await conn.execute(INSERT, _id(record), record.key.decode(), record.value.decode())
                    await (await producer.send(sink, record.value, key=record.key))
                    await consumer.commit({TopicPartition(tp.topic, tp.partition): record.offset + 1})
                    done += 1
        return done, time.perf_counter() - started
    finally:
        await consumer.stop()
        await pool.close()


async def _pipelined(
    bootstrap: str,
    database_url: str,
    source: str,
    sink: str,
    messages: int,
    producer: AIOKafkaProducer,
    partitions: int,
) -> tuple[int, float]:
    pool = await asyncpg.create_pool(database_url, min_size=partitions, max_size=partitions)
    consumer = _consumer(bootstrap, source)
    await consumer.start()
    done, started = 0, 0.0

    async def one_partition(records: Sequence[Any]) -> int:
        acks = []
        async with pool.acquire() as conn:
            for record in records:
                async with conn.transaction():
                    await conn.execute(INSERT, _id(record), record.key.decode(), record.value.decode())
                acks.append(await producer.send(sink, record.value, key=record.key))
        await asyncio.gather(*acks)
        return len(records)

    try:
        while done < messages:
            batches = await consumer.getmany(timeout_ms=1000, max_records=500)
            if batches and not started:
                started = time.perf_counter()
            counts = await asyncio.gather(*(one_partition(records) for records in batches.values()))
            if batches:
                await consumer.commit({tp: records[-1].offset + 1 for tp, records in batches.items()})
            done += sum(counts)
        return done, time.perf_counter() - started
    finally:
        await consumer.stop()
        await pool.close()


def _id(record: Any) -> str:
    return str(dict(record.headers)["ce_id"].decode())


async def _clean_up(bootstrap: str, database_url: str, run: str, topics: list[str]) -> None:
    """Leave the broker and the database as found: the run's topics and rows go."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="bench-baseline-admin")
    await admin.start()
    try:
        await admin.delete_topics(topics)  # the group's offsets go with them; the empty group expires
    except Exception as error:  # cleaning up must not hide the figures
        print(f"  baseline: could not delete {topics}: {error!r}", flush=True)
    finally:
        await admin.close()
    try:
        conn = await asyncpg.connect(database_url)
        try:
            await conn.execute("DELETE FROM bench.baseline WHERE message_id LIKE $1", f"{run}-%")
        finally:
            await conn.close()
    except Exception as error:
        print(f"  baseline: could not delete the run's rows: {error!r}", flush=True)
