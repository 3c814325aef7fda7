"""Kafka wiring: the idempotent producer, topic creation, and subscriber options that never lose a message."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from aiokafka import AIOKafkaProducer, ConsumerRecord
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from faststream.message import StreamMessage
from faststream.middlewares import AckPolicy

from shared.decoding import header_text

log = structlog.get_logger()


def subscriber_options(group_id: str, *, max_records: int, wait_ms: int) -> dict[str, Any]:
    """A batch subscriber that commits only after the handler returned (its transaction committed); on error it
    seeks back and the batch comes again.

    FastStream's Kafka default (ACK_FIRST) auto-commits before handling: at-most-once. Never use it here.
    A batch is what has arrived, up to `max_records`: the consumer waits up to `wait_ms` only when nothing has (and
    FastStream then pauses as long again, so a small wait keeps an idle consumer quick to answer).
    """
    return {
        "group_id": group_id,
        "ack_policy": AckPolicy.NACK_ON_ERROR,
        "auto_offset_reset": "earliest",
        "batch": True,
        "max_records": max_records,
        "batch_timeout_ms": wait_ms,
        "decoder": raw_bodies,
        "parser": lenient_headers,
    }


Batch = tuple[ConsumerRecord[Any, Any], ...]


async def lenient_headers(
    batch: Batch, original: Callable[[Batch], Awaitable[StreamMessage[Any]]]
) -> StreamMessage[Any]:
    """FastStream's own parser decodes header values as strict UTF-8 and drops a batch with a record whose headers
    are not (neither applied nor rejected). It is given copies with escaped header values here; the pipeline still
    reads the records as they came, and rejects such a record with a reason."""
    escaped = tuple(
        dataclasses.replace(record, headers=[(name, header_text(value).encode()) for name, value in record.headers])
        if any(value is None or not value.isascii() for _, value in record.headers or ())
        else record
        for record in batch
    )
    message = await original(escaped)
    message.raw_message = batch
    return message


async def raw_bodies(message: Any) -> list[bytes]:
    """Leave decoding to the pipeline, which turns bad input into a rejection rather than an error."""
    return list(message.body)


def create_producer(bootstrap_servers: str, client_id: str) -> AIOKafkaProducer:
    """Idempotent (`acks=all`), so the relay's retries add no duplicate and keep per-partition order.

    No linger: the relay hands over a whole batch of rows at once, and what comes while a request is under way
    goes with the next one anyway; waiting only added its 5 ms to every hop at low load."""
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers,
        client_id=client_id,
        enable_idempotence=True,
        acks="all",
        linger_ms=0,
        request_timeout_ms=30_000,
    )


async def ensure_topics(bootstrap_servers: str, topics: list[str], partitions: int, replication: int) -> None:
    """Create missing topics (brokers may have auto-creation off); existing ones are left as they are.

    A name given twice (a service consumes its own commands topic) is asked for once: the broker refuses a request
    naming a topic twice, and the topic would then be auto-created by the first consumer with the broker's default
    partition count instead."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, client_id="journey-admin")
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in dict.fromkeys(topics) if t not in existing]
        if missing:
            response = await admin.create_topics(
                [NewTopic(t, num_partitions=partitions, replication_factor=replication) for t in missing]
            )
            refused = {
                name: code
                for name, code, *_ in getattr(response, "topic_errors", ())
                if code not in (0, TopicAlreadyExistsError.errno)  # another instance may have been quicker
            }
            if refused:
                raise RuntimeError(f"the broker did not create {refused} (topic: error code)")
            log.info("topics_created", topics=missing)
    finally:
        await admin.close()
