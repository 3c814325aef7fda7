"""Kafka records as a partner sends them (docs/partners.md, "Sending a command"), for the door's unit tests."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from shared.contracts.catalogue import ALL_MESSAGES, commands_of
from shared.contracts.envelope import BaseMessage
from shared.contracts.examples import example_json
from shared.contracts.topics import Kind, Stage

COMMANDS: tuple[type[BaseMessage], ...] = tuple(m for m in ALL_MESSAGES if m.kind is Kind.COMMAND)
"""Every command type of the catalogue."""
ACCEPTS: dict[Stage, dict[str, type[BaseMessage]]] = {s: {m.ce_type(): m for m in commands_of(s)} for s in Stage}
"""What each stage's commands topic accepts, as the services route it (ce_type -> model)."""

Headers = list[tuple[str, bytes]]
NO_VALUE = cast(bytes, None)
"""A header without a value: aiokafka gives None (the door reads it as empty)."""

EXAMPLE_ID = "b7c1d2e3-f4a5-4b6c-8d7e-9f0a1b2c3d4e"
EXAMPLE_SOURCE = "/partners/counselling-example"
EXAMPLE_TIME = "2025-05-28T09:15:00Z"


@dataclass
class FakeRecord:
    """The parts of a Kafka record the door reads (`shared.decoding.Record`); a header value may be `NO_VALUE`."""

    topic: str
    key: bytes | None
    value: bytes | None
    headers: Sequence[tuple[str, bytes]]
    partition: int = 0
    offset: int = 0
    timestamp: int = 0


def accepts(model: type[BaseMessage]) -> Mapping[str, type[BaseMessage]]:
    """What the topic `model` travels on accepts."""
    return ACCEPTS[model.stage]


def ce_type_id(model: type[BaseMessage]) -> str:
    return model.ce_type()


def payload_for(model: type[BaseMessage], subject: str | None = None) -> dict[str, Any]:
    """The catalogue's example of `model` as JSON types, its key field (participant or recipient) set to `subject`."""
    payload = example_json(model)
    if subject is not None:
        payload[model.key_field] = subject
    return payload


def subject_of(model: type[BaseMessage], payload: Mapping[str, Any]) -> str:
    return str(payload[model.key_field])


def partner_headers(
    model: type[BaseMessage],
    subject: str,
    *,
    ce_id: str = EXAMPLE_ID,
    source: str = EXAMPLE_SOURCE,
    time: str = EXAMPLE_TIME,
    content_type: str = "application/json",
    causation_id: str | None = None,
) -> Headers:
    """The headers of docs/partners.md, "Headers: CloudEvents 1.0, binary mode", UTF-8 encoded."""
    values = {
        "ce_specversion": "1.0",
        "ce_id": ce_id,
        "ce_source": source,
        "ce_type": model.ce_type(),
        "ce_time": time,
        "ce_subject": subject,
        "content-type": content_type,
    }
    if causation_id is not None:
        values["ce_causationid"] = causation_id
    return [(name, value.encode()) for name, value in values.items()]


def partner_record(
    model: type[BaseMessage],
    payload: Mapping[str, Any] | None = None,
    headers: Sequence[tuple[str, bytes]] | None = None,
) -> FakeRecord:
    """A record as a partner sends it: keyed by the subject, the payload as JSON, the documented headers.

    A defect is made with `dataclasses.replace(record, key=None)` and the like.
    """
    payload = dict(payload) if payload is not None else payload_for(model)
    subject = subject_of(model, payload)
    return FakeRecord(
        topic=model.topic(),
        key=subject.encode(),
        value=json.dumps(payload).encode(),
        headers=list(headers) if headers is not None else partner_headers(model, subject),
    )


def replace_header(headers: Sequence[tuple[str, bytes]], name: str, value: bytes) -> Headers:
    """`headers` with every value of `name` replaced (or `name` appended when absent)."""
    if not any(n == name for n, _ in headers):
        return [*headers, (name, value)]
    return [(n, value if n == name else v) for n, v in headers]


def without_header(headers: Sequence[tuple[str, bytes]], name: str) -> Headers:
    return [(n, v) for n, v in headers if n != name]
