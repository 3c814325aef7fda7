"""Stages and their topic names: commands in, canonical events out, rejections back to the sender."""

from __future__ import annotations

import re
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


PARTNER_STAGES: tuple[Stage, ...] = (
    Stage.RECRUITMENT,
    Stage.RECOGNITION,
    Stage.QUALIFICATION,
    Stage.PLACEMENT,
    Stage.NOTIFICATIONS,
)
"""The stages that take commands from partner organisations (reporting takes them from operators only)."""

ORG_ID_PATTERN = r"[a-z0-9][a-z0-9-]{0,62}"
"""A partner organisation's id as its topics and its Kafka principal (`partner-<org>`) carry it."""

_PARTNER_TOPIC = re.compile(rf"journey\.(?P<stage>[a-z]+)\.(?P<kind>commands|rejections)\.(?P<org>{ORG_ID_PATTERN})")


def partner_topic(stage: Stage, kind: Kind, org: str) -> str:
    """`journey.<stage>.commands.<org>` (the partner writes, the stage reads) or `journey.<stage>.rejections.<org>`
    (the stage writes what it refused of them, only they and the operators read). The broker's ACLs bind the topic
    to the partner's principal, so a record there was sent by that partner."""
    if kind is Kind.EVENT:
        raise ValueError("events topics are shared: every partner reads the same facts")
    if not re.fullmatch(ORG_ID_PATTERN, org):
        raise ValueError(f"not an organisation id for a topic: {org!r}")
    return f"{topic(stage, kind)}.{org}"


def partner_of(topic_name: str) -> str | None:
    """The partner whose own commands (or rejections) topic this is; None for a shared topic."""
    match = _PARTNER_TOPIC.fullmatch(topic_name)
    return match["org"] if match else None


def partner_commands_pattern(stage: Stage) -> str:
    """The regular expression a stage subscribes to for every partner's commands topic."""
    return re.escape(topic(stage, Kind.COMMAND)) + r"\." + ORG_ID_PATTERN


def rejections_topic_for(record_topic: str, stage: Stage) -> str:
    """Where a rejection of a record read from `record_topic` goes: the sending partner's own rejections topic, or the
    stage's shared one."""
    org = partner_of(record_topic)
    return topic(stage, Kind.REJECTION) if org is None else partner_topic(stage, Kind.REJECTION, org)
