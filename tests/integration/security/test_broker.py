"""The secured listener of the real broker: SCRAM-SHA-512 over TLS, and the ACLs of deploy/kafka/acls.txt.

Runs against the local stack of deploy/infra.sh (its credentials files); the loopback PLAINTEXT listener the rest of
the suite uses is the super user that writes canaries and reads topic configs."""

from __future__ import annotations

import asyncio
import os
import subprocess
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.conn import create_conn
from aiokafka.errors import (
    GroupAuthorizationFailedError,
    KafkaConnectionError,
    SaslAuthenticationFailed,
    TopicAuthorizationFailedError,
)
from aiokafka.helpers import create_ssl_context
from aiokafka.structs import RecordMetadata

from shared.contracts.topics import Kind, Stage, topic
from tests.support import secure_kafka
from tests.support.infra import INFRA, ROOT, Infra

PARTNER, OTHER = "counselling-example", "care-home-example"
PARTNER_STAGES = (Stage.RECRUITMENT, Stage.RECOGNITION, Stage.QUALIFICATION, Stage.PLACEMENT, Stage.NOTIFICATIONS)
DEFAULT_RETENTION_MS = "345600000"
SEGMENT_MS = "3600000"


@pytest.fixture(scope="module")
def partner(infra: Infra) -> secure_kafka.Credentials:
    """The example partner's credentials; fails under CI, skips elsewhere, when the stack is not the secured one."""
    try:
        credentials = secure_kafka.load(f"partner-{PARTNER}")
    except FileNotFoundError as error:
        message = f"no credentials of the secured broker (deploy/infra.sh up makes them): {error}"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return credentials


def principal(name: str) -> secure_kafka.Credentials:
    return secure_kafka.load(name)


async def connect(credentials: secure_kafka.Credentials, **overrides: object) -> bool:
    """Open one connection to the secured listener (TLS handshake and SASL authentication) and close it; whether it
    was open."""
    host, port = credentials.bootstrap_servers.split(",")[0].rsplit(":", 1)
    kwargs = credentials.kwargs()
    kwargs.pop("bootstrap_servers")
    kwargs.update(overrides)
    conn = await asyncio.wait_for(create_conn(host, int(port), **kwargs), 20)
    opened = bool(conn.connected())
    conn.close()
    return opened


async def read(
    credentials: secure_kafka.Credentials, name: str, group: str | None, *, until: bytes | None = None
) -> tuple[list[bytes], set[int]]:
    """Subscribe to a topic (in `group`, or without one) and poll until partitions are assigned and a record came (the
    record `until`, if given), for ten polls at most (thirty with `until`); the values read and the partitions
    assigned."""
    consumer = AIOKafkaConsumer(name, group_id=group, auto_offset_reset="earliest", **credentials.kwargs())
    await consumer.start()
    try:
        values: list[bytes] = []
        for _ in range(10 if until is None else 30):
            batches = await consumer.getmany(timeout_ms=1000)
            values += [record.value for records in batches.values() for record in records]
            if consumer.assignment() and values and (until is None or until in values):
                break
        return values, {tp.partition for tp in consumer.assignment()}
    finally:
        await consumer.stop()


async def write(credentials: secure_kafka.Credentials, name: str) -> RecordMetadata:
    producer = AIOKafkaProducer(**credentials.kwargs(), request_timeout_ms=10000)
    await producer.start()
    try:
        return await producer.send_and_wait(name, b'{"probe": "secured broker test"}', key=b"broker-test")
    finally:
        await producer.stop()


@pytest.fixture
async def canary(infra: Infra) -> AsyncIterator[str]:
    """A record on the other partner's recognition rejections topic, written by the loopback super user."""
    name = f"{topic(Stage.RECOGNITION, Kind.REJECTION)}.{OTHER}"
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka)
    await producer.start()
    try:
        await producer.send_and_wait(name, f"canary {uuid.uuid4()}".encode(), key=b"broker-test")
    finally:
        await producer.stop()
    yield name


async def test_the_partners_own_password_opens_a_connection(partner: secure_kafka.Credentials) -> None:
    assert await connect(partner)


async def test_a_wrong_password_is_refused(partner: secure_kafka.Credentials) -> None:
    with pytest.raises(SaslAuthenticationFailed):
        await connect(partner, sasl_plain_password="wrong-" + partner.password[6:])
    producer = AIOKafkaProducer(**partner.kwargs(sasl_plain_password="x" * 32))
    with pytest.raises(KafkaConnectionError):
        await producer.start()
    await producer.stop()


async def test_an_unknown_principal_is_refused(partner: secure_kafka.Credentials) -> None:
    with pytest.raises(SaslAuthenticationFailed):
        await connect(partner, sasl_plain_username="partner-nobody-example")


async def test_tls_without_credentials_is_refused(partner: secure_kafka.Credentials) -> None:
    admin = AIOKafkaAdminClient(
        bootstrap_servers=partner.bootstrap_servers,
        security_protocol="SSL",
        ssl_context=create_ssl_context(cafile=partner.cafile),
        request_timeout_ms=5000,
    )
    with pytest.raises(KafkaConnectionError):
        await asyncio.wait_for(admin.start(), 20)
    await admin.close()


async def test_plaintext_to_the_tls_port_is_refused(partner: secure_kafka.Credentials) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=partner.bootstrap_servers, security_protocol="PLAINTEXT")
    with pytest.raises(KafkaConnectionError):
        await producer.start()
    await producer.stop()


async def test_a_client_trusting_another_ca_does_not_connect(partner: secure_kafka.Credentials, tmp_path: Path) -> None:
    other_ca = tmp_path / "other-ca.crt"
    key = tmp_path / "other-ca.key"
    made = await asyncio.create_subprocess_exec(
        *("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"),
        *("-keyout", str(key), "-out", str(other_ca), "-days", "1", "-subj", "/CN=Another CA example"),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    assert await made.wait() == 0
    with pytest.raises(OSError, match="CERTIFICATE_VERIFY_FAILED"):
        await connect(partner, ssl_context=create_ssl_context(cafile=str(other_ca)))


async def test_a_partner_cannot_read_a_commands_topic(partner: secure_kafka.Credentials) -> None:
    with pytest.raises(TopicAuthorizationFailedError):
        await read(partner, topic(Stage.RECOGNITION, Kind.COMMAND), f"{PARTNER}.broker-test")


async def test_a_partner_cannot_read_another_partners_rejections(
    partner: secure_kafka.Credentials, canary: str
) -> None:
    with pytest.raises(TopicAuthorizationFailedError):
        await read(partner, canary, f"{PARTNER}.broker-test")


async def test_a_partner_fetching_another_partners_partitions_directly_gets_no_record(
    partner: secure_kafka.Credentials, canary: str
) -> None:
    consumer = AIOKafkaConsumer(auto_offset_reset="earliest", **partner.kwargs())
    await consumer.start()
    try:
        consumer.assign([TopicPartition(canary, p) for p in range(3)])
        batches = await consumer.getmany(timeout_ms=3000)
    finally:
        await consumer.stop()
    assert sum(len(records) for records in batches.values()) == 0


async def test_a_partner_cannot_write_another_partners_commands_topic(partner: secure_kafka.Credentials) -> None:
    with pytest.raises(TopicAuthorizationFailedError):
        await write(partner, f"{topic(Stage.RECRUITMENT, Kind.COMMAND)}.{OTHER}")


async def test_a_partner_cannot_write_a_shared_commands_topic(partner: secure_kafka.Credentials) -> None:
    with pytest.raises(TopicAuthorizationFailedError):
        await write(partner, topic(Stage.RECRUITMENT, Kind.COMMAND))


async def test_a_partner_cannot_write_events(partner: secure_kafka.Credentials) -> None:
    with pytest.raises(TopicAuthorizationFailedError):
        await write(partner, topic(Stage.RECRUITMENT, Kind.EVENT))


async def test_a_partner_cannot_use_another_organisations_consumer_group(partner: secure_kafka.Credentials) -> None:
    with pytest.raises(GroupAuthorizationFailedError):
        await read(partner, topic(Stage.RECRUITMENT, Kind.EVENT), f"{OTHER}.broker-test")


async def test_a_partner_can_read_its_own_rejections(partner: secure_kafka.Credentials, infra: Infra) -> None:
    name = f"{topic(Stage.RECOGNITION, Kind.REJECTION)}.{PARTNER}"
    mark = f"own canary {uuid.uuid4()}".encode()
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka)  # as the stage would: the loopback super user
    await producer.start()
    try:
        await producer.send_and_wait(name, mark, key=b"broker-test")
    finally:
        await producer.stop()

    values, _ = await read(partner, name, f"{PARTNER}.broker-test-{uuid.uuid4().hex[:8]}", until=mark)
    assert mark in values


async def test_a_partner_can_read_an_events_topic_in_its_own_group(partner: secure_kafka.Credentials) -> None:
    _, assigned = await read(
        partner, topic(Stage.RECRUITMENT, Kind.EVENT), f"{PARTNER}.broker-test-{uuid.uuid4().hex[:8]}"
    )
    assert assigned == {0, 1, 2}


async def test_a_partner_can_write_its_own_commands_topic(partner: secure_kafka.Credentials, infra: Infra) -> None:
    # No CloudEvents headers: the notifications service, where one runs, rejects it back to this partner.
    name = f"{topic(Stage.NOTIFICATIONS, Kind.COMMAND)}.{PARTNER}"
    written = await write(partner, name)
    assert (written.topic, written.offset >= 0) == (name, True)


async def test_a_service_cannot_read_another_services_commands(partner: secure_kafka.Credentials) -> None:
    with pytest.raises(TopicAuthorizationFailedError):
        await read(principal("journey-recognition"), topic(Stage.RECRUITMENT, Kind.COMMAND), "journey-recognition.t")


async def test_a_service_reads_its_own_commands(partner: secure_kafka.Credentials) -> None:
    _, assigned = await read(principal("journey-recognition"), topic(Stage.RECOGNITION, Kind.COMMAND), None)
    assert assigned == {0, 1, 2}


def partners() -> set[str]:
    local = Path(os.environ.get("JOURNEY_LOCAL_DIR") or ROOT / ".local")
    orgs: set[str] = set()
    for listing in (ROOT / "deploy" / "kafka" / "partners.txt", local / "kafka" / "partners.txt"):
        if listing.exists():
            orgs |= {line.split("#")[0].strip() for line in listing.read_text().splitlines()} - {""}
    return orgs


async def test_commands_and_rejections_topics_have_the_configured_retention(
    partner: secure_kafka.Credentials, infra: Infra
) -> None:
    want = {
        Kind.COMMAND: os.environ.get("COMMANDS_RETENTION_MS", DEFAULT_RETENTION_MS),
        Kind.REJECTION: os.environ.get("REJECTIONS_RETENTION_MS", DEFAULT_RETENTION_MS),
    }
    expected = {topic(stage, kind): want[kind] for stage in Stage for kind in want}
    for org in partners():
        expected |= {f"{topic(stage, kind)}.{org}": want[kind] for stage in PARTNER_STAGES for kind in want}
    admin = AIOKafkaAdminClient(bootstrap_servers=infra.kafka)
    await admin.start()
    try:
        responses = await admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, name) for name in sorted(expected)]
        )
    finally:
        await admin.close()
    found: dict[str, tuple[str, str]] = {}
    for response in responses:
        for error, _message, _type, name, entries, *_ in response.resources:
            assert error == 0, f"{name}: error {error}"
            values = {entry[0]: entry[1] for entry in entries}
            found[name] = (values["retention.ms"], values["segment.ms"])
    assert found == {name: (retention, SEGMENT_MS) for name, retention in expected.items()}


def quotas() -> dict[str, dict[str, int]]:
    """`deploy/infra.sh quotas`: every principal with a quota, and its quotas."""
    found = subprocess.run(["bash", str(INFRA), "quotas"], capture_output=True, text=True, check=True).stdout
    return {
        principal: {name: int(value) for name, value in (pair.split("=") for pair in pairs)}
        for principal, *pairs in (line.split() for line in found.splitlines() if line.strip())
    }


def test_every_partner_has_a_produce_and_a_fetch_quota_and_the_services_none(
    partner: secure_kafka.Credentials, infra: Infra
) -> None:
    if not infra.local:
        pytest.skip(f"quotas are read with deploy/infra.sh; this stack is {infra.origin}")
    found = quotas()
    produce = int(os.environ.get("PARTNER_PRODUCE_BYTES_PER_S", "1048576"))
    fetch = int(os.environ.get("PARTNER_FETCH_BYTES_PER_S", "4194304"))
    assert {f"partner-{org}" for org in partners()} <= set(found)
    for org in partners():
        assert found[f"partner-{org}"] == {"producer_byte_rate": produce, "consumer_byte_rate": fetch}, org
    assert not [principal for principal in found if principal.startswith("journey-")]
