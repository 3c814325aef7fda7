"""Stages and their topic names: commands in, canonical events out, rejections back to the sender."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    """A stage of the journey; each is owned by one service."""

    RECRUITMENT = "recruitment"
    RECOGNITION = "recognition"
    QUALIFICATION = "qualification"
    PLACEMENT = "placement"
    NOTIFICATIONS = "notifications"
    REPORTING = "reporting"


class Kind(StrEnum):
    """The three kinds of message each stage has."""

    COMMAND = "commands"
    EVENT = "events"
    REJECTION = "rejections"


def topic(stage: Stage, kind: Kind) -> str:
    """`journey.<stage>.<kind>`, e.g. `journey.recognition.events`."""
    return f"journey.{stage.value}.{kind.value}"


ALL_TOPICS: tuple[str, ...] = tuple(topic(stage, kind) for stage in Stage for kind in Kind)
