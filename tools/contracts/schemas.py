"""What travels on the wire, read off the catalogue: one entry and one JSON Schema per `ce_type`."""

from __future__ import annotations

import json
from dataclasses import dataclass

from pydantic import BaseModel

from shared.contracts.catalogue import ALL_MESSAGES, messages_of
from shared.contracts.envelope import CONTENT_TYPE, SPECVERSION, TRACEPARENT, TRACESTATE, BaseMessage, Event
from shared.contracts.examples import example_json
from shared.contracts.rejections import MessageRejected
from shared.contracts.topics import Kind, Stage, topic

DRAFT = "https://json-schema.org/draft/2020-12/schema"
Schema = dict[str, object]


@dataclass(frozen=True)
class Entry:
    """One message type on one topic."""

    ce_type: str
    model: type[BaseModel]
    stage: Stage
    kind: Kind
    key_field: str
    milestone: str | None = None
    deprecated: bool = False

    @property
    def topic(self) -> str:
        return topic(self.stage, self.kind)

    @property
    def name(self) -> str:
        return self.model.__name__

    @property
    def summary(self) -> str:
        return (self.model.__doc__ or self.name).strip().splitlines()[0]

    @property
    def source(self) -> str:
        """`ce_source` of this type: the stage's service for events and rejections, the partner for commands."""
        return "/partners/<your-org>" if self.kind is Kind.COMMAND else f"/journey/{self.stage.value}"


def _entry(model: type[BaseMessage]) -> Entry:
    milestone = model.marks_milestone if issubclass(model, Event) else None
    return Entry(
        model.ce_type(),
        model,
        model.stage,
        model.kind,
        model.key_field,
        milestone.value if milestone else None,
        model.deprecated,
    )


def entries() -> list[Entry]:
    """Every message type, stage by stage: commands, events, then the stage's rejection."""
    found: list[Entry] = []
    for stage in Stage:
        for kind in (Kind.COMMAND, Kind.EVENT):
            found += [_entry(m) for m in messages_of(stage, kind)]
        rejected = MessageRejected.ce_type_for(stage)
        found.append(Entry(rejected, MessageRejected, stage, Kind.REJECTION, "participant_id"))
    assert len(found) == len(ALL_MESSAGES) + len(Stage), "a message in ALL_MESSAGES is on no stage's topic"
    return found


def message_schema(entry: Entry) -> Schema:
    """A self-contained JSON Schema of the payload, with where it travels and one example."""
    schema: Schema = {"$schema": DRAFT, **entry.model.model_json_schema(mode="validation")}
    schema["examples"] = [example_json(entry.model)]
    schema["x-ce-type"] = entry.ce_type
    schema["x-topic"] = entry.topic
    schema["x-kafka-key"] = entry.key_field
    if entry.milestone:
        schema["x-milestone"] = entry.milestone
    if entry.deprecated:
        schema["deprecated"] = True
    return schema


def headers_schema() -> Schema:
    """The CloudEvents 1.0 binary-mode headers every record carries (values are UTF-8 text)."""
    text = {"type": "string", "minLength": 1}
    return {
        "$schema": DRAFT,
        "title": "CloudEventsHeaders",
        "description": "Kafka headers of every journey record: CloudEvents 1.0, binary content mode.",
        "type": "object",
        "required": ["ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "ce_subject", "content-type"],
        "properties": {
            "ce_specversion": {"const": SPECVERSION, "description": "CloudEvents version."},
            "ce_id": {**text, "description": "Unique per message; a resend keeps it, so duplicates are skipped."},
            "ce_source": {
                **text,
                "description": "Who sent it: `/journey/<stage>` for the services, `/partners/<org>` for partners.",
                "examples": ["/journey/recognition", "/partners/counselling-example"],
            },
            "ce_type": {**text, "description": "Message type, `journey.<stage>.<Name>.v<version>`."},
            "ce_time": {"type": "string", "format": "date-time", "description": "When it happened (RFC 3339)."},
            "ce_subject": {**text, "description": "The Kafka key: the participant id (recipient id in the directory)."},
            "content-type": {"const": CONTENT_TYPE, "description": "The value is UTF-8 JSON."},
            "ce_causationid": {**text, "description": "Optional: `ce_id` of the message that caused this one."},
            TRACEPARENT: {
                **text,
                "description": "Optional (CloudEvents distributed-tracing extension): the W3C `traceparent` of the"
                " span that sent the message. The services continue its trace; one that is not a valid traceparent is"
                " ignored (a new trace starts), never a reason to reject.",
                "examples": ["00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"],
            },
            TRACESTATE: {
                **text,
                "description": "Optional (CloudEvents distributed-tracing extension): the W3C `tracestate` that goes"
                " with `ce_traceparent`.",
                "examples": ["partner=00f067aa0ba902b7"],
            },
        },
    }


def render_json(document: object) -> str:
    """Stable text: sorted keys, two-space indent, trailing newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
