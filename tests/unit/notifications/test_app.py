"""The service subscribes to every milestone of the catalogue and accepts every notifications command."""

from __future__ import annotations

from services.notifications.app import SPEC
from shared.contracts.catalogue import ALL_MESSAGES, commands_of
from shared.contracts.envelope import Event
from shared.contracts.topics import Kind, Stage, topic


def routed_types() -> dict[str, set[str]]:
    return {name: {route.model.ce_type() for route in routes} for name, routes in SPEC.consumes.items()}


def test_every_milestone_event_is_routed_from_its_stage_events_topic() -> None:
    routed = routed_types()
    for message in ALL_MESSAGES:
        if issubclass(message, Event) and message.marks_milestone is not None:
            assert message.ce_type() in routed[message.topic()], message.__name__


def test_every_notifications_command_is_accepted() -> None:
    routed = routed_types()[topic(Stage.NOTIFICATIONS, Kind.COMMAND)]
    assert routed == {m.ce_type() for m in commands_of(Stage.NOTIFICATIONS)}


def test_the_participant_copy_follows_recruitment_events() -> None:
    routed = routed_types()[topic(Stage.RECRUITMENT, Kind.EVENT)]
    names = {ce_type.split(".")[2] for ce_type in routed}
    assert {"ParticipantRecruited", "IntakeRecorded", "ConsentChanged", "ParticipantErased"} <= names


def test_the_spec_is_declared_without_settings_and_its_one_worker_reads_them_when_it_starts() -> None:
    # Importing the module read no settings and connected to nothing; the mail worker reads them at start-up.
    assert SPEC.default_http_port == 8005 and len(SPEC.workers) == 2 and len(SPEC.prepare) == 1
    assert callable(SPEC.workers[0])
