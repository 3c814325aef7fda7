"""Everything the bus holds about one pseudonymous participant, across every journey topic (events, commands and
rejections of every stage, the partners' topics too), in the order it happened.

A record belongs to the participant when its key or `ce_subject` is the participant's id, or its body names it as
`participant_id` (a rejection of a record whose key was wrong, a directory entry keyed otherwise). Bodies are parsed
only when their bytes hold the id at all, so a long scan stays cheap."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from shared.decoding import Record
from shared.operators.bus import JOURNEY_TOPICS, Bus, header, moment, read_to_end
from shared.operators.output import Progressed

SUMMARY_CHARS = 100
LEFT_OUT = frozenset({"participant_id", "personal", "original"})
"""Not in a summary: the id the timeline is about, personal data, and a rejection's copy of the original bytes."""


@dataclass(frozen=True, slots=True)
class Entry:
    at: datetime
    topic: str
    partition: int
    offset: int
    ce_type: str | None
    source: str | None
    ce_id: str | None
    summary: str

    def row(self) -> dict[str, Any]:
        return {
            "when": self.at,
            "topic": self.topic,
            "type": self.ce_type,
            "source": self.source,
            "summary": self.summary,
            "ce_id": self.ce_id,
        }


async def timeline(bus: Bus, participant: UUID, progress: Progressed | None = None) -> list[Entry]:
    topics = await bus.topics(JOURNEY_TOPICS)
    found = [
        _entry(record, body)
        async for record in read_to_end(bus, topics, progress=progress)
        if (body := about(record, participant)) is not None
    ]
    return sorted(found, key=lambda e: (e.at, e.topic, e.partition, e.offset))


def about(record: Record, participant: UUID) -> dict[str, Any] | None:
    """The record's body (an empty one when it is not a JSON object) when it is about the participant, else None."""
    wanted = str(participant)
    if wanted.encode() not in (record.value or b"") and record.key != wanted.encode():
        return None
    body = _body(record.value)
    keyed = record.key == wanted.encode() or header(record, "ce_subject") == wanted
    return body if keyed or str(body.get("participant_id")) == wanted else None


def _body(value: bytes | None) -> dict[str, Any]:
    try:
        body = json.loads(value or b"")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _entry(record: Record, body: dict[str, Any]) -> Entry:
    return Entry(
        at=moment(record),
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        ce_type=header(record, "ce_type"),
        source=header(record, "ce_source"),
        ce_id=header(record, "ce_id"),
        summary=summary(body),
    )


def summary(body: dict[str, Any]) -> str:
    """The body's plain fields (`reason: message` for a rejection), short: enough to tell the entries apart."""
    if "reason" in body and "original" in body:
        text = f"{body['reason']}: {body.get('message', '')}"
    else:
        text = ", ".join(
            f"{name}={value}" for name, value in body.items() if name not in LEFT_OUT and not isinstance(value, dict)
        )
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1] + "…"
