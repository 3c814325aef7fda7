"""A Berufserlaubnis ending is a milestone: its warning, its end and an employment going on without it are mailed
to the region's coordinator, once each, with the permit's last day and what to settle."""

from __future__ import annotations

from shared.contracts.placement import EmploymentPermitExpired
from shared.contracts.recognition import LicenceExpired, LicenceExpiring
from tests.integration.notifications.support import EVENTS, Publisher, World, build, coordinator, named
from tests.support.infra import Infra
from tests.support.kafka import Tap
from tests.support.processes import ServiceProcess
from tests.support.smtp import SmtpSink


async def test_the_coordinator_is_told_a_berufserlaubnis_ends_soon_and_when_it_has_ended(
    infra: Infra, publisher: Publisher, notifications: ServiceProcess, smtp_sink: SmtpSink, world: World
) -> None:
    desk = await coordinator(publisher, infra.kafka, world)
    elsewhere = await coordinator(publisher, infra.kafka, World())  # another region's coordinator
    recruited = world.recruited()
    pid = recruited.participant_id
    async with Tap(infra.kafka, EVENTS) as events:
        await publisher.send(recruited)
        await publisher.send(build(LicenceExpiring, participant_id=pid))
        await publisher.send(build(LicenceExpired, participant_id=pid))
        mails = await smtp_sink.wait_for(desk, count=3, settle_s=2)
        everyone = await events.wait_for(named("NotificationSent", str(pid)), count=3, settle_s=1)
    sent = [s for s in everyone if s.body["recipient_id"] == world.recipient("desk")]

    short = str(pid)[:8]
    assert [m["Subject"] for m in mails] == [
        f"Integration Journey: {title} (Teilnehmende {short}…)"
        for title in ("Teilnehmende aufgenommen", "Berufserlaubnis läuft bald ab", "Berufserlaubnis abgelaufen")
    ]
    expiring, expired = mails[1].get_content(), mails[2].get_content()
    assert "Zulassung: Berufserlaubnis" in expiring and "Gültig bis: 31.03.2027" in expiring
    assert "§ 10 BÄO" in expiring
    assert "Gültig bis: 31.03.2027" in expired and "§ 2 BÄO" in expired
    assert [m["X-Journey-Milestone"] for m in mails[1:]] == ["licence_expiring", "licence_expired"]
    assert sorted(s.body["milestone"] for s in sent) == ["licence_expired", "licence_expiring", "participant_recruited"]
    assert smtp_sink.to(elsewhere) == []


async def test_the_coordinator_is_told_an_employment_goes_on_after_its_berufserlaubnis_ended(
    infra: Infra, publisher: Publisher, notifications: ServiceProcess, smtp_sink: SmtpSink, world: World
) -> None:
    desk = await coordinator(publisher, infra.kafka, world)
    recruited = world.recruited()
    await publisher.send(recruited)
    await publisher.send(build(EmploymentPermitExpired, participant_id=recruited.participant_id))

    mails = await smtp_sink.wait_for(desk, count=2, settle_s=1)

    assert "Beschäftigung ohne gültige Berufserlaubnis" in mails[1]["Subject"]
    body = mails[1].get_content()
    assert "Begonnen am: 02.03.2026" in body and "Gültig bis: 31.03.2027" in body
    assert "care-home-example" not in body  # employers stay out of mails
