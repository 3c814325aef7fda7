"""The consume pipeline: decode at the door, apply in one transaction with the inbox, or reject; retry transients.

No record can stop a partition: the door turns every defect into a rejection; a failure while applying is told
apart by its kind (`shared.errors.classify`): an outage is retried for as long as it lasts, a value PostgreSQL
refuses is rejected at once, and anything nobody classified is retried `max_attempts` times, then rejected as
`processing_failed`. Recording a rejection cannot fail on the record's content: it is bounded and escaped, and
a last, minimal rejection (position and digest only) stands behind it.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg
import structlog

from shared import inbox, outbox, tracing
from shared.contracts.envelope import BaseMessage, Envelope
from shared.contracts.rejections import FieldError, MessageRejected, OriginalMessage, RejectionReason
from shared.contracts.topics import Stage, partner_of, rejections_topic_for
from shared.decoding import Decoded, Record, decode, header_hint, original_of, position_id, printable, valid_id
from shared.errors import Rejected, classify, message_reason
from shared.metrics import HANDLING_SECONDS, MESSAGES_HANDLED, REJECTIONS
from shared.partners import authorise
from shared.postgres import transaction
from shared.progress import ConsumerProgress
from shared.refusals import Refused
from shared.retry import Backoff
from shared.unit_of_work import UnitOfWork, derived_id

log = structlog.get_logger()

Handler = Callable[[UnitOfWork, Any], Awaitable[None]]
MAX_MESSAGE_CHARS = 2000
MAX_FIELD_CHARS = 500


@dataclass(frozen=True, slots=True)
class Route:
    """A message type a topic accepts and the use case that applies it."""

    model: type[BaseMessage]
    handler: Handler


OUTCOMES = ("applied", "duplicate", "skipped", "rejected")
"""What becomes of a record (a rejection's reason follows after a colon); each counter exists from the start at 0:
Prometheus' `increase()` sees no increase in a series whose first sample already holds the burst."""


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
        max_attempts: int = 3,
        involvements: str = "partner_involvements",
    ) -> None:
        """`routes` maps ce_type to its route. On an events topic other stages' facts this service does not
        use are skipped; on a commands topic an unknown type is rejected. `topic` names the topic, or the partners'
        commands topics a pattern consumer reads (a record's own topic says which partner sent it; `involvements`
        is the stage's table of who is involved with whom, `shared.partners`)."""
        self._stage = stage
        self._topic = topic
        self._consumer = f"{stage.value}:{topic}"
        self._pool = pool
        self._routes = dict(routes)
        self._accepts = {ce_type: route.model for ce_type, route in routes.items()}
        self._backoff = backoff
        self._after_commit = after_commit
        self._grace_s = unknown_participant_grace_s
        self._max_attempts = max_attempts
        self._involvements = involvements
        self._skip_unrouted = topic.endswith(".events")
        self.progress = ConsumerProgress(topic)
        self._counters: dict[str, Any] = {
            outcome: MESSAGES_HANDLED.labels(stage.value, topic, outcome) for outcome in OUTCOMES
        }
        for reason in RejectionReason:  # at 0 from the start, so that a first burst of a reason counts as increase
            REJECTIONS.labels(stage.value, topic, reason.value)
        self._handling = HANDLING_SECONDS.labels(stage.value, topic)

    def skips(self, record: Record) -> bool:
        """Whether the record is another stage's fact this service does not use (no transaction needed)."""
        if self._skip_unrouted and header_hint(record, "ce_type") not in self._routes:
            self._count("skipped")
            return True
        return False

    async def process(self, record: Record) -> str:
        """Handle one record in a transaction of its own; returns the outcome: applied, duplicate, skipped or
        rejected:<reason>."""
        if self.skips(record):
            return "skipped"
        return await self.settle(self.admit(record), time.perf_counter())

    def admit(self, record: Record) -> Admitted:
        """The record decoded at the door (or its rejection), with the id its inbox row is kept under."""
        decoded = self._decode(record)
        message_id = decoded.envelope.id if isinstance(decoded, Decoded) else valid_id(record) or position_id(record)
        if (org := partner_of(record.topic)) is not None:
            message_id = f"{org}/{message_id}"  # a partner cannot pre-empt another's ce_id (events show them)
        return Admitted(self, record, decoded, message_id)

    async def settle(self, item: Admitted, started: float) -> str:
        """Apply or reject one admitted record on its own, with every retry `_settle` knows."""
        record = item.record
        fields = message_log_fields(record)
        structlog.contextvars.bind_contextvars(**fields)
        self.progress.begin(record)
        try:
            with tracing.handling(record) as span:
                outcome = await self._settle(record, item.message_id, item.decoded)
                span.set_attribute(tracing.OUTCOME, outcome)
            if self._after_commit is not None:
                self._after_commit()
        finally:
            structlog.contextvars.unbind_contextvars(*fields)
        self.finish(item, outcome, started)
        return outcome

    async def apply_claimed(self, conn: asyncpg.Connection, item: Admitted) -> str:
        """Apply (or reject) a record whose inbox row the caller claimed, in the caller's transaction. What fails
        here propagates and leaves nothing of this record behind once the caller released its claim: the use case
        runs in its own savepoint, and a rejection writes only the claimed inbox row and then, last, its outbox
        row. (So no savepoint around the whole is needed: two statements less per record.)"""
        fields = message_log_fields(item.record)
        structlog.contextvars.bind_contextvars(**fields)
        self.progress.begin(item.record)
        try:
            with tracing.handling(item.record) as span:
                outcome = await self._effect(conn, item.record, item.message_id, item.decoded, minimal=False)
                span.set_attribute(tracing.OUTCOME, outcome)
                return outcome
        finally:
            structlog.contextvars.unbind_contextvars(*fields)

    def finish(self, item: Admitted, outcome: str, started: float) -> None:
        """Count a record whose outcome committed (`started`: when its handling began, `time.perf_counter()`)."""
        self.progress.done(item.record)
        kind, _, reason = outcome.partition(":")
        self._count(kind)
        if reason:
            REJECTIONS.labels(self._stage.value, self._topic, reason).inc()
        self._handling.observe(time.perf_counter() - started)

    @property
    def consumer(self) -> str:
        """The inbox's name for this consumer (`stage:topic`)."""
        return self._consumer

    def _count(self, outcome: str) -> None:
        counter = self._counters.get(outcome)
        if counter is None:
            counter = self._counters[outcome] = MESSAGES_HANDLED.labels(self._stage.value, self._topic, outcome)
        counter.inc()

    def _decode(self, record: Record) -> Decoded | Rejected:
        try:
            return decode(record, self._accepts)
        except Rejected as rejected:
            return rejected
        except Exception as error:  # a bug at the door must not block the partition either
            log.exception("decode_failed")
            return Rejected(RejectionReason.PROCESSING_FAILED, _describe(error))

    async def _settle(self, record: Record, message_id: str, decoded: Decoded | Rejected) -> str:
        """Apply or reject until one of them commits; only outages are retried without bound."""
        failures = 0
        minimal = False
        while True:
            try:
                return await self._backoff.run(
                    functools.partial(self._apply, record, message_id, decoded, minimal),
                    what="apply_message",
                    on_retry=self.progress.failed,
                )
            except _NotKnownYet:
                await asyncio.sleep(0.25)
                continue
            except Exception as error:  # not transient: Backoff.run retries those itself
                self.progress.failed(error)
                if isinstance(decoded, Rejected):
                    # Recording the rejection failed: fall back to one that carries nothing of the record.
                    log.exception("rejection_not_recorded", minimal=minimal)
                    if minimal:
                        await asyncio.sleep(self._backoff.max_s)
                    minimal = True
                    continue
                failures += 1
                kind = classify(error)
                reason = message_reason(error)
                if reason is not None:
                    log.warning("message_refused_by_store", error=_describe(error))
                    decoded = Rejected(reason, f"the message could not be stored: {_describe(error)}")
                elif failures >= self._max_attempts:
                    log.exception("message_failed", attempts=failures, failure=kind.value)
                    decoded = Rejected(
                        RejectionReason.PROCESSING_FAILED, f"failed {failures} times: {_describe(error)}"
                    )
                else:
                    log.warning("message_failed_retrying", attempt=failures, error=_describe(error))
                    await asyncio.sleep(self._backoff.initial_s * 2**failures)

    def _within_grace(self, record: Record) -> bool:
        """Whether an unknown participant may still become known (the record is younger than the grace period)."""
        return time.time() - record.timestamp / 1000 < self._grace_s

    async def _apply(self, record: Record, message_id: str, decoded: Decoded | Rejected, minimal: bool) -> str:
        async with transaction(self._pool) as conn:
            ce_type = header_hint(record, "ce_type")
            if not await inbox.claim(
                conn, consumer=self._consumer, message_id=message_id, topic=record.topic, ce_type=ce_type
            ):
                log.info("duplicate_skipped")
                return "duplicate"
            return await self._effect(conn, record, message_id, decoded, minimal)

    async def _effect(
        self, conn: asyncpg.Connection, record: Record, message_id: str, decoded: Decoded | Rejected, minimal: bool
    ) -> str:
        """Apply the claimed message, or record why not, in the caller's transaction."""
        rejected = decoded if isinstance(decoded, Rejected) else await self._handle(conn, record, message_id, decoded)
        if rejected is None:
            log.info("message_applied")
            return "applied"
        if rejected.reason in _MAY_BE_ON_ITS_WAY and self._within_grace(record):
            # Kafka orders no two topics: the fact introducing this participant (or the partner's involvement)
            # may still be on its way from another stage's events topic. Roll back (inbox claim too) and try again.
            raise _NotKnownYet
        participant = _participant(record, decoded)
        rejection = _rejection(record, decoded, rejected, participant, minimal)
        await inbox.mark_rejected(conn, consumer=self._consumer, message_id=message_id, reason=rejected.reason)
        await self._record_rejection(conn, record, message_id, rejection, participant, decoded)
        log.warning("message_rejected", reason=rejected.reason.value, detail=rejection.message)
        return f"rejected:{rejected.reason.value}"

    async def _handle(
        self, conn: asyncpg.Connection, record: Record, message_id: str, decoded: Decoded
    ) -> Rejected | None:
        """Run the use case in a savepoint: a refused command leaves no partial change. Any other error
        propagates (the whole transaction rolls back) and is classified by `_settle`. A partner's command is
        checked first (`shared.partners`)."""
        partner = partner_of(record.topic)
        if partner is not None:
            refused = await authorise(conn, partner, decoded.envelope, decoded.message, self._involvements)
            if refused is not None:
                return refused
        try:
            async with conn.transaction():
                uow = UnitOfWork(
                    conn,
                    self._stage,
                    message_id,
                    occurred_at=decoded.envelope.time,
                    partner=partner,
                    causation_id=decoded.envelope.id,
                )
                await self._routes[decoded.envelope.type].handler(uow, decoded.message)
        except Refused as refused:  # the one mapping from domain errors to reason codes
            if refused.field is None:
                return Rejected(refused.reason, refused.message)
            return Rejected(refused.reason, f"{refused.field}: {refused.message}", [(refused.field, refused.message)])
        except Rejected as rejected:
            return rejected
        return None

    async def _record_rejection(
        self,
        conn: asyncpg.Connection,
        record: Record,
        message_id: str,
        rejection: MessageRejected,
        participant: UUID | None,
        decoded: Decoded | Rejected,
    ) -> None:
        ce_id = derived_id(self._stage.value, message_id, "rejection")
        subject = _subject(record, decoded, participant)
        envelope = tracing.stamped(  # the sender can follow its command's trace to the rejection
            Envelope.for_stage(
                self._stage,
                id=ce_id,
                type=MessageRejected.ce_type_for(self._stage),
                subject=subject,
                causation_id=valid_id(record),
            )
        )
        await outbox.record(
            conn,
            ce_id=ce_id,
            ce_type=envelope.type,
            topic=rejections_topic_for(record.topic, self._stage),
            key=subject.encode(),
            headers=envelope.headers(),
            payload=rejection.model_dump_json().encode(),
        )


@dataclass(slots=True)
class Admitted:
    """A record past the door: decoded (or refused there), and the id the inbox knows it by."""

    processor: MessageProcessor
    record: Record
    decoded: Decoded | Rejected
    message_id: str

    def claim(self) -> inbox.Claim:
        return inbox.Claim(
            self.processor.consumer, self.message_id, self.record.topic, header_hint(self.record, "ce_type")
        )


_MAY_BE_ON_ITS_WAY = frozenset({RejectionReason.UNKNOWN_PARTICIPANT, RejectionReason.NOT_INVOLVED})


class _NotKnownYet(Exception):
    """The participant is unknown to this stage so far; the message is retried within its grace period."""


def _rejection(
    record: Record, decoded: Decoded | Rejected, rejected: Rejected, participant: UUID | None, minimal: bool
) -> MessageRejected:
    """The rejection as published: bounded in size whatever the record held; `minimal` keeps only where it was."""
    if minimal:
        value = record.value or b""
        original = OriginalMessage(
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            key=None,
            headers={},
            value_base64="",
            value_size=len(value),
            value_sha256=hashlib.sha256(value).hexdigest(),
            value_truncated=bool(value),
            headers_truncated=bool(record.headers),
        )
    else:
        original = original_of(record)
    return MessageRejected(
        participant_id=participant,
        reason=rejected.reason,
        message=printable(rejected.message, MAX_MESSAGE_CHARS),
        errors=[
            FieldError(location=printable(loc, MAX_FIELD_CHARS), problem=printable(problem, MAX_FIELD_CHARS))
            for loc, problem in rejected.errors[:20]
        ],
        rejected_id=valid_id(record),
        rejected_type=None if minimal else header_hint(record, "ce_type"),
        original=original,
    )


def _participant(record: Record, decoded: Decoded | Rejected) -> UUID | None:
    if isinstance(decoded, Decoded):
        return _as_uuid(decoded.message.kafka_key())
    return _as_uuid(header_hint(record, "ce_subject")) or _as_uuid(
        None if record.key is None else record.key.decode("utf-8", "replace")
    )


def _subject(record: Record, decoded: Decoded | Rejected, participant: UUID | None) -> str:
    """The rejection's key and `ce_subject`: the participant (the recipient in the directory), else the refused
    record's key as safe text, else `unknown`."""
    if participant is not None:
        return str(participant)
    if isinstance(decoded, Decoded):
        return decoded.message.kafka_key()
    hint = header_hint(record, "ce_subject") or (
        None if not record.key else printable(record.key.decode("utf-8", "backslashreplace"), 200)
    )
    return hint or "unknown"


def _describe(error: BaseException) -> str:
    return printable(f"{type(error).__name__}: {error}", MAX_MESSAGE_CHARS)


def message_log_fields(record: Record) -> dict[str, Any]:
    """What every log line about this record carries: its id (`ce_id`, or its Kafka position when it has none),
    type, participant (`ce_subject`, else the key) and where it sits on Kafka; escaped, whatever the record held."""
    key = None if record.key is None else printable(record.key.decode("utf-8", "backslashreplace"), 200)
    return {
        "ce_id": header_hint(record, "ce_id") or position_id(record),
        "ce_type": header_hint(record, "ce_type"),
        "participant_id": header_hint(record, "ce_subject") or key,
        "topic": record.topic,
        "partition": record.partition,
        "offset": record.offset,
    }


def _as_uuid(value: str | None) -> UUID | None:
    try:
        return UUID(value) if value else None
    except ValueError:
        return None
