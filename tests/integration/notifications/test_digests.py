"""Digests on the real stack: composed once per recipient and period (two workers, a restart, a period missed while
the service was down), sent through the delivery queue with the same Message-ID on a re-send, announced as
DigestSent; and the coordinators' default: a weekly digest, and urgent milestones at once.

The digest worker takes `now`, so these tests drive the calendar: the notifications process sends what is queued."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date, datetime, time, timedelta

import asyncpg
import pytest

from services.notifications.digests import DigestWorker
from services.notifications.domain.digests import BERLIN, digest_delivery_id
from shared.contracts.enums import Milestone
from shared.contracts.notifications import DigestPeriod
from shared.contracts.recognition import DecisionOverdue, RecognitionDecided
from shared.postgres import create_pool
from tests.integration.notifications.support import (
    EVENTS,
    Publisher,
    World,
    build,
    coordinator,
    named,
    send_at,
)
from tests.support.infra import Infra
from tests.support.kafka import Tap
from tests.support.processes import ServiceProcess
from tests.support.smtp import SmtpSink


@pytest.fixture
async def pool(infra: Infra) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(infra.database_url, "notifications", max_size=4)
    yield pool
    await pool.close()


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), BERLIN)


async def kept(db: asyncpg.Connection, recipient_id: str, count: int) -> None:
    """Wait until the service has kept `count` milestones for the recipient's digest."""
    for _ in range(100):
        n = await db.fetchval("SELECT count(*) FROM digest_items WHERE recipient_id = $1", recipient_id)
        if n >= count:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{recipient_id}: {n} digest items, expected {count}")


async def test_a_digest_composed_twice_and_by_two_workers_at_once_sends_one_mail_with_text_and_html(
    infra: Infra,
    publisher: Publisher,
    notifications: ServiceProcess,
    smtp_sink: SmtpSink,
    world: World,
    db: asyncpg.Connection,
    pool: asyncpg.Pool,
) -> None:
    desk = await coordinator(publisher, infra.kafka, world, default_delivery="daily_digest")
    rid = world.recipient("desk")
    tomorrow = datetime.now(BERLIN).date() + timedelta(days=1)
    recruited = world.recruited()
    await send_at(publisher, recruited, at(tomorrow, 10))
    await send_at(publisher, build(RecognitionDecided, participant_id=recruited.participant_id), at(tomorrow, 11))
    await kept(db, rid, 2)

    async with Tap(infra.kafka, EVENTS) as events:
        after = at(tomorrow + timedelta(days=1), 7)
        first, second = DigestWorker(), DigestWorker()
        raced = await asyncio.gather(first.compose_due(pool, after, [rid]), second.compose_due(pool, after, [rid]))
        again = await DigestWorker().compose_due(pool, after + timedelta(hours=5), [rid])
        [mail] = await smtp_sink.wait_for(desk, count=1, settle_s=3)
        [sent] = await events.wait_for(named("DigestSent", rid), count=1, settle_s=1)

    assert sorted(raced) == [0, 1] and again == 0
    assert (
        mail["Subject"] == f"Tagesübersicht {tomorrow:%d.%m.%Y}: weniger als 5 Meilensteine, weniger als 5 Teilnehmende"
    )
    assert mail["Message-ID"] == f"<{digest_delivery_id(rid, DigestPeriod.DAY, tomorrow)}@example.org>"
    plain = mail.get_body(("plain",))
    html = mail.get_body(("html",))
    assert plain is not None and html is not None
    text = plain.get_content().replace("\r\n", "\n")
    assert text.startswith("Guten Tag,\n") and f"Teilnehmende {str(recruited.participant_id)[:8]}…" in text
    assert "Anerkennung entschieden" in text and "Kennzahlen" in text and "weniger als 5" in text
    assert "<h2>Handlungsbedarf</h2>" in html.get_content()
    assert sent.body["period"] == "day" and sent.body["period_start"] == tomorrow.isoformat()
    assert sent.body["milestones"] == 2 and sent.body["participants"] == 1
    rows = await db.fetch(
        "SELECT period_start, milestones, delivery_id FROM digests WHERE recipient_id = $1 ORDER BY period_start", rid
    )
    # today's period (the recipient joined in it) had nothing: recorded, nothing sent
    assert [(r["period_start"], r["milestones"], r["delivery_id"] is not None) for r in rows] == [
        (tomorrow - timedelta(days=1), 0, False),
        (tomorrow, 2, True),
    ]


async def test_a_restart_between_two_periods_and_a_downtime_across_them_lose_no_digest_and_send_each_once(
    infra: Infra,
    publisher: Publisher,
    notifications: ServiceProcess,
    smtp_sink: SmtpSink,
    world: World,
    db: asyncpg.Connection,
    pool: asyncpg.Pool,
) -> None:
    desk = await coordinator(publisher, infra.kafka, world, default_delivery="daily_digest")
    rid = world.recipient("desk")
    day1 = datetime.now(BERLIN).date() + timedelta(days=1)
    day2 = day1 + timedelta(days=1)
    recruited = world.recruited()
    await send_at(publisher, recruited, at(day1, 9))
    await send_at(publisher, build(RecognitionDecided, participant_id=recruited.participant_id), at(day2, 9))
    await kept(db, rid, 2)

    # Before the first period's digest is due, a worker finds only today's (empty) one; then the process "restarts"
    # (a new worker) only after both periods ended: it catches up both, oldest first.
    assert await DigestWorker().compose_due(pool, at(day1, 23), [rid]) == 0
    assert await DigestWorker().compose_due(pool, at(day2 + timedelta(days=1), 8), [rid]) == 2
    assert await DigestWorker().compose_due(pool, at(day2 + timedelta(days=2), 8), [rid]) == 0
    mails = await smtp_sink.wait_for(desk, count=2, settle_s=3)

    assert sorted(m["Subject"] for m in mails) == sorted(
        [
            f"Tagesübersicht {day1:%d.%m.%Y}: weniger als 5 Meilensteine, weniger als 5 Teilnehmende",
            f"Tagesübersicht {day2:%d.%m.%Y}: weniger als 5 Meilensteine, weniger als 5 Teilnehmende",
        ]
    )
    assert len({m["Message-ID"] for m in mails}) == 2


async def test_a_digest_sent_again_after_a_crash_carries_the_same_message_id(
    infra: Infra,
    publisher: Publisher,
    notifications: ServiceProcess,
    smtp_sink: SmtpSink,
    world: World,
    db: asyncpg.Connection,
    pool: asyncpg.Pool,
) -> None:
    desk = await coordinator(publisher, infra.kafka, world, default_delivery="daily_digest")
    rid = world.recipient("desk")
    day = datetime.now(BERLIN).date() + timedelta(days=1)
    await send_at(publisher, world.recruited(), at(day, 9))
    await kept(db, rid, 1)
    assert await DigestWorker().compose_due(pool, at(day + timedelta(days=1), 6), [rid]) == 1
    [first] = await smtp_sink.wait_for(desk, count=1, settle_s=1)

    # A crash between the server's acceptance and our record: the row is pending again with its texts, as it was.
    row = await db.fetchrow("SELECT delivery_id FROM digests WHERE recipient_id = $1 AND delivery_id IS NOT NULL", rid)
    plain, html = first.get_body(("plain",)), first.get_body(("html",))
    assert plain is not None and html is not None
    await db.execute(
        "UPDATE digests SET subject = $2, body_text = $3, body_html = $4 WHERE delivery_id = $1",
        row["delivery_id"],
        first["Subject"],
        plain.get_content(),
        html.get_content(),
    )
    await db.execute(
        "UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(), sent_at = NULL,"
        " finished_at = NULL WHERE delivery_id = $1",
        row["delivery_id"],
    )
    first_again, second = await smtp_sink.wait_for(desk, count=2, settle_s=2)

    assert first_again["Message-ID"] == second["Message-ID"] == first["Message-ID"]
    assert second["Subject"] == first["Subject"]


async def test_a_coordinator_by_default_gets_urgent_milestones_at_once_and_the_rest_in_the_weekly_digest(
    infra: Infra,
    publisher: Publisher,
    notifications: ServiceProcess,
    smtp_sink: SmtpSink,
    world: World,
    db: asyncpg.Connection,
    pool: asyncpg.Pool,
) -> None:
    desk = await coordinator(publisher, infra.kafka, world, default_delivery=None)  # the default of its kind
    rid = world.recipient("desk")
    recruited = world.recruited()
    pid = recruited.participant_id
    await publisher.send(recruited)
    await publisher.send(build(RecognitionDecided, participant_id=pid))
    await publisher.send(build(DecisionOverdue, participant_id=pid))

    [urgent] = await smtp_sink.wait_for(desk, count=1, settle_s=3)
    assert urgent["X-Journey-Milestone"] == Milestone.DECISION_OVERDUE.value
    body = urgent.get_content().replace("\r\n", "\n")
    assert "Untätigkeitsklage" in body and body.startswith("Guten Tag,\n")
    await kept(db, rid, 2)
    periods = await db.fetch("SELECT DISTINCT period FROM digest_items WHERE recipient_id = $1", rid)
    assert [r["period"] for r in periods] == ["week"]

    today = datetime.now(BERLIN).date()
    monday = today - timedelta(days=today.weekday())
    assert await DigestWorker().compose_due(pool, at(monday + timedelta(days=7), 6), [rid]) == 1
    mails = await smtp_sink.wait_for(desk, count=2, settle_s=2)

    [digest] = [m for m in mails if m["X-Journey-Milestone"] is None]
    sunday = monday + timedelta(days=6)
    assert digest["Subject"].startswith("Wochenübersicht ") and f"{sunday:%d.%m.%Y}" in digest["Subject"]
    assert digest["Subject"].endswith(
        ": weniger als 5 Meilensteine, weniger als 5 Teilnehmende"
    )  # the urgent one is listed too
    plain = digest.get_body(("plain",))
    assert plain is not None
    text = plain.get_content().replace("\r\n", "\n")
    assert "Entscheidung überfällig (bereits einzeln gemeldet)" in text
    assert "Handlungsbedarf" in text and "Bei der zuständigen Stelle nach dem Stand des Verfahrens fragen" in text
