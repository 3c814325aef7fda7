"""The consume pipeline: decode, validate, apply in one transaction with the inbox, or reject; retry transients."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

import asyncpg
import structlog
from pydantic import ValidationError

from shared import inbox, outbox
from shared.contracts.envelope import BaseMessage, Envelope, EnvelopeError, decode_headers
from shared.contracts.rejections import FieldError, MessageRejected, OriginalMessage, RejectionReason
from shared.contracts.topics import Stage
from shared.errors import Rejected, is_transient
from shared.metrics import HANDLING_SECONDS, MESSAGES_HANDLED
from shared.postgres import transaction
from shared.retry import Backoff
from shared.unit_of_work import UnitOfWork, derived_id

log = structlog.get_logger()

Handler = Callable[[UnitOfWork, Any], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Route:
    """A message type a topic accepts and the use case that applies it."""

    model: type[BaseMessage]
    handler: Handler


class Record(Protocol):
    """The parts of a Kafka record the pipeline reads (aiokafka's `ConsumerRecord` fits)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Any
    timestamp: int


@dataclass(frozen=True, slots=True)
class Decoded:
    envelope: Envelope
    message: BaseMessage
    route: Route


class MessageProcessor:
    """Applies each record of one topic exactly once, or publishes why it could not."""

    def __init__(
        self,
        *,
        stage: Stage,
        topic: str,
        pool: asyncpg.Pool,
        routes: Mapping[str, Route],
        backoff: Backoff,
        after_commit: Callable[[], None] | None = None,
        unknown_participant_grace_s: float = 0.0,
    ) -> None:
        """`routes` maps ce_type to its route. On an events topic other stages' facts this service does not
        use are skipped; on a commands topic an unknown type is rejected."""
        self._stage = stage
        self._topic = topic
        self._consumer = f"{stage.value}:{topic}"
        self._pool = pool
        self._routes = dict(routes)
        self._backoff = backoff
        self._after_commit = after_commit
        self._grace_s = unknown_participant_grace_s
        self._skip_unrouted = topic.endswith(".events")

    async def process(self, record: Record) -> str:
        """Handle one record; returns the outcome: applied, duplicate or rejected:<reason>."""
        headers = decode_headers(record.headers or ())
        if self._skip_unrouted and headers.get("ce_type") not in self._routes:
            MESSAGES_HANDLED.labels(self._stage.value, record.topic, "skipped").inc()
            return "skipped"
        fields = message_log_fields(record, headers)
        message_id = fields["ce_id"]
        structlog.contextvars.bind_contextvars(**fields)
        started = time.perf_counter()
        try:
            try:
                decoded: Decoded | Rejected = self._decode(record)
            except Rejected as rejected:
                decoded = rejected
            while True:
                try:
                    outcome = await self._backoff.run(
                        lambda: self._apply(record, message_id, headers, decoded, self._within_grace(record)),
                        what="apply_message",
                    )
                    break
                except _NotKnownYet:
                    await asyncio.sleep(0.25)
            if self._after_commit is not None:
                self._after_commit()
        finally:
            structlog.contextvars.unbind_contextvars(*fields)
        MESSAGES_HANDLED.labels(self._stage.value, record.topic, outcome.split(":")[0]).inc()
        HANDLING_SECONDS.labels(self._stage.value, record.topic).observe(time.perf_counter() - started)
        return outcome

    def _within_grace(self, record: Record) -> bool:
        """Whether an unknown participant may still become known (the record is younger than the grace period)."""
        return time.time() - record.timestamp / 1000 < self._grace_s

    def _decode(self, record: Record) -> Decoded:
        try:
            envelope = Envelope.from_headers(record.headers or ())
        except EnvelopeError as error:
            raise Rejected(RejectionReason.MISSING_ENVELOPE, str(error)) from None
        route = self._routes.get(envelope.type)
        if route is None:
            accepted = ", ".join(sorted(self._routes))
            raise Rejected(
                RejectionReason.UNKNOWN_TYPE,
                f"{record.topic} does not accept {envelope.type!r}; it accepts: {accepted}",
            )
        try:
            body = json.loads(record.value or b"")
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise Rejected(RejectionReason.UNDECODABLE, f"the value is not UTF-8 JSON: {error}") from None
        try:
            message = route.model.model_validate(body)
        except ValidationError as error:
            problems = [(".".join(str(p) for p in e["loc"]) or "(root)", e["msg"]) for e in error.errors()]
            summary = "; ".join(f"{loc}: {msg}" for loc, msg in problems[:5])
            raise Rejected(RejectionReason.INVALID_PAYLOAD, f"invalid {envelope.type}: {summary}", problems) from None
        key = message.kafka_key()
        named = {"Kafka key": (record.key or b"").decode("utf-8", "replace"), "ce_subject": envelope.subject}
        wrong = [f"{what} {value!r}" for what, value in named.items() if value and value != key]
        if wrong:
            raise Rejected(RejectionReason.SUBJECT_MISMATCH, f"{' and '.join(wrong)} do not match {key!r}")
        return Decoded(envelope, message, route)

    async def _apply(
        self, record: Record, message_id: str, headers: dict[str, str], decoded: Decoded | Rejected, may_wait: bool
    ) -> str:
        async with transaction(self._pool) as conn:
            if not await inbox.claim(
                conn, consumer=self._consumer, message_id=message_id, topic=record.topic, ce_type=headers.get("ce_type")
            ):
                log.info("duplicate_skipped")
                return "duplicate"
            rejected = decoded if isinstance(decoded, Rejected) else await self._handle(conn, message_id, decoded)
            if rejected is None:
                log.info("message_applied")
                return "applied"
            if may_wait and rejected.reason is RejectionReason.UNKNOWN_PARTICIPANT:
                # Kafka orders no two topics: the fact introducing this participant may still be on its way
                # from another stage's events topic. Roll back (inbox claim too) and try again shortly.
                raise _NotKnownYet
            await inbox.mark_rejected(conn, consumer=self._consumer, message_id=message_id, reason=rejected.reason)
            await self._record_rejection(conn, record, message_id, headers, decoded, rejected)
            log.warning("message_rejected", reason=rejected.reason.value, detail=rejected.message)
            return f"rejected:{rejected.reason.value}"

    async def _handle(self, conn: asyncpg.Connection, message_id: str, decoded: Decoded) -> Rejected | None:
        try:
            async with conn.transaction():  # a savepoint: a refused command leaves no partial change
                uow = UnitOfWork(conn, self._stage, message_id)
                await decoded.route.handler(uow, decoded.message)
        except Rejected as rejected:
            return rejected
        except Exception as error:
            if is_transient(error):
                raise
            # A bug must not block the partition nor lose the message: it is kept on the rejections topic.
            log.exception("handler_failed")
            return Rejected(RejectionReason.PROCESSING_FAILED, f"{type(error).__name__}: {error}")
        return None

    async def _record_rejection(
        self,
        conn: asyncpg.Connection,
        record: Record,
        message_id: str,
        headers: dict[str, str],
        decoded: Decoded | Rejected,
        rejected: Rejected,
    ) -> None:
        participant = _as_uuid(
            decoded.message.kafka_key() if isinstance(decoded, Decoded) else _participant_hint(record, headers)
        )
        rejection = MessageRejected(
            participant_id=participant,
            reason=rejected.reason,
            message=rejected.message,
            errors=[FieldError(location=loc, problem=problem) for loc, problem in rejected.errors],
            rejected_id=headers.get("ce_id"),
            rejected_type=headers.get("ce_type"),
            original=OriginalMessage(
                topic=record.topic,
                partition=record.partition,
                offset=record.offset,
                key=None if record.key is None else record.key.decode("utf-8", "replace"),
                headers=headers,
                value_base64=base64.b64encode(record.value or b"").decode(),
            ),
        )
        ce_id = derived_id(self._stage.value, message_id, "rejection")
        subject = str(participant) if participant else (record.key or b"").decode("utf-8", "replace")
        envelope = Envelope.for_stage(
            self._stage,
            id=ce_id,
            type=MessageRejected.ce_type_for(self._stage),
            subject=subject,
            causation_id=message_id,
        )
        await outbox.record(
            conn,
            ce_id=ce_id,
            ce_type=envelope.type,
            topic=MessageRejected.topic_for(self._stage),
            key=(record.key or subject.encode()),
            headers=envelope.headers(),
            payload=rejection.model_dump_json().encode(),
        )


class _NotKnownYet(Exception):
    """The participant is unknown to this stage so far; the message is retried within its grace period."""


def message_log_fields(record: Record, headers: Mapping[str, str] | None = None) -> dict[str, Any]:
    """What every log line about this record carries: its id (`ce_id`, or its Kafka position when it has none),
    type, participant (`ce_subject`, else the key) and where it sits on Kafka."""
    headers = decode_headers(record.headers or ()) if headers is None else headers
    return {
        "ce_id": headers.get("ce_id") or f"kafka:{record.topic}:{record.partition}:{record.offset}",
        "ce_type": headers.get("ce_type"),
        "participant_id": _participant_hint(record, headers),
        "topic": record.topic,
        "partition": record.partition,
        "offset": record.offset,
    }


def _participant_hint(record: Record, headers: Mapping[str, str]) -> str | None:
    return headers.get("ce_subject") or (record.key.decode("utf-8", "replace") if record.key else None)


def _as_uuid(value: str | None) -> UUID | None:
    try:
        return UUID(value) if value else None
    except ValueError:
        return None
