"""Kafka wiring: the idempotent producer, topic creation, and subscriber options that never lose a message."""

from __future__ import annotations

import dataclasses
import re
import ssl
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import structlog
from aiokafka import AIOKafkaProducer, ConsumerRecord
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import TopicAlreadyExistsError
from aiokafka.helpers import create_ssl_context
from faststream.message import StreamMessage
from faststream.middlewares import AckPolicy
from faststream.security import BaseSecurity, SASLScram512

from shared.contracts.topics import ORG_ID_PATTERN, Kind, Stage
from shared.decoding import header_text
from shared.settings import ServiceSettings

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


def tls_context(settings: ServiceSettings) -> ssl.SSLContext:
    """Verifies the broker's certificate and host name (against `KAFKA_SSL_CAFILE`, else the system's CAs)."""
    context: ssl.SSLContext = create_ssl_context(cafile=settings.kafka_ssl_cafile or None)
    return context


def client_security(settings: ServiceSettings) -> dict[str, Any]:
    """aiokafka's keyword arguments for the connection the settings describe (none for the loopback listener)."""
    if settings.kafka_security_protocol == "PLAINTEXT":
        return {}
    return {
        "security_protocol": "SASL_SSL",
        "sasl_mechanism": settings.kafka_sasl_mechanism,
        "sasl_plain_username": settings.kafka_sasl_username,
        "sasl_plain_password": settings.kafka_sasl_password.get_secret_value(),
        "ssl_context": tls_context(settings),
    }


def broker_security(settings: ServiceSettings) -> BaseSecurity | None:
    """The same for FastStream's broker."""
    if settings.kafka_security_protocol == "PLAINTEXT":
        return None
    return SASLScram512(
        settings.kafka_sasl_username,
        settings.kafka_sasl_password.get_secret_value(),
        ssl_context=tls_context(settings),
        use_ssl=True,
    )


def create_producer(settings: ServiceSettings, client_id: str) -> AIOKafkaProducer:
    """Idempotent (`acks=all`), so the relay's retries add no duplicate and keep per-partition order.

    No linger: the relay hands over a whole batch of rows at once, and what comes while a request is under way
    goes with the next one anyway; waiting only added its 5 ms to every hop at low load."""
    return AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        client_id=client_id,
        **client_security(settings),
        enable_idempotence=True,
        acks="all",
        linger_ms=0,
        request_timeout_ms=30_000,
    )


def retention_configs(settings: ServiceSettings, topic_name: str) -> dict[str, str] | None:
    """The configs a commands or rejections topic (shared or a partner's) must have: its records may carry personal
    data, so Kafka keeps them only `COMMANDS_RETENTION_S` / `REJECTIONS_RETENTION_S` (plus at most one segment's
    roll, `TOPIC_SEGMENT_S`). A commands topic's records carry the time the broker appended them, not one the sender
    chose: the grace for a participant not known yet counts from it, which a timestamp set in the future would
    otherwise stretch without end. None for an events topic (no personal data; the broker's defaults)."""
    kind = _KIND.fullmatch(topic_name)
    if kind is None:
        return None
    configs = {"segment.ms": str(settings.topic_segment_s * 1000)}
    if kind["kind"] == Kind.COMMAND.value:
        return {"retention.ms": str(settings.commands_retention_s * 1000), **configs, **LOG_APPEND_TIME}
    return {"retention.ms": str(settings.rejections_retention_s * 1000), **configs}


LOG_APPEND_TIME = {"message.timestamp.type": "LogAppendTime"}


_KIND = re.compile(rf"journey\.[a-z]+\.(?P<kind>commands|rejections)(\.{ORG_ID_PATTERN})?")


def stage_topics(stage: Stage, existing: Iterable[str]) -> list[str]:
    """The stage's commands and rejections topics that exist: the shared ones and every partner's."""
    own = re.compile(rf"journey\.{stage.value}\.(commands|rejections)(\.{ORG_ID_PATTERN})?")
    return sorted(name for name in existing if own.fullmatch(name))


async def ensure_topics(
    settings: ServiceSettings, topics: list[str], *, stage: Stage | None = None, client_id: str = "journey-admin"
) -> None:
    """Create missing topics (brokers may have auto-creation off), commands and rejections topics with their
    retention; then check the retention of every commands and rejections topic of `stage` (its partners' too), if
    given, and set it where it differs from the settings. A topic this cannot create or correct (no ACL for it on a
    secured bus: the set-up creates topics there) stops the start-up with the broker's error.

    A name given twice (a service consumes its own commands topic) is asked for once: the broker refuses a request
    naming a topic twice, and the topic would then be auto-created by the first consumer with the broker's default
    partition count instead."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=settings.kafka_bootstrap_servers, client_id=client_id, **client_security(settings)
    )
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in dict.fromkeys(topics) if t not in existing]
        if missing:
            response = await admin.create_topics(
                [
                    NewTopic(
                        t,
                        num_partitions=settings.topic_partitions,
                        replication_factor=settings.topic_replication_factor,
                        topic_configs=retention_configs(settings, t) or {},
                    )
                    for t in missing
                ]
            )
            refused = {
                name: code
                for name, code, *_ in getattr(response, "topic_errors", ())
                if code not in (0, TopicAlreadyExistsError.errno)  # another instance may have been quicker
            }
            if refused:
                raise RuntimeError(f"the broker did not create {refused} (topic: error code)")
            log.info("topics_created", topics=missing)
        if stage is not None:
            await enforce_retention(admin, settings, stage_topics(stage, existing | set(topics)))
    finally:
        await admin.close()


async def enforce_retention(admin: AIOKafkaAdminClient, settings: ServiceSettings, names: list[str]) -> None:
    """Set `retention_configs` on the topics whose configs differ (keeping their other topic-level configs), then
    read them back: the service does not start on a topic that keeps personal data longer than configured."""
    wanted = {name: configs for name in names if (configs := retention_configs(settings, name)) is not None}
    if not wanted:
        return
    current = await topic_configs(admin, list(wanted))
    wrong = {
        name: configs for name, configs in wanted.items() if not configs.items() <= current[name].effective.items()
    }
    if not wrong:
        return
    responses = await admin.alter_configs(  # AlterConfigs replaces a topic's own configs: keep the others
        [
            ConfigResource(ConfigResourceType.TOPIC, name, configs={**current[name].own, **configs})
            for name, configs in wrong.items()
        ]
    )
    refused = {
        name: (code, message)
        for response in responses
        for code, message, _type, name in getattr(response, "resources", ())
        if code != 0
    }
    if refused:
        raise RuntimeError(f"could not set the retention of {refused} (topic: error code, message)")
    after = await topic_configs(admin, list(wrong))
    still = [name for name, configs in wrong.items() if not configs.items() <= after[name].effective.items()]
    if still:
        raise RuntimeError(f"the retention of {still} is still not what the settings say")
    log.info(
        "topic_retention_set",
        topics={
            name: {"was": {key: current[name].effective.get(key) for key in configs}, "now": configs}
            for name, configs in wrong.items()
        },
    )


_DYNAMIC_TOPIC_CONFIG = 1
"""DescribeConfigs' config source of a topic-level setting (the others are broker settings and defaults)."""


@dataclasses.dataclass(frozen=True)
class TopicConfigs:
    effective: dict[str, str]
    """Every config as the topic has it (its own, the broker's or the default)."""
    own: dict[str, str]
    """The configs set on the topic itself."""


async def topic_configs(admin: AIOKafkaAdminClient, names: list[str]) -> dict[str, TopicConfigs]:
    responses = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, name) for name in names])
    found: dict[str, TopicConfigs] = {}
    for response in responses:
        for code, message, _type, name, entries in response.resources:
            if code != 0:
                raise RuntimeError(f"could not read the configs of {name}: error {code} {message}")
            found[name] = TopicConfigs(
                effective={entry[0]: entry[1] for entry in entries},
                own={entry[0]: entry[1] for entry in entries if entry[3] == _DYNAMIC_TOPIC_CONFIG},
            )
    return found
