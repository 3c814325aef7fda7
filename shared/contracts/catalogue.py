"""Every message type of the journey, looked up by its CloudEvents type, stage, kind or milestone."""

from __future__ import annotations

from shared.contracts import (
    counselling,
    notifications,
    organisations,
    placement,
    qualification,
    recognition,
    recruitment,
    reporting,
)
from shared.contracts.enums import Milestone
from shared.contracts.envelope import BaseMessage, Event
from shared.contracts.topics import Kind, Stage

ALL_MESSAGES: tuple[type[BaseMessage], ...] = (
    *recruitment.MESSAGES,
    *organisations.MESSAGES,
    *counselling.MESSAGES,
    *recognition.MESSAGES,
    *qualification.MESSAGES,
    *placement.MESSAGES,
    *notifications.MESSAGES,
    *reporting.MESSAGES,
)

BY_TYPE: dict[str, type[BaseMessage]] = {m.ce_type(): m for m in ALL_MESSAGES}

MILESTONE_EVENTS: dict[Milestone, type[Event]] = {
    m.marks_milestone: m for m in ALL_MESSAGES if issubclass(m, Event) and m.marks_milestone is not None
}
"""The event that reaches each milestone coordinators can be mailed about."""


def messages_of(stage: Stage, kind: Kind) -> tuple[type[BaseMessage], ...]:
    """The stage's message types on its `kind` topic, in catalogue order."""
    return tuple(m for m in ALL_MESSAGES if m.stage is stage and m.kind is kind)


def commands_of(stage: Stage) -> tuple[type[BaseMessage], ...]:
    """What `journey.<stage>.commands` accepts."""
    return messages_of(stage, Kind.COMMAND)


def events_of(stage: Stage) -> tuple[type[BaseMessage], ...]:
    """What the stage's service publishes on `journey.<stage>.events`."""
    return messages_of(stage, Kind.EVENT)


def milestone_of(ce_type: str) -> Milestone | None:
    """The milestone an event type reaches, if any."""
    message = BY_TYPE.get(ce_type)
    return message.marks_milestone if message is not None and issubclass(message, Event) else None
