"""Delivery over a real SMTP server: an outage is bridged by retries; a refusal fails at once; both are recorded;
a database outage after the server accepted a mail delays its record but does not send it twice; mails share a
connection kept open, one the server dropped is replaced, and the service says goodbye when it stops."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import asyncpg

from shared.contracts.recognition import RecognitionDecided
from tests.integration.notifications.support import (
    EVENTS,
    Publisher,
    World,
    build,
    coordinator,
    named,
    notifications_process,
)
from tests.support.infra import Infra
from tests.support.kafka import Tap
from tests.support.processes import ServiceProcess
from tests.support.smtp import CountingSink, Received, SmtpSink


async def _attempts_so_far(db: asyncpg.Connection, recipient_id: str) -> list[asyncpg.Record]:
    return await db.fetch(
        "SELECT status, attempts, last_error FROM deliveries WHERE recipient_id = $1 ORDER BY seq", recipient_id
    )


async def test_a_mail_is_delivered_after_the_mail_server_was_down_for_a_few_seconds(
    infra: Infra, log_dir: Path, publisher: Publisher, world: World, db: asyncpg.Connection
) -> None:
    sink = SmtpSink().start()
    service = notifications_process(infra, log_dir, sink).start()
    try:
        desk = await coordinator(publisher, infra.kafka, world)
        recruited = world.recruited()
        async with Tap(infra.kafka, EVENTS) as events:
            sink.stop()
            await publisher.send(recruited)
            await asyncio.sleep(4)
            during = await _attempts_so_far(db, world.recipient("desk"))
            sink.start()
            mails = await sink.wait_for(desk, settle_s=1)
            [sent] = await events.wait_for(named("NotificationSent", str(recruited.participant_id)))
            failed = await events.wait_for(named("NotificationFailed", str(recruited.participant_id)), timeout_s=1)
    finally:
        service.stop()
        sink.stop()

    assert [(r["status"], r["last_error"]) for r in during] == [("pending", "connection_failed")]
    assert during[0]["attempts"] >= 2, "the outage should have cost several attempts"
    assert len(mails) == 1 and failed == []
    [after] = await _attempts_so_far(db, world.recipient("desk"))
    assert after["status"] == "sent" and after["attempts"] == during[0]["attempts"] + 1
    assert sent.body["milestone"] == "participant_recruited"


async def test_a_database_outage_right_after_the_mail_server_accepted_a_mail_does_not_send_it_again(
    infra: Infra, log_dir: Path, publisher: Publisher, world: World
) -> None:
    sink = SmtpSink().start()
    service = notifications_process(infra, log_dir, sink).start()
    stopped = threading.Event()

    def stop_postgres_once(received: Received) -> None:
        if not stopped.is_set() and desk in received.envelope_to:
            stopped.set()
            infra.control("pg-stop")

    try:
        desk = await coordinator(publisher, infra.kafka, world)
        recruited = world.recruited()
        sink.on_accept = stop_postgres_once
        async with Tap(infra.kafka, EVENTS) as events:
            try:
                await publisher.send(recruited)
                for _ in range(300):
                    if stopped.is_set():
                        break
                    await asyncio.sleep(0.1)
                assert stopped.is_set(), "the mail never reached the server"
                await asyncio.sleep(3)
            finally:
                infra.control("pg-start")
            sent = await events.wait_for(named("NotificationSent", str(recruited.participant_id)), settle_s=3)
        mails = sink.to(desk)
    finally:
        service.stop()
        sink.stop()

    assert len(mails) == 1, "the mail was sent again after the outage"
    assert len(sent) == 1
    db = await asyncpg.connect(infra.database_url, server_settings={"search_path": "notifications"})
    try:
        [after] = await _attempts_so_far(db, world.recipient("desk"))
    finally:
        await db.close()
    assert (after["status"], after["attempts"], after["last_error"]) == ("sent", 1, None)


async def test_a_mailbox_the_server_refuses_fails_at_once_and_is_recorded(
    infra: Infra,
    publisher: Publisher,
    notifications: ServiceProcess,
    smtp_sink: SmtpSink,
    world: World,
    db: asyncpg.Connection,
) -> None:
    desk = await coordinator(publisher, infra.kafka, world)
    smtp_sink.refuse(desk)
    recruited = world.recruited()
    async with Tap(infra.kafka, EVENTS) as events:
        await publisher.send(recruited)
        await publisher.send(build(RecognitionDecided, participant_id=recruited.participant_id))
        failed = await events.wait_for(named("NotificationFailed", str(recruited.participant_id)), count=2)

    assert {(f.body["failure"], f.body["attempts"]) for f in failed} == {("address_rejected", 1)}
    audit = await _attempts_so_far(db, world.recipient("desk"))
    assert [(r["status"], r["attempts"], r["last_error"]) for r in audit] == [("failed", 1, "smtp_550")] * 2
    assert smtp_sink.to(desk) == []


async def test_mails_share_one_smtp_connection_a_dropped_one_is_replaced_and_the_service_quits_on_stop(
    infra: Infra, log_dir: Path, publisher: Publisher, world: World
) -> None:
    sink = CountingSink().start()
    service = notifications_process(infra, log_dir, sink, DELIVERY_CONCURRENCY="1").start()
    try:
        desk = await coordinator(publisher, infra.kafka, world)
        first, second = world.recruited(), world.recruited()
        await publisher.send(first)
        await publisher.send(build(RecognitionDecided, participant_id=first.participant_id))
        await sink.wait_for(desk, count=2)
        connections_for_two = sink.connections
        sink.drop_connections()  # as a server does with a connection idle too long
        await publisher.send(second)
        mails = await sink.wait_for(desk, count=3, settle_s=1)
    finally:
        service.stop()
        sink.stop()

    assert connections_for_two == 1
    assert len(mails) == 3 and len({m["Message-ID"] for m in mails}) == 3
    assert sink.connections == 2
    assert sink.quits == 1, "the connection open at the stop ends with QUIT"
