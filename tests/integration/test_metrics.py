"""The metrics an operator watches move with what they measure, on the real broker and database.

A recruitment service runs as a process and is read through its /metrics. Its consumer is paused by holding its
inbox locked (as a stalled database would): the lag gauge grows by exactly the commands sent meanwhile, and returns
to 0 once it is let go. Its outbox relay is kept from publishing by holding the relay's lock (as a stuck leader
would): the pending rows and the oldest row's age grow while commands are applied, and drain to 0 once it is let go.
A notifications process mailing a real SMTP server that is down for a while counts the failed attempts as retries,
then the mail as sent. The timer sweep's and the delivery queue's gauges are read from the real tables, driven
in-process.
"""

from __future__ import annotations

import asyncio
import time
import urllib.request
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from services.notifications import delivery_store
from services.notifications.delivery import watch_queue
from services.notifications.domain import Delivery, Mailing, MilestoneRef, Participant
from shared.contracts.enums import Milestone
from shared.contracts.envelope import Envelope, encode
from shared.contracts.notifications import SuppressionReason
from shared.contracts.topics import Stage
from shared.postgres import transaction
from shared.timers import OVERDUE_AFTER_S, TimerSweep
from shared.unit_of_work import UnitOfWork
from tests.integration.notifications.support import Publisher, World, coordinator, notifications_process
from tests.support.factories import register_candidate
from tests.support.infra import Infra
from tests.support.processes import ServiceProcess
from tests.support.schemas import scratch_pool
from tests.support.smtp import SmtpSink

WAIT_S = 30
COMMANDS = "journey.recruitment.commands"
GROUP = f"journey-recruitment.{COMMANDS}"
NOTIFICATIONS_MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "notifications" / "migrations"


class Scraped:
    """The service's /metrics, read again on every question."""

    def __init__(self, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}/metrics"

    def samples(self, name: str, **labels: str) -> list[float]:
        with urllib.request.urlopen(self.url, timeout=5) as response:
            text = response.read().decode()
        return [
            sample.value
            for family in text_string_to_metric_families(text)
            for sample in family.samples
            if sample.name == name and labels.items() <= sample.labels.items()
        ]

    def total(self, name: str, **labels: str) -> float:
        return sum(self.samples(name, **labels))

    async def until(self, check: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + WAIT_S
        while not check():
            assert time.monotonic() < deadline, f"not within {WAIT_S} s: {what}"
            await asyncio.sleep(0.2)


@pytest.fixture(scope="module")
async def relay_lock(infra: Infra) -> AsyncIterator[asyncpg.Connection]:
    """A session holding the recruitment outbox relay's lock from before the service starts: its relay stands by."""
    conn = await asyncpg.connect(infra.database_url)
    await conn.execute("SELECT pg_advisory_lock(hashtext('outbox-relay:recruitment'))")
    yield conn
    if not conn.is_closed():
        await conn.close()


@pytest.fixture(scope="module")
def recruitment(infra: Infra, log_dir: Path, relay_lock: asyncpg.Connection) -> Iterator[Scraped]:
    service = ServiceProcess("recruitment", infra, log_dir, WATCH_INTERVAL_S="0.3", OUTBOX_STALL_AFTER_S="600")
    service.start()
    yield Scraped(service.port)
    service.stop()


@pytest.fixture
async def producer(infra: Infra) -> AsyncIterator[AIOKafkaProducer]:
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka, acks="all", enable_idempotence=True)
    await producer.start()
    yield producer
    await producer.stop()


async def send_commands(producer: AIOKafkaProducer, count: int, partition: int | None = None) -> list[uuid.UUID]:
    """Register `count` new candidates (on one partition, if given); their participant ids."""
    ids = []
    for _ in range(count):
        command = register_candidate()
        key, headers, value = encode(command, Envelope.for_message(command, source="/partners/metrics-test"))
        await producer.send_and_wait(COMMANDS, value=value, key=key, headers=headers, partition=partition)
        ids.append(command.participant_id)
    return ids


async def pending_rows(conn: asyncpg.Connection, ids: list[uuid.UUID] | None = None) -> int:
    keys = None if ids is None else [str(i).encode() for i in ids]
    count = await conn.fetchval(
        "SELECT count(*) FROM recruitment.outbox WHERE published_at IS NULL AND set_aside_at IS NULL"
        " AND ($1::bytea[] IS NULL OR key = ANY($1::bytea[]))",
        keys,
    )
    return int(count)


async def test_the_outbox_backlog_grows_while_the_relay_cannot_publish_and_drains_to_zero(
    recruitment: Scraped, relay_lock: asyncpg.Connection, producer: AIOKafkaProducer, infra: Infra
) -> None:
    service = {"service": "recruitment"}
    conn = await asyncpg.connect(infra.database_url)
    try:
        before = await pending_rows(conn)
        ids = await send_commands(producer, 4)

        deadline = time.monotonic() + WAIT_S
        while await pending_rows(conn, ids) < 4:  # each registration records at least its ParticipantRecruited
            assert time.monotonic() < deadline, "the commands were not applied"
            await asyncio.sleep(0.2)
        caused = await pending_rows(conn, ids)
        await recruitment.until(
            lambda: recruitment.total("journey_outbox_pending_rows", **service) == before + caused,
            f"{before + caused} pending rows on /metrics",
        )
        first = recruitment.total("journey_outbox_oldest_pending_seconds", **service)
        await recruitment.until(
            lambda: recruitment.total("journey_outbox_oldest_pending_seconds", **service) > first + 1,
            "the oldest row's age growing",
        )
    finally:
        await conn.close()

    await relay_lock.close()  # the stuck leader goes: the service's relay takes over

    await recruitment.until(
        lambda: recruitment.total("journey_outbox_pending_rows", **service) == 0, "the outbox drained on /metrics"
    )
    assert recruitment.total("journey_outbox_oldest_pending_seconds", **service) == 0


async def test_the_lag_grows_by_the_commands_sent_while_the_consumer_is_paused_and_returns_to_zero(
    recruitment: Scraped, producer: AIOKafkaProducer, infra: Infra
) -> None:
    lag = {"service": "recruitment", "group": GROUP}
    partitions = await producer.partitions_for(COMMANDS)
    for partition in partitions:  # the group commits on every partition: one it never committed on has no lag yet
        await send_commands(producer, 1, partition)
    await recruitment.until(
        lambda: (
            len(recruitment.samples("journey_consumer_lag", **lag)) == len(partitions)
            and recruitment.total("journey_consumer_lag", **lag) == 0
        ),
        "the group caught up on every partition",
    )
    holder = await asyncpg.connect(infra.database_url)
    try:
        pause = holder.transaction()
        await pause.start()
        await holder.execute("LOCK TABLE recruitment.inbox IN ACCESS EXCLUSIVE MODE")

        await send_commands(producer, 7)

        await recruitment.until(lambda: recruitment.total("journey_consumer_lag", **lag) >= 7, "a lag of 7")
        await asyncio.sleep(1)  # several more samples: it stays at exactly the commands sent
        assert recruitment.total("journey_consumer_lag", **lag) == 7
        await pause.rollback()
    finally:
        await holder.close()

    await recruitment.until(lambda: recruitment.total("journey_consumer_lag", **lag) == 0, "the lag back to 0")


def gauge(name: str, **labels: str) -> float | None:
    return REGISTRY.get_sample_value(name, labels)


async def nothing(uow: UnitOfWork, timer: object) -> None:
    """A due date whose event does not matter here."""


async def test_the_sweep_publishes_due_and_overdue_dates_and_when_its_round_completed(infra: Infra) -> None:
    now = datetime.now(UTC)
    async with scratch_pool(infra.database_url, "metrics_timers") as pool:
        async with transaction(pool) as conn:
            uow = UnitOfWork(conn, Stage.RECOGNITION, "metrics-test", now)
            for kind, due_at in [
                ("decision_due", now - timedelta(seconds=OVERDUE_AFTER_S + 120)),
                ("decision_due", now - timedelta(seconds=1)),
                ("decision_due", now + timedelta(days=3)),
                ("licence_expiry", now - timedelta(seconds=1)),
            ]:
                await uow.schedule(kind=kind, participant_id=uuid.uuid4(), due_at=due_at, timer_id=str(uuid.uuid4()))
        sweep = TimerSweep(pool, Stage.RECOGNITION, {"decision_due": nothing, "licence_expiry": nothing})
        labels = {"service": "recognition"}

        await sweep.measure()

        assert gauge("journey_timers_due", **labels, kind="decision_due") == 2
        assert gauge("journey_timers_overdue", **labels, kind="decision_due") == 1
        assert gauge("journey_timers_due", **labels, kind="licence_expiry") == 1
        assert gauge("journey_timers_overdue", **labels, kind="licence_expiry") == 0
        last_run = gauge("journey_timer_sweep_last_run_timestamp_seconds", **labels)
        assert last_run is not None and abs(last_run - time.time()) < 60

        assert await sweep.sweep_once() == 3
        await sweep.measure()

        assert gauge("journey_timers_due", **labels, kind="decision_due") == 0
        assert gauge("journey_timers_overdue", **labels, kind="decision_due") == 0
        assert gauge("journey_timers_due", **labels, kind="licence_expiry") == 0


async def test_the_delivery_queue_depth_and_age_and_the_suppressed_mails_are_published(infra: Infra) -> None:
    labels = {"service": "notifications"}
    suppressed_before = gauge("journey_mails_total", **labels, outcome="suppressed") or 0
    participant = Participant(uuid.uuid4())
    about = MilestoneRef(
        str(uuid.uuid4()),
        "journey.recognition.DecisionRecorded.v1",
        Milestone.RECOGNITION_DECIDED,
        participant.participant_id,
    )
    mailing = Mailing(
        participant,
        queued=(Delivery(about, "coordinator-a"), Delivery(about, "coordinator-b")),
        suppressed=(Delivery(about, "partner-c", SuppressionReason.OPTED_OUT),),
    )
    async with scratch_pool(infra.database_url, "metrics_deliveries", NOTIFICATIONS_MIGRATIONS) as pool:
        async with transaction(pool) as conn:
            await delivery_store.record(conn, mailing, datetime.now(UTC) - timedelta(minutes=10))
            await delivery_store.record(conn, mailing, datetime.now(UTC))  # a redelivery writes and counts nothing
        watching = asyncio.create_task(watch_queue(pool, 0.1))
        try:
            deadline = time.monotonic() + WAIT_S
            while gauge("journey_delivery_pending", **labels) != 2:
                assert time.monotonic() < deadline, "the queue's depth was not published"
                await asyncio.sleep(0.1)
        finally:
            watching.cancel()

    assert 600 <= (gauge("journey_delivery_oldest_pending_seconds", **labels) or 0) < 900
    assert gauge("journey_mails_total", **labels, outcome="suppressed") == suppressed_before + 1


async def test_mail_attempts_that_fail_are_counted_as_retries_and_the_mail_once_sent(
    infra: Infra, log_dir: Path, producer: AIOKafkaProducer
) -> None:
    world, publisher, sink = World(), Publisher(producer), SmtpSink().start()
    service = notifications_process(infra, log_dir, sink, WATCH_INTERVAL_S="0.3").start()
    scraped = Scraped(service.port)
    mails = {"service": "notifications"}
    try:
        desk = await coordinator(publisher, infra.kafka, world)
        sink.stop()
        await publisher.send(world.recruited())
        await scraped.until(lambda: scraped.total("journey_mails_total", **mails, outcome="retry") >= 2, "2 retries")
        assert scraped.total("journey_delivery_pending", **mails) >= 1
        sink.start()
        assert await sink.wait_for(desk, settle_s=1)
        # At least: mails an earlier test left queued in the shared schema may go out with ours.
        await scraped.until(lambda: scraped.total("journey_mails_total", **mails, outcome="sent") >= 1, "1 sent")
        await scraped.until(lambda: scraped.total("journey_delivery_pending", **mails) == 0, "the queue emptied")
        assert scraped.total("journey_mails_total", **mails, outcome="failed") == 0
    finally:
        service.stop()
        sink.stop()
