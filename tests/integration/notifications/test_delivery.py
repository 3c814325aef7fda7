"""Delivery over a real SMTP server: an outage is bridged by retries; a refusal fails at once; both are recorded."""

from __future__ import annotations

import asyncio
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
from tests.support.smtp import SmtpSink


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
