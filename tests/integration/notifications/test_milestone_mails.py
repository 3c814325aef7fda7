"""Milestone events from the stages become mails to the right recipients, once, and only with consent."""

from __future__ import annotations

import asyncio
from datetime import date

import asyncpg

from shared.contracts.enums import ConsentScope, Milestone
from shared.contracts.notifications import OptInParticipant, OptOutParticipant
from shared.contracts.placement import EmploymentEnded
from shared.contracts.recognition import ApplicationCompleted, RecognitionDecided
from shared.contracts.recruitment import ParticipantErased
from tests.integration.notifications.support import (
    EVENTS,
    Publisher,
    World,
    build,
    coordinator,
    named,
    register,
)
from tests.support.infra import Infra
from tests.support.kafka import Tap
from tests.support.processes import ServiceProcess
from tests.support.smtp import SmtpSink


async def test_a_coordinator_gets_each_milestone_once_in_german_and_each_mail_is_recorded_as_sent(
    infra: Infra, publisher: Publisher, notifications: ServiceProcess, smtp_sink: SmtpSink, world: World
) -> None:
    desk = await coordinator(publisher, infra.kafka, world)
    recruited = world.recruited()
    pid = recruited.participant_id
    async with Tap(infra.kafka, EVENTS) as events:
        await publisher.send(recruited)
        await publisher.send(build(RecognitionDecided, participant_id=pid))
        await publisher.send(build(EmploymentEnded, participant_id=pid))
        mails = await smtp_sink.wait_for(desk, count=3, settle_s=2)
        everyone = await events.wait_for(named("NotificationSent", str(pid)), count=3, settle_s=1)
    # The shared database's directory may hold recipients of other runs for every region (e.g. `make run`'s).
    sent = [s for s in everyone if s.body["recipient_id"] == world.recipient("desk")]

    subjects = sorted(m["Subject"] for m in mails)
    short = str(pid)[:8]
    assert subjects == sorted(
        f"Integration Journey: {title} (Teilnehmende {short}…)"
        for title in ("Teilnehmende aufgenommen", "Anerkennung entschieden", "Beschäftigung beendet")
    )
    ended = next(m for m in mails if "beendet" in m["Subject"]).get_content()
    assert "Meldepflicht gegenüber der Ausländerbehörde innerhalb von 4 Wochen (§ 4a Abs. 5 AufenthG)" in ended
    assert {s.body["milestone"] for s in sent} == {"participant_recruited", "recognition_decided", "employment_ended"}
    assert len(sent) == 3 and all(s.body["sent_at"] for s in sent)
    assert len({m["Message-ID"] for m in mails}) == 3


async def test_a_redelivered_milestone_event_mails_nobody_twice(
    infra: Infra,
    publisher: Publisher,
    notifications: ServiceProcess,
    smtp_sink: SmtpSink,
    world: World,
    db: asyncpg.Connection,
) -> None:
    desk = await coordinator(publisher, infra.kafka, world)
    recruited = world.recruited()
    await publisher.send(recruited)
    decided = build(RecognitionDecided, participant_id=recruited.participant_id)
    ce_id = await publisher.send(decided)
    await publisher.send(decided, ce_id=ce_id)
    await publisher.send(decided, ce_id=ce_id)

    mails = await smtp_sink.wait_for(desk, count=2, settle_s=3)

    assert sorted(m["Subject"].split(":")[1].split("(")[0].strip() for m in mails) == [
        "Anerkennung entschieden",
        "Teilnehmende aufgenommen",
    ]
    rows = await db.fetch(
        "SELECT status, attempts FROM deliveries WHERE caused_by_id = $1 AND recipient_id = $2",
        ce_id,
        world.recipient("desk"),
    )
    assert [(r["status"], r["attempts"]) for r in rows] == [("sent", 1)]


async def test_a_milestone_that_overtakes_the_recruitment_is_mailed_once_the_participant_is_known(
    infra: Infra, publisher: Publisher, notifications: ServiceProcess, smtp_sink: SmtpSink, world: World
) -> None:
    desk = await coordinator(publisher, infra.kafka, world)
    recruited = world.recruited()
    await publisher.send(build(ApplicationCompleted, participant_id=recruited.participant_id))
    assert await smtp_sink.wait_for(desk, timeout_s=2) == [], "mailed before the participant's region was known"

    await publisher.send(recruited)
    mails = await smtp_sink.wait_for(desk, count=2, settle_s=1)

    assert [m["Subject"].split(":")[1].split("(")[0].strip() for m in mails] == [
        "Teilnehmende aufgenommen",
        "Antrag vollständig",
    ]
    assert "Entscheidung fällig am: 10.06.2025" in mails[1].get_content()


async def test_a_partner_organisation_hears_only_about_cases_it_takes_part_in_and_only_with_its_consent(
    infra: Infra, publisher: Publisher, notifications: ServiceProcess, smtp_sink: SmtpSink, world: World
) -> None:
    own, employer = world.address("partner"), world.address("employer")
    await register(
        publisher,
        infra.kafka,
        recipient_id=world.recipient("partner"),
        recipient_kind="partner_organisation",
        partner_org=world.org(),
        email=own,
        regions=[],
        milestones=list(Milestone),
    )
    await register(
        publisher,
        infra.kafka,
        recipient_id=world.recipient("employer"),
        recipient_kind="partner_organisation",
        partner_org=world.org(),
        consent_scope="jobcenter_agentur",
        email=employer,
        regions=[],
        milestones=list(Milestone),
    )
    theirs = world.recruited(partner_org=world.org("someone-else"))
    ours = world.recruited(consents=[ConsentScope.EMPLOYER])
    async with Tap(infra.kafka, EVENTS) as events:
        await publisher.send(theirs)
        await publisher.send(build(RecognitionDecided, participant_id=theirs.participant_id))
        await publisher.send(ours)
        await publisher.send(build(RecognitionDecided, participant_id=ours.participant_id))
        mails = await smtp_sink.wait_for(own, count=2, settle_s=2)
        suppressed = await events.wait_for(named("NotificationSuppressed", str(ours.participant_id)), count=2)

    assert all(str(ours.participant_id) in m.get_content() for m in mails) and len(mails) == 2
    assert smtp_sink.to(employer) == []
    assert {(s.body["recipient_id"], s.body["reason"]) for s in suppressed} == {
        (world.recipient("employer"), "no_consent")
    }


async def test_an_opted_out_participant_is_mailed_about_to_nobody_and_that_is_recorded(
    infra: Infra, publisher: Publisher, notifications: ServiceProcess, smtp_sink: SmtpSink, world: World
) -> None:
    desk = await coordinator(publisher, infra.kafka, world)
    recruited = world.recruited()
    pid = recruited.participant_id
    async with Tap(infra.kafka, EVENTS) as events:
        await publisher.send(recruited)
        await smtp_sink.wait_for(desk)
        await publisher.send(OptOutParticipant(participant_id=pid, opted_out_on=date(2026, 11, 2)))
        assert await events.wait_for(named("ParticipantOptedOut", str(pid)))
        decided = await publisher.send(build(RecognitionDecided, participant_id=pid))
        [suppressed] = await events.wait_for(named("NotificationSuppressed", str(pid)))
        await publisher.send(OptInParticipant(participant_id=pid, opted_in_on=date(2026, 11, 3)))
        assert await events.wait_for(named("ParticipantOptedIn", str(pid)))
        await publisher.send(build(EmploymentEnded, participant_id=pid))
        mails = await smtp_sink.wait_for(desk, count=2, settle_s=1)

    assert suppressed.body["reason"] == "opted_out" and suppressed.body["recipient_id"] is None
    assert suppressed.body["caused_by_id"] == decided
    assert ["aufgenommen" in mails[0]["Subject"], "beendet" in mails[1]["Subject"]] == [True, True]


async def test_an_erased_participant_is_forgotten_and_later_milestones_are_suppressed(
    infra: Infra,
    publisher: Publisher,
    notifications: ServiceProcess,
    smtp_sink: SmtpSink,
    world: World,
    db: asyncpg.Connection,
) -> None:
    desk = await coordinator(publisher, infra.kafka, world)
    recruited = world.recruited()
    pid = recruited.participant_id
    async with Tap(infra.kafka, EVENTS) as events:
        await publisher.send(recruited)
        await smtp_sink.wait_for(desk)
        await events.wait_for(named("NotificationSent", str(pid)))
        await publisher.send(build(ParticipantErased, participant_id=pid))
        # Kafka orders no two topics: wait until the erasure is applied, so the decision is a *later* milestone.
        for _ in range(150):
            if await db.fetchval("SELECT erased_on FROM participants WHERE participant_id = $1", pid):
                break
            await asyncio.sleep(0.1)
        await publisher.send(build(RecognitionDecided, participant_id=pid))
        [suppressed] = await events.wait_for(named("NotificationSuppressed", str(pid)))

    assert suppressed.body["reason"] == "participant_erased"
    assert len(await smtp_sink.wait_for(desk, settle_s=1)) == 1
    copy = await db.fetchrow("SELECT * FROM participants WHERE participant_id = $1", pid)
    assert copy is not None
    assert (copy["region"], copy["partner_org"], copy["consents"]) == (None, None, [])
    assert copy["erased_on"] == date(2026, 1, 15)
    assert await db.fetchval("SELECT count(*) FROM milestones WHERE participant_id = $1", pid) == 0
    assert await db.fetchval("SELECT count(*) FROM involvements WHERE participant_id = $1", pid) == 0
    assert await db.fetchval("SELECT count(*) FROM deliveries WHERE participant_id = $1", pid) == 0
    audit = await db.fetch(
        "SELECT status, email FROM deliveries WHERE recipient_id = $1 ORDER BY seq", world.recipient("desk")
    )
    assert [(r["status"], r["email"]) for r in audit] == [("sent", desk)]
