"""CloudEvents 1.0 in Kafka binary mode: the base message models and the `ce_*` headers around them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar, Self
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.enums import Milestone
from shared.contracts.topics import Kind, Stage, topic

SPECVERSION = "1.0"
CONTENT_TYPE = "application/json"
TRACEPARENT = "ce_traceparent"
"""CloudEvents distributed-tracing extension: the W3C `traceparent` of the span that sent the message (optional)."""
TRACESTATE = "ce_tracestate"
"""The W3C `tracestate` that goes with `ce_traceparent` (optional, vendors' own entries)."""
EXAMPLE_PARTICIPANT = "5b0f2a8e-3c4d-4e6f-9a1b-2c3d4e5f6a7b"


class BaseMessage(BaseModel):
    """Anything published on a journey topic: knows its stage, kind, version, CloudEvents type, topic and key.

    Subclasses set `stage`, `kind` and `key_field` (the field that is the Kafka key). An incompatible change
    is a new class served beside the old one, e.g. `class SubmitApplicationV2` with
    `message_name = "SubmitApplication"` and `version = 2`; the old one is marked `deprecated` until it is
    retired (docs/partners.md, "How versions evolve").
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    stage: ClassVar[Stage]
    kind: ClassVar[Kind]
    version: ClassVar[int] = 1
    message_name: ClassVar[str] = ""
    deprecated: ClassVar[bool] = False
    key_field: ClassVar[str]
    acting_org_field: ClassVar[str | None] = None
    """The field naming the organisation that sends the command (e.g. `partner_org` of `RegisterCandidate`): on a
    partner's commands topic it must be that partner (`forged_organisation` otherwise)."""
    partners_may_send: ClassVar[bool] = True
    """False for commands only the services and operators send (`not_permitted` from a partner's topic)."""
    introduces_participant: ClassVar[bool] = False
    """True for the command that brings a participant in: a partner needs no involvement with it yet."""

    @classmethod
    def ce_type(cls) -> str:
        """`journey.<stage>.<MessageName>.v<version>`; the name is the class name unless `message_name` says."""
        return f"journey.{cls.stage.value}.{cls.message_name or cls.__name__}.v{cls.version}"

    @classmethod
    def topic(cls) -> str:
        return topic(cls.stage, cls.kind)

    def kafka_key(self) -> str:
        """The Kafka key, also `ce_subject`: the value of `key_field`, whose messages keep their order."""
        return str(getattr(self, self.key_field))


class Message(BaseMessage):
    """A message about one participant: keyed by the pseudonymous `participant_id`."""

    key_field: ClassVar[str] = "participant_id"

    participant_id: UUID = Field(
        description="Pseudonymous participant id; also the Kafka key and `ce_subject`.",
        examples=[EXAMPLE_PARTICIPANT],
    )


class Command(Message):
    """What a partner system reports or asks for; unknown fields are refused so typos surface."""

    kind: ClassVar[Kind] = Kind.COMMAND


class Event(Message):
    """A stage's canonical fact. Readers ignore fields they do not know yet (tolerant reader).

    `marks_milestone` names the coordinators' milestone this event is, if it is one.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")
    kind: ClassVar[Kind] = Kind.EVENT
    marks_milestone: ClassVar[Milestone | None] = None


class EnvelopeError(ValueError):
    """The Kafka headers do not form a CloudEvents 1.0 binary-mode envelope."""


@dataclass(frozen=True, slots=True)
class Envelope:
    """The CloudEvents context attributes carried in Kafka headers; `traceparent` and `tracestate` are the
    distributed-tracing extension (W3C trace context), set by `shared.tracing`."""

    id: str
    source: str
    type: str
    subject: str
    time: datetime
    causation_id: str | None = None
    traceparent: str | None = None
    tracestate: str | None = None

    @classmethod
    def for_message(
        cls, message: BaseMessage, *, source: str, id: str | None = None, causation_id: str | None = None
    ) -> Self:
        """The envelope for `message` sent now by `source` (`/journey/<stage>` for a stage, a partner's own path)."""
        return cls(
            id=id or str(uuid4()),
            source=source,
            type=message.ce_type(),
            subject=message.kafka_key(),
            time=datetime.now(UTC),
            causation_id=causation_id,
        )

    @classmethod
    def for_stage(cls, stage: Stage, *, id: str, type: str, subject: str, causation_id: str | None = None) -> Self:
        """The envelope of something a stage service publishes now, e.g. a rejection."""
        return cls(
            id=id,
            source=f"/journey/{stage.value}",
            type=type,
            subject=subject,
            time=datetime.now(UTC),
            causation_id=causation_id,
        )

    def headers(self) -> list[tuple[str, bytes]]:
        pairs = [
            ("ce_specversion", SPECVERSION),
            ("ce_id", self.id),
            ("ce_source", self.source),
            ("ce_type", self.type),
            ("ce_subject", self.subject),
            ("ce_time", self.time.isoformat().replace("+00:00", "Z")),
            ("content-type", CONTENT_TYPE),
        ]
        if self.causation_id:
            pairs.append(("ce_causationid", self.causation_id))
        if self.traceparent:
            pairs.append((TRACEPARENT, self.traceparent))
            if self.tracestate:
                pairs.append((TRACESTATE, self.tracestate))
        return [(name, value.encode()) for name, value in pairs]

    @classmethod
    def from_headers(cls, headers: Sequence[tuple[str, bytes]]) -> Self:
        """Read the envelope; raise `EnvelopeError` naming what is missing or wrong."""
        values = decode_headers(headers)
        missing = [n for n in ("ce_specversion", "ce_id", "ce_source", "ce_type") if not values.get(n)]
        if missing:
            raise EnvelopeError(f"missing CloudEvents headers: {', '.join(missing)}")
        if values["ce_specversion"] != SPECVERSION:
            raise EnvelopeError(f"ce_specversion must be {SPECVERSION}, got {values['ce_specversion']!r}")
        content_type = values.get("content-type", CONTENT_TYPE).split(";")[0].strip()
        if content_type != CONTENT_TYPE:
            raise EnvelopeError(f"content-type must be {CONTENT_TYPE}, got {content_type!r}")
        try:
            time = datetime.fromisoformat(values["ce_time"]) if values.get("ce_time") else datetime.now(UTC)
        except ValueError:
            raise EnvelopeError(f"ce_time is not an RFC 3339 timestamp: {values['ce_time']!r}") from None
        return cls(
            id=values["ce_id"],
            source=values["ce_source"],
            type=values["ce_type"],
            subject=values.get("ce_subject", ""),
            time=time,
            causation_id=values.get("ce_causationid"),
            traceparent=values.get(TRACEPARENT),
            tracestate=values.get(TRACESTATE),
        )


def decode_headers(headers: Sequence[tuple[str, bytes]]) -> dict[str, str]:
    """Header values as text; undecodable bytes are replaced rather than lost."""
    return {name: (value or b"").decode("utf-8", "replace") for name, value in headers}


def encode(message: BaseMessage, envelope: Envelope) -> tuple[bytes, list[tuple[str, bytes]], bytes]:
    """(key, headers, value) for Kafka: keyed by `kafka_key()` (the participant id, mostly), JSON body."""
    return message.kafka_key().encode(), envelope.headers(), message.model_dump_json().encode()
