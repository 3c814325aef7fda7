"""The directory: recipients from the file at every start, and by command; refusals say why."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from shared.contracts.notifications import RemoveRecipient, UpdateRecipient
from shared.contracts.recognition import RecognitionDecided
from tests.integration.notifications.support import (
    EVENTS,
    REJECTIONS,
    Publisher,
    World,
    build,
    coordinator,
    named,
    notifications_process,
    register,
)
from tests.support.infra import Infra
from tests.support.kafka import Tap
from tests.support.processes import ServiceProcess
from tests.support.smtp import SmtpSink


def directory_file(path: Path, world: World, milestones: list[str]) -> Path:
    entry = {
        "recipient_id": world.recipient("file-desk"),
        "recipient_kind": "coordinator",
        "email": world.address("file-desk"),
        "display_name": "Desk from the file",
        "regions": [world.region],
        "milestones": milestones,
        "default_delivery": "immediate",
    }
    path.write_text(yaml.safe_dump({"recipients": [entry]}), encoding="utf-8")
    return path


async def test_the_directory_file_is_applied_at_every_start_and_announced_only_when_it_changed(
    infra: Infra, log_dir: Path, tmp_path: Path, publisher: Publisher, smtp_sink: SmtpSink, world: World
) -> None:
    path = directory_file(tmp_path / "directory.yaml", world, ["participant_recruited"])
    env = {"NOTIFICATIONS_DIRECTORY_FILE": str(path)}
    announced = named("RecipientRegistered", world.recipient("file-desk"))
    updated = named("RecipientUpdated", world.recipient("file-desk"))
    async with Tap(infra.kafka, EVENTS) as events:
        first = notifications_process(infra, log_dir, smtp_sink, **env).start()
        recruited = world.recruited()
        await publisher.send(recruited)  # handled only once the file is applied
        mails = await smtp_sink.wait_for(world.address("file-desk"))
        first.stop()
        second = notifications_process(infra, log_dir, smtp_sink, **env).start()
        second.stop()
        directory_file(path, world, ["participant_recruited", "recognition_decided"])
        third = notifications_process(infra, log_dir, smtp_sink, **env).start()
        await publisher.send(build(RecognitionDecided, participant_id=recruited.participant_id))
        decided = await smtp_sink.wait_for(world.address("file-desk"), count=2)
        third.stop()
        registrations = await events.wait_for(announced, settle_s=1)
        updates = await events.wait_for(updated)

    assert len(mails) == 1 and len(decided) == 2
    assert len(registrations) == 1, "an unchanged file must not announce its recipients again"
    assert [u.body["milestones"] for u in updates] == [["participant_recruited", "recognition_decided"]]


async def test_refused_directory_commands_are_published_as_rejections_with_a_reason(
    infra: Infra, publisher: Publisher, notifications: ServiceProcess, world: World
) -> None:
    twin = await register(publisher, infra.kafka, recipient_id=world.recipient("twin"), email=world.address("twin"))
    nobody = UpdateRecipient(recipient_id=world.recipient("nobody"), language="en")
    async with Tap(infra.kafka, REJECTIONS) as rejections:
        await publisher.send(twin)  # the same registration again, as a new message
        await publisher.send(nobody)
        refused = await rejections.wait_for(lambda r: r.key in {twin.recipient_id, nobody.recipient_id}, count=2)

    reasons = {r.key: json.loads(r.value)["reason"] for r in refused}
    assert reasons == {twin.recipient_id: "already_exists", nobody.recipient_id: "unknown_recipient"}


async def test_a_removed_recipient_gets_no_more_mail(
    infra: Infra, publisher: Publisher, notifications: ServiceProcess, smtp_sink: SmtpSink, world: World
) -> None:
    desk = await coordinator(publisher, infra.kafka, world)
    other = await coordinator(publisher, infra.kafka, world, name="other")
    async with Tap(infra.kafka, EVENTS) as events:
        await publisher.send(RemoveRecipient(recipient_id=world.recipient("desk")))
        assert await events.wait_for(named("RecipientRemoved", world.recipient("desk")))
    await publisher.send(world.recruited())

    assert len(await smtp_sink.wait_for(other)) == 1
    assert await smtp_sink.wait_for(desk, timeout_s=0, settle_s=1) == []
