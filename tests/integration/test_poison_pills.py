"""No record can stop a stage: each bad one is rejected with the documented reason, the valid command after it on
the same partition is applied, the outbox keeps publishing, and the service stays ready.

Every stage's service runs as a process (one per stage for this module) on the real broker and database; the
records are sent as raw bytes, each followed by a valid command on the same partition. The reasons are the ones
`shared.contracts.limits` gives each defect (the partner guide's table "What is refused, and with which reason").
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from shared import outbox
from shared.contracts.limits import KEPT_VALUE_BYTES, MAX_DEPTH, MAX_VALUE_BYTES, reason_for
from shared.kafka import create_producer
from shared.postgres import connection, create_pool, transaction
from shared.settings import ServiceSettings
from tests.integration.poison import KITS, MAX_REJECTION_BYTES, Raw, StageUnderTest
from tests.support.infra import Infra
from tests.support.kafka import Partner, Received
from tests.support.processes import ServiceProcess
from tests.support.schemas import scratch_schema


@pytest.fixture(scope="module", params=list(KITS), ids=[kit.commands for kit in KITS.values()])
def stage(request: pytest.FixtureRequest, infra: Infra, log_dir: Path, partner: Partner) -> Iterator[StageUnderTest]:
    kit = KITS[request.param]
    service = ServiceProcess(kit.stage.value, infra, log_dir, **kit.env()).start()
    yield StageUnderTest(kit, service, partner, infra)
    service.stop()


def errors(rejection: Received) -> list[tuple[str, str]]:
    return [(e["location"], e["problem"]) for e in rejection.body["errors"]]


async def test_a_nul_in_ce_id_is_rejected_and_the_next_command_applied(stage: StageUnderTest) -> None:
    key = await stage.someone_known()
    bad = stage.record(key).with_header("ce_id", f"{uuid.uuid4()}\x00".encode())

    [rejection] = await stage.refused_then_applied(key, bad)

    assert rejection.body["reason"] == reason_for("header_not_text")
    assert errors(rejection) == [("headers.ce_id", "holds a control character")]
    assert rejection.body["rejected_id"] is None  # not an id: the rejection is found by the record's position
    assert rejection.body["original"]["headers"]["ce_id"].endswith("\\x00")
    await stage.assert_unblocked(key)


async def test_a_nul_in_ce_type_is_rejected_and_the_next_command_applied(stage: StageUnderTest) -> None:
    key = await stage.someone_known()
    record = stage.record(key)
    ce_type = stage.kit.command(key).ce_type()
    bad = record.with_header("ce_type", f"{ce_type}\x00".encode())

    [rejection] = await stage.refused_then_applied(key, bad)

    assert rejection.body["reason"] == reason_for("header_not_text")
    assert errors(rejection) == [("headers.ce_type", "holds a control character")]
    assert rejection.body["rejected_id"] == bad.ce_id
    assert rejection.body["rejected_type"] == f"{ce_type}\\x00"
    await stage.assert_unblocked(key)


async def test_json_nested_100000_deep_is_rejected_and_the_next_command_applied(stage: StageUnderTest) -> None:
    key = await stage.someone_known()
    # 100,000 deep takes 200 kB, so the size limit is met first; 30,000 deep fits in it and meets the depth limit.
    nested_100000 = stage.record(key).with_value(b"[" * 100_000 + b"]" * 100_000)
    nested_30000 = stage.record(key).with_value(b"[" * 30_000 + b"]" * 30_000)
    assert len(nested_30000.value) <= MAX_VALUE_BYTES

    too_large, too_deep = await stage.refused_then_applied(key, nested_100000, nested_30000)

    assert too_large.body["reason"] == reason_for("value_too_large")
    assert errors(too_large) == [("value", f"200000 bytes, at most {MAX_VALUE_BYTES}")]
    assert too_deep.body["reason"] == reason_for("value_too_deep")
    assert errors(too_deep) == [("value", f"nested more than {MAX_DEPTH} deep, at most {MAX_DEPTH}")]
    assert [r.body["rejected_id"] for r in (too_large, too_deep)] == [nested_100000.ce_id, nested_30000.ce_id]
    await stage.assert_unblocked(key)


async def test_a_command_of_one_megabyte_is_rejected_bounded_and_the_next_command_applied(
    stage: StageUnderTest,
) -> None:
    key = await stage.someone_known()
    bad = stage.record(key).with_field(stage.kit.text_field, "x" * 1_000_000)
    assert 1_000_000 < len(bad.value) < 1_040_000  # within Kafka's default limit of 1 MB per record

    [rejection] = await stage.refused_then_applied(key, bad)

    assert rejection.body["reason"] == reason_for("value_too_large")
    assert rejection.body["rejected_id"] == bad.ce_id
    assert len(rejection.value) < MAX_REJECTION_BYTES
    original = rejection.body["original"]
    assert original["value_truncated"] is True
    assert original["value_size"] == len(bad.value)
    assert original["value_sha256"] == hashlib.sha256(bad.value).hexdigest()
    assert base64.b64decode(original["value_base64"]) == bad.value[:KEPT_VALUE_BYTES]
    await stage.assert_unblocked(key)


async def test_invalid_utf8_in_a_header_is_rejected_and_the_next_command_applied(stage: StageUnderTest) -> None:
    key = await stage.someone_known()
    in_source = stage.record(key).with_header("ce_source", b"\xff\xfe")
    in_type = stage.record(key).with_header("ce_type", b"\xff\xfe")

    source, type_ = await stage.refused_then_applied(key, in_source, in_type)

    assert source.body["reason"] == type_.body["reason"] == reason_for("header_not_text")
    assert errors(source) == [("headers.ce_source", "not UTF-8")]
    assert errors(type_) == [("headers.ce_type", "not UTF-8")]
    assert [source.body["rejected_id"], type_.body["rejected_id"]] == [in_source.ce_id, in_type.ce_id]
    assert source.body["original"]["headers"]["ce_source"] == "\\xff\\xfe"
    assert type_.body["rejected_type"] == "\\xff\\xfe"
    await stage.assert_unblocked(key)


async def test_invalid_utf8_in_ce_specversion_is_rejected_as_an_invalid_envelope_not_dropped(
    stage: StageUnderTest,
) -> None:
    key = await stage.someone_known()
    bad = stage.record(key).with_header("ce_specversion", b"\xff\xfe")

    [rejection] = await stage.refused_then_applied(key, bad)

    assert rejection.body["reason"] == "invalid_envelope" == reason_for("header_not_text")
    assert errors(rejection) == [("headers.ce_specversion", "not UTF-8")]
    assert rejection.body["rejected_id"] == bad.ce_id
    await stage.assert_unblocked(key)


async def test_a_command_without_time_subject_content_type_or_key_is_rejected_naming_what_is_missing(
    stage: StageUnderTest,
) -> None:
    key = await stage.someone_known()
    no_time = stage.record(key).without_header("ce_time")
    no_subject = stage.record(key).without_header("ce_subject")
    no_content_type = stage.record(key).without_header("content-type")
    no_key = stage.record(key).without_key()

    rejections = await stage.refused_then_applied(key, no_time, no_subject, no_content_type, no_key)

    assert [(r.body["reason"], errors(r)) for r in rejections] == [
        (reason_for("header_missing"), [("headers.ce_time", "required")]),
        (reason_for("header_missing"), [("headers.ce_subject", "required")]),
        (reason_for("header_missing"), [("headers.content-type", "required")]),
        (reason_for("key_mismatch"), [("key", f"the Kafka key is missing; it must be {key}")]),
    ]
    assert [r.body["rejected_id"] for r in rejections] == [
        r.ce_id for r in (no_time, no_subject, no_content_type, no_key)
    ]
    await stage.assert_unblocked(key)


async def test_a_value_a_lenient_parser_would_coerce_is_an_invalid_payload_naming_the_field(
    stage: StageUnderTest,
) -> None:
    coercions = stage.kit.coercions
    records = [Raw.of(c.command()).with_field(c.field, c.value) for c in coercions]

    rejections = await stage.rejections_of(*records)

    for coercion, rejection in zip(coercions, rejections, strict=True):
        assert rejection.body["reason"] == reason_for("value_schema"), rejection.body
        assert [location for location, _ in errors(rejection)] == [coercion.field], rejection.body


# The outbox relay against the real broker: a row the topic refuses is set aside, the rows around it go out.


@pytest.fixture
async def relay_schema(infra: Infra) -> AsyncIterator[str]:
    """A schema of its own with the runtime tables only (outbox, inbox, timers); dropped afterwards."""
    async with scratch_schema(infra.database_url, "poison_relay") as name:
        yield name


@pytest.fixture
async def small_topic(infra: Infra) -> AsyncIterator[str]:
    """A topic of its own, one partition, that takes records of at most 2000 bytes; deleted afterwards."""
    name = f"poison-relay-{uuid.uuid4().hex[:12]}"
    admin = AIOKafkaAdminClient(bootstrap_servers=infra.kafka)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name, 1, 1, topic_configs={"max.message.bytes": "2000"})])
        yield name
        await admin.delete_topics([name])
    finally:
        await admin.close()


async def read_all(kafka: str, topic_name: str, count: int, timeout_s: float = 30) -> list[bytes]:
    """The values on the topic's only partition from its beginning, once `count` are there (or time is up)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka, enable_auto_commit=False)
    await consumer.start()
    try:
        tp = TopicPartition(topic_name, 0)
        consumer.assign([tp])
        await consumer.seek_to_beginning(tp)
        values: list[bytes] = []
        deadline = time.monotonic() + timeout_s
        while len(values) < count and time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=500)
            values.extend(r.value for records in batches.values() for r in records)
        return values
    finally:
        await consumer.stop()


async def record_rows(pool: asyncpg.Pool, topic_name: str, payloads: dict[str, bytes]) -> None:
    """Outbox rows in one transaction, in order, all with one key (so on one partition)."""
    async with transaction(pool) as conn:
        for name, payload in payloads.items():
            await outbox.record(
                conn,
                ce_id=f"{name}-{uuid.uuid4()}",
                ce_type="journey.test.Thing.v1",
                topic=topic_name,
                key=b"one-key",
                headers=[("ce_type", b"journey.test.Thing.v1"), ("name", name.encode())],
                payload=payload,
            )


async def relay_until_drained(relay: outbox.OutboxRelay, pool: asyncpg.Pool, rounds: int = 5) -> list[str]:
    """Run the relay's rounds as its loop does, a failure it takes for an outage retried, until no row waits;
    returns those failures."""
    failures: list[str] = []
    async with connection(pool) as conn:
        for _ in range(rounds):
            try:
                await asyncio.wait_for(relay.publish_pending(conn), 60)
            except ConnectionError as error:  # what the relay's backoff retries
                failures.append(repr(error))
                await asyncio.sleep(0.5)
            if not await conn.fetchval(
                "SELECT count(*) FROM outbox WHERE published_at IS NULL AND set_aside_at IS NULL"
            ):
                break
    return failures


async def test_the_relay_sets_aside_a_row_the_broker_refuses_and_publishes_the_rows_around_it(
    infra: Infra, relay_schema: str, small_topic: str
) -> None:
    earlier = {"earlier": b"e" * 100}
    payloads = {"before": b"b" * 100, "too-large": b"x" * 5000, "after": b"a" * 100}
    pool = await create_pool(infra.database_url, relay_schema, max_size=2)
    producers: list[AIOKafkaProducer] = []

    async def new_producer() -> AIOKafkaProducer:  # as the service runtime renews its relay's producer
        producer = create_producer(
            ServiceSettings(kafka_bootstrap_servers=infra.kafka), f"poison-relay-test-{relay_schema}"
        )
        await producer.start()
        producers.append(producer)
        return producer

    try:
        relay = outbox.OutboxRelay(pool, await new_producer(), relay_schema, renew_producer=new_producer)
        await record_rows(pool, small_topic, earlier)  # as in a running service: the partition has seen this producer
        assert await relay_until_drained(relay, pool) == []
        await record_rows(pool, small_topic, payloads)
        failures = await relay_until_drained(relay, pool)
        rows = await pool.fetch("SELECT payload, published_at, set_aside_at, set_aside_reason FROM outbox ORDER BY id")
    finally:
        for producer in producers:
            await producer.stop()
        await pool.close()

    published_or_set_aside = [(r["published_at"] is not None, r["set_aside_at"] is not None) for r in rows]
    assert published_or_set_aside == [(True, False), (True, False), (False, True), (True, False)], (
        f"the relay's rounds failed with: {failures}"
    )
    assert "MessageSizeTooLarge" in rows[2]["set_aside_reason"], rows[2]["set_aside_reason"]
    expected = [earlier["earlier"], payloads["before"], payloads["after"]]
    assert await read_all(infra.kafka, small_topic, count=3) == expected
