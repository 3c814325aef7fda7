"""Which message goes to which use case: every stage's milestone events (from the catalogue) and our commands."""

from __future__ import annotations

import asyncio
from typing import Any

from services.notifications import directory, handlers
from shared.contracts import notifications as contract
from shared.contracts import recruitment
from shared.contracts.catalogue import events_of
from shared.contracts.envelope import Event
from shared.contracts.topics import Kind, Stage, topic
from shared.processing import Handler, Route
from shared.unit_of_work import UnitOfWork

STAGES_WITH_MILESTONES = (Stage.RECRUITMENT, Stage.RECOGNITION, Stage.QUALIFICATION, Stage.PLACEMENT)

# Events that feed the participant copy; ParticipantRecruited is a milestone as well.
COPY: dict[type[Event], Handler] = {
    recruitment.ParticipantRecruited: handlers.participant_recruited,
    recruitment.IntakeRecorded: handlers.intake_recorded,
    recruitment.ConsentChanged: handlers.consent_changed,
    recruitment.ParticipantErased: handlers.participant_erased,
}


def after(ready: asyncio.Event, handler: Handler) -> Handler:
    """Hold a message until the directory file is applied, so early milestones see the whole directory."""

    async def when_ready(uow: UnitOfWork, message: Any) -> None:
        await ready.wait()
        await handler(uow, message)

    when_ready.__name__ = getattr(handler, "__name__", "handler")
    return when_ready


def event_routes(ready: asyncio.Event) -> dict[str, list[Route]]:
    """Per stage events topic: every event class marked as a milestone, and the copy events."""
    routes: dict[str, list[Route]] = {}
    for stage in STAGES_WITH_MILESTONES:
        found = []
        for message in events_of(stage):
            if not issubclass(message, Event):
                continue
            handler = COPY.get(message) or (handlers.record_milestone if message.marks_milestone else None)
            if handler is not None:
                found.append(Route(message, after(ready, handler)))
        routes[topic(stage, Kind.EVENT)] = found
    return routes


def command_routes(ready: asyncio.Event) -> list[Route]:
    return [
        Route(contract.RegisterRecipient, after(ready, directory.register_recipient)),
        Route(contract.UpdateRecipient, after(ready, directory.update_recipient)),
        Route(contract.RemoveRecipient, after(ready, directory.remove_recipient)),
        Route(contract.OptOutParticipant, after(ready, handlers.opt_out_participant)),
        Route(contract.OptInParticipant, after(ready, handlers.opt_in_participant)),
    ]
