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


def subscriber_options(group_id: str) -> dict[str, Any]:
    """Commit only after the handler returned (its transaction committed); on error seek back and retry.

    FastStream's Kafka default (ACK_FIRST) auto-commits before handling: at-most-once. Never use it here.
    """
    return {
        "group_id": group_id,
        "ack_policy": AckPolicy.NACK_ON_ERROR,
        "auto_offset_reset": "earliest",
        "decoder": raw_body,
        "parser": lenient_headers,
    }


async def lenient_headers(
    record: ConsumerRecord[Any, Any], original: Callable[[ConsumerRecord[Any, Any]], Awaitable[StreamMessage[Any]]]
) -> StreamMessage[Any]:
    """FastStream's own parser decodes header values as strict UTF-8 and drops a record whose headers are not
    (neither applied nor rejected). It is given a copy with escaped header values here; the pipeline still reads
    the record as it came, and rejects it with a reason."""
    escaped = [(name, header_text(value).encode()) for name, value in record.headers or ()]
    message = await original(dataclasses.replace(record, headers=escaped))
    message.raw_message = record
    return message


async def raw_body(message: Any) -> bytes:
    """Leave decoding to the pipeline, which turns bad input into a rejection rather than an error."""
    return bytes(message.body)


def create_producer(bootstrap_servers: str, client_id: str) -> AIOKafkaProducer:
    """Idempotent (`acks=all`), so the relay's retries add no duplicate and keep per-partition order."""
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers,
        client_id=client_id,
        enable_idempotence=True,
        acks="all",
        linger_ms=5,
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
