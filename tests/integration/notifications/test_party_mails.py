"""The organisations around a participant are parties to the case: each is mailed what its role there is told, with
the consent that role needs, and nothing while it is not involved; the lead hears everything, a handover is told to
both sides; a paused participant's programme reminders are mailed to nobody."""

from __future__ import annotations

import asyncio
from email.message import EmailMessage
from uuid import UUID

import asyncpg

from shared.contracts.enums import ConsentScope, Milestone
from shared.contracts.organisations import LeadHandedOver, OrganisationInvolved
from shared.contracts.placement import EmploymentEndNoticeDue, EmploymentStarted, RetentionCheckOverdue
from shared.contracts.qualification import LanguageTargetReached
from shared.contracts.recognition import RecognitionDecided
from shared.contracts.recruitment import ConsentChanged, ParticipationPaused, ParticipationResumed
from tests.integration.notifications.support import EVENTS, Publisher, World, build, coordinator, named, register
from tests.support.infra import Infra
from tests.support.kafka import Tap
from tests.support.processes import ServiceProcess
from tests.support.smtp import SmtpSink


async def mailbox(publisher: Publisher, kafka: str, world: World, name: str) -> str:
    """The mailbox of the world's organisation `name`, for every milestone and region; returns its address."""
    await register(
        publisher,
        kafka,
        recipient_id=world.recipient(f"{name}-mail"),
        recipient_kind="partner_organisation",
        partner_org=world.org(name),
        email=world.address(name),
        display_name=name,
        regions=[],
        milestones=list(Milestone),
    )
    return world.address(name)


async def until(db: asyncpg.Connection, query: str, participant_id: UUID) -> None:
    """Wait until the copy says so: Kafka orders no two topics, so another stage's milestone must come after it."""
    for _ in range(300):
        if await db.fetchval(query, participant_id):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"never true: {query}")


def titles(mails: list[EmailMessage]) -> list[str]:
    return sorted(m["X-Journey-Milestone"] for m in mails)


async def test_the_lead_a_language_school_and_an_employer_each_get_exactly_what_their_role_and_consent_allow(
    infra: Infra,
    publisher: Publisher,
    notifications: ServiceProcess,
    smtp_sink: SmtpSink,
    world: World,
    db: asyncpg.Connection,
) -> None:
    centre, school, home = [await mailbox(publisher, infra.kafka, world, n) for n in ("centre", "school", "home")]
    stranger = await mailbox(publisher, infra.kafka, world, "stranger")
    recruited = world.recruited(partner_org=world.org("centre"), consents=[ConsentScope.LANGUAGE_PROVIDER])
    pid = recruited.participant_id
    async with Tap(infra.kafka, EVENTS) as events:
        await publisher.send(recruited)
        await publisher.send(
            build(OrganisationInvolved, participant_id=pid, org_id=world.org("school"), role="measure_provider")
        )
        await publisher.send(build(OrganisationInvolved, participant_id=pid, org_id=world.org("home"), role="employer"))
        await until(db, "SELECT count(*) = 3 FROM involvements WHERE participant_id = $1", pid)
        await publisher.send(build(LanguageTargetReached, participant_id=pid))
        started = await publisher.send(build(EmploymentStarted, participant_id=pid))
        [before_consent] = await events.wait_for(named("NotificationSuppressed", str(pid)))
        granted = [ConsentScope.LANGUAGE_PROVIDER, ConsentScope.EMPLOYER]
        await publisher.send(
            build(ConsentChanged, participant_id=pid, consents=granted, granted=[ConsentScope.EMPLOYER], revoked=[])
        )
        await until(db, "SELECT 'employer' = ANY(consents) FROM participants WHERE participant_id = $1", pid)
        await publisher.send(build(RecognitionDecided, participant_id=pid))
        lead_mails = await smtp_sink.wait_for(centre, count=4)
        school_mails = await smtp_sink.wait_for(school, count=2)
        home_mails = await smtp_sink.wait_for(home, count=1, settle_s=2)
        suppressed = await events.wait_for(named("NotificationSuppressed", str(pid)), settle_s=1)

    assert titles(lead_mails) == [
        "employment_started", "language_target_reached", "participant_recruited", "recognition_decided",
    ]  # fmt: skip
    assert titles(school_mails) == ["language_target_reached", "recognition_decided"]
    assert titles(home_mails) == ["recognition_decided"]
    assert smtp_sink.to(stranger) == []
    assert (before_consent.body["recipient_id"], before_consent.body["reason"]) == (
        world.recipient("home-mail"),
        "no_consent",
    )
    assert (before_consent.body["milestone"], before_consent.body["caused_by_id"]) == ("employment_started", started)
    assert suppressed == [before_consent]  # not involved, not for the role: silent


async def test_a_handover_is_told_to_both_sides_and_a_pause_holds_back_the_programmes_reminders(
    infra: Infra,
    publisher: Publisher,
    notifications: ServiceProcess,
    smtp_sink: SmtpSink,
    world: World,
    db: asyncpg.Connection,
) -> None:
    desk = await coordinator(publisher, infra.kafka, world)
    centre, home = [await mailbox(publisher, infra.kafka, world, n) for n in ("centre", "home")]
    recruited = world.recruited(partner_org=world.org("centre"), consents=[ConsentScope.EMPLOYER])
    pid = recruited.participant_id
    async with Tap(infra.kafka, EVENTS) as events:
        await publisher.send(recruited)
        await publisher.send(build(OrganisationInvolved, participant_id=pid, org_id=world.org("home"), role="employer"))
        await publisher.send(
            build(LeadHandedOver, participant_id=pid, from_org=world.org("centre"), to_org=world.org("home"))
        )
        await publisher.send(build(ParticipationPaused, participant_id=pid))
        await until(db, "SELECT paused_on IS NOT NULL FROM participants WHERE participant_id = $1", pid)
        held_back = await publisher.send(build(RetentionCheckOverdue, participant_id=pid))
        [paused] = await events.wait_for(named("NotificationSuppressed", str(pid)))
        await publisher.send(build(ParticipationResumed, participant_id=pid))
        await until(db, "SELECT paused_on IS NULL FROM participants WHERE participant_id = $1", pid)
        await publisher.send(build(RetentionCheckOverdue, participant_id=pid, months=24))
        await publisher.send(build(EmploymentEndNoticeDue, participant_id=pid))
        centre_mails = await smtp_sink.wait_for(centre, count=5)
        home_mails = await smtp_sink.wait_for(home, count=5)
        desk_mails = await smtp_sink.wait_for(desk, count=7, settle_s=2)

    assert (paused.body["recipient_id"], paused.body["reason"]) == (None, "participant_paused")
    assert paused.body["caused_by_id"] == held_back
    life = ["lead_handed_over", "participation_paused", "participation_resumed", "retention_check_overdue"]
    # The former lead, a counselling centre, is not told of the employer's notice any more; the new lead is told
    # everything from the handover on (as an employer it would not be told of the handover itself).
    assert titles(centre_mails) == sorted([*life, "participant_recruited"])
    assert titles(home_mails) == sorted([*life, "employment_end_notice_due"])
    assert titles(desk_mails) == sorted([*life, "participant_recruited", "employment_end_notice_due"])
    overdue = next(m for m in home_mails if m["X-Journey-Milestone"] == "retention_check_overdue").get_content()
    assert "Monate nach Beginn: 24" in overdue
