"""Connecting to the secured listener as a principal (its credentials file from deploy/infra.sh), or as someone
without valid credentials; each attempt's outcome: refused by the broker, succeeded, unanswered, or another error."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResourceType
from aiokafka.errors import (
    ClusterAuthorizationFailedError,
    GroupAuthorizationFailedError,
    KafkaConnectionError,
    KafkaError,
    MessageSizeTooLargeError,
    RecordListTooLargeError,
    TopicAuthorizationFailedError,
)
from aiokafka.protocol.admin import AlterConfigsRequest

from tools.credentials import Credentials
from tools.fuzz.forgeries import REFUSED, SUCCEEDED, UNANSWERED, WRONG

AUTHORISATION_ERRORS = (TopicAuthorizationFailedError, GroupAuthorizationFailedError, ClusterAuthorizationFailedError)
AUTHORISATION_CODES = {
    29: "TOPIC_AUTHORIZATION_FAILED",
    30: "GROUP_AUTHORIZATION_FAILED",
    31: "CLUSTER_AUTHORIZATION_FAILED",
}
STEP_S = 30.0  # the longest one broker-level attempt may take before it counts as unanswered


class KafkaLog(logging.Handler):
    """aiokafka's own lines during the attacks: kept (the reason a connection closed), not printed (every refused
    attempt logs an error, some many times)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING or "error_code=58" in record.getMessage():
            self.lines.append(record.getMessage())

    def why(self) -> str:
        """The broker's reason for the last refused connection, as aiokafka logged it."""
        for line in reversed(self.lines):
            if "SaslAuthenticationFailed" in line or "Authentication failed" in line:
                return "SaslAuthenticationFailed: " + line.split("SaslAuthenticationFailed: ", 1)[-1][:120]
        for line in reversed(self.lines):
            if "Unable connect" in line:
                return line.split(": ", 1)[-1][:160]
        return ""


@contextlib.contextmanager
def kafka_log() -> Iterator[KafkaLog]:
    logger = logging.getLogger("aiokafka")
    handler = KafkaLog()
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


def error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {str(error)[:140]}"


async def judged(
    attempt: Awaitable[tuple[str, str]],
    refused: tuple[type[BaseException], ...] = AUTHORISATION_ERRORS,
    why: Callable[[BaseException], str] = lambda error: type(error).__name__,
) -> tuple[str, str]:
    """The attempt's own outcome, or what the error it raised makes of it: `refused` for one of `refused`,
    `unanswered` when a step timed out, `wrong` for any other Kafka error."""
    try:
        return await attempt
    except TimeoutError:
        return UNANSWERED, f"no answer within {STEP_S:.0f} s"
    except refused as error:
        return REFUSED, why(error)
    except KafkaError as error:
        return WRONG, error_text(error)


async def connect(kwargs: dict[str, Any], topic_name: str, log: KafkaLog) -> tuple[str, str]:
    """Connect and ask for a topic's partitions: `succeeded` with an answer, `refused` when the broker closed the
    connection or refused the authentication."""
    log.lines.clear()
    producer = AIOKafkaProducer(request_timeout_ms=10_000, **kwargs)

    async def attempt() -> tuple[str, str]:
        try:
            await asyncio.wait_for(producer.start(), STEP_S)
            partitions = await asyncio.wait_for(producer.partitions_for(topic_name), STEP_S)
        finally:
            with contextlib.suppress(Exception):
                await producer.stop()
        return SUCCEEDED, f"connected; {topic_name} has partitions {sorted(partitions)}"

    return await judged(attempt(), (KafkaConnectionError,), lambda error: log.why() or error_text(error))


async def write(a: Credentials, topic_name: str, run_id: str, n: int) -> tuple[str, str]:
    producer = AIOKafkaProducer(request_timeout_ms=10_000, **a.kwargs())

    async def attempt() -> tuple[str, str]:
        try:
            await asyncio.wait_for(producer.start(), STEP_S)
            headers = [("ce_id", f"fuzz-{run_id}-b{n}".encode()), ("content-type", b"application/json")]
            future = await asyncio.wait_for(producer.send(topic_name, value=b"{}", headers=headers), STEP_S)
            sent = await asyncio.wait_for(future, STEP_S)
        finally:
            with contextlib.suppress(Exception):
                await producer.stop()
        return SUCCEEDED, f"written at partition {sent.partition}, offset {sent.offset}"

    return await judged(attempt())


async def read(a: Credentials, topic_name: str, *, group: str | None = None, wait_s: float = 8) -> tuple[str, str]:
    """Read a topic from its start (assigned, no group; or subscribed in `group`): `refused` on an authorisation
    error (the fetch's, the group's, or the topic's metadata), `succeeded` on records or on none within `wait_s`
    without an error (an empty topic one may read)."""
    consumer = AIOKafkaConsumer(
        group_id=group, enable_auto_commit=False, auto_offset_reset="earliest", request_timeout_ms=10_000, **a.kwargs()
    )

    async def attempt() -> tuple[str, str]:
        try:
            await asyncio.wait_for(consumer.start(), STEP_S)
            if group is None:
                consumer.assign([TopicPartition(topic_name, p) for p in range(3)])
            else:
                consumer.subscribe([topic_name])
            deadline = time.monotonic() + wait_s
            while time.monotonic() < deadline:
                batches = await asyncio.wait_for(consumer.getmany(timeout_ms=500), STEP_S)
                if topic_name in consumer._client.cluster.unauthorized_topics:  # no error raised for it: only logged
                    return REFUSED, "TopicAuthorizationFailed (metadata)"
                if records := sum(len(r) for r in batches.values()):
                    return SUCCEEDED, f"read {records} records"
        finally:
            with contextlib.suppress(Exception):
                await consumer.stop()
        return SUCCEEDED, f"no authorisation error in {wait_s:.0f} s"

    return await judged(attempt())


def _codes(pairs: list[tuple[str, int]]) -> tuple[str, str]:
    """(status, detail) from (name, error code) of an admin request's answer: all refused or not."""
    if all(code in AUTHORISATION_CODES for _, code in pairs):
        return REFUSED, ", ".join(sorted({AUTHORISATION_CODES[code] for _, code in pairs}))
    if any(code == 0 for _, code in pairs):
        return SUCCEEDED, f"accepted: {[name for name, code in pairs if code == 0]}"
    return WRONG, f"error codes {pairs}"


async def administer(a: Credentials, what: str, target: str) -> tuple[str, str]:
    """Create (validate_only), delete, or reconfigure (validate_only) a topic as partner A."""
    admin = AIOKafkaAdminClient(request_timeout_ms=10_000, **a.kwargs())

    async def attempt() -> tuple[str, str]:
        try:
            await asyncio.wait_for(admin.start(), STEP_S)
            if what == "create":
                new = [NewTopic(target, 3, 1)]
                created = await asyncio.wait_for(admin.create_topics(new, validate_only=True), STEP_S)
                return _codes([(t[0], t[1]) for t in created.topic_errors])
            if what == "delete":
                deleted = await asyncio.wait_for(admin.delete_topics([target]), STEP_S)
                return _codes([(t[0], t[1]) for t in deleted.topic_error_codes])
            # AlterConfigs with validate_only (aiokafka's alter_configs does not offer it): a retention of forever.
            request = AlterConfigsRequest(
                [(ConfigResourceType.TOPIC.value, target, [("retention.ms", "-1")])], validate_only=True
            )
            altered = await asyncio.wait_for(admin._send_request(request), STEP_S)
            return _codes([(r[3], r[0]) for r in altered.resources])
        finally:
            with contextlib.suppress(Exception):
                await admin.close()

    return await judged(attempt())


async def produce(sending: Awaitable[Any]) -> tuple[str, str]:
    async def attempt() -> tuple[str, str]:
        future = await asyncio.wait_for(sending, STEP_S)
        sent = await asyncio.wait_for(future, STEP_S)
        return SUCCEEDED, f"written at partition {sent.partition}, offset {sent.offset}"

    return await judged(attempt(), (MessageSizeTooLargeError, RecordListTooLargeError))
