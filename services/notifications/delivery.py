"""The delivery worker: sends due mails, retries with backoff, records sent or failed via the outbox.

At-least-once, with the window made as small as plain SMTP allows. A loop leases the row (its due time pushed past
the lease), starts the SMTP transaction (on a connection kept open from an earlier mail, or a new one; the mailer
tries a gone one's mail again on a new one only before anything was written or sent), and once the server took
sender and recipient writes "sent" and its NotificationSent in a transaction that locks the row; the message goes
out, and that transaction commits the moment the server accepts. A database outage at that commit only delays
the record (retried until the database answers; the mail is not sent again). Only a crash of this process between
the server's acceptance and the commit (one reply and one round trip long) leaves the row leased but unrecorded;
when the lease runs out the mail goes out again with the same Message-ID (derived from the delivery id), which lets
receiving systems and people recognise the duplicate. Nothing is ever lost.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from uuid import UUID

import asyncpg
import structlog
from asyncpg.transaction import Transaction
from opentelemetry.trace import Span

from services.notifications import delivery_store, digest_store
from services.notifications.domain import (
    Addressee,
    Attempt,
    DueDigest,
    DueMail,
    NextStep,
    RetryPolicy,
    Verdict,
    attempted,
)
from services.notifications.doorbell import Doorbell
from services.notifications.mailer import Mailer, Prepare, compose, compose_digest
from services.notifications.templates import MailContext, render
from shared.contracts.topics import Stage
from shared.errors import is_transient
from shared.metrics import DELIVERY_OLDEST_PENDING_SECONDS, DELIVERY_PENDING, MAILS
from shared.postgres import connection, transaction
from shared.retry import Backoff
from shared.tracing import mailing, note_outcome
from shared.unit_of_work import UnitOfWork

log = structlog.get_logger()

# Of a lease, the time left after the SMTP session at the latest, for recording its outcome.
RECORD_MARGIN_S = 30.0


class DeliveryWorker:
    """Several instances may run at once: each mail row is leased while it is sent, and skipped by the others."""

    def __init__(
        self,
        mailer: Mailer,
        policy: RetryPolicy,
        *,
        sender: str,
        poll_interval_s: float = 1.0,
        backoff: Backoff | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        lease_s: float = 120.0,
    ) -> None:
        if lease_s <= RECORD_MARGIN_S:
            raise ValueError(f"lease_s must exceed {RECORD_MARGIN_S} s")
        self._mailer = mailer
        self._policy = policy
        self._sender = sender
        self._poll_interval_s = poll_interval_s
        self._backoff = backoff or Backoff()
        self._clock = clock
        self._lease_s = lease_s
        # Rows this process has sent and is still recording (the database may be away): its other loops leave
        # them alone even when the lease ran out meanwhile.
        self._in_hand: set[UUID] = set()

    async def run(self, pool: asyncpg.Pool, lane: int = 0, doorbell: Doorbell | None = None) -> None:
        """Deliver until cancelled; several `run`s may share one worker (`lane` tells their log lines apart). With a
        doorbell a loop that found nothing waits for a ring, the poll interval at most, and a loop that leased a
        mail rings on (there may be more: the next loop looks while this one sends)."""
        structlog.contextvars.bind_contextvars(delivery_lane=lane)
        log.info("delivery_worker_started")
        on_leased = doorbell.ring if doorbell is not None else None
        while True:
            if await self._backoff.run(lambda: self.deliver_next(pool, on_leased), what="deliver_mail"):
                continue
            if doorbell is None:
                await asyncio.sleep(self._poll_interval_s)
            else:
                await doorbell.wait(self._poll_interval_s)

    async def deliver_next(self, pool: asyncpg.Pool, on_leased: Callable[[], None] | None = None) -> bool:
        """Make one attempt at the next mail due; False when none is due. `on_leased` is called once a mail is
        leased, before it is sent.

        The row is leased in a short transaction, the mail is sent outside any transaction, and the outcome is
        recorded in a second one that is retried until the database answers: a database outage after the mail
        server accepted the mail delays the record, it does not send the mail again.
        """
        mail = await self._lease_next(pool)
        if mail is None:
            return False
        if on_leased is not None:
            on_leased()
        if mail.to is None:
            return True
        to = mail.to
        message = self._message(mail, to)
        self._in_hand.add(mail.delivery_id)
        try:
            with _mail_span(mail):
                await self._send_and_record(pool, mail, to, message)
        finally:
            self._in_hand.discard(mail.delivery_id)
        return True

    def _message(self, mail: DueMail | DueDigest, to: Addressee) -> EmailMessage:
        """The mail as it goes out: a milestone's rendered now (with what the copy says at this moment), a digest's
        as it was composed."""
        if isinstance(mail, DueDigest):
            return compose_digest(
                sender=self._sender,
                to=to.email,
                subject=mail.subject,
                text=mail.text,
                html=mail.html,
                delivery_id=mail.delivery_id,
                language=to.language,
                sent_at=self._clock(),
                period=mail.period.value,
                period_start=mail.period_start.isoformat(),
            )
        context = MailContext(
            profession=mail.profession,
            region=mail.region,
            org_names=mail.org_names,
            case_reference=mail.case_reference,
        )
        return compose(
            sender=self._sender,
            to=to.email,
            text=render(mail.milestone, mail.participant_id, mail.facts, to.language, context),
            delivery_id=mail.delivery_id,
            language=to.language,
            sent_at=self._clock(),
            participant_id=mail.participant_id,
            milestone=mail.milestone.value,
            caused_by_id=mail.caused_by_id,
        )

    async def send_within_lease(self, message: EmailMessage, prepare: Prepare | None = None) -> Attempt:
        """The whole SMTP attempt (a second try on a new connection included), bounded so that it ends while the row
        is still leased to this loop."""
        try:
            async with asyncio.timeout(self._lease_s - RECORD_MARGIN_S):
                return await self._mailer.send(message, prepare)
        except TimeoutError:
            return Attempt(accepted=False, error="timeout")

    async def _send_and_record(
        self, pool: asyncpg.Pool, mail: DueMail | DueDigest, to: Addressee, message: EmailMessage
    ) -> None:
        """Send the mail with the record of its success already written, and commit that record the moment the
        server accepts: only a crash in between (one reply and one commit long) can send it twice.

        The record is written after the server took sender and recipient, in a transaction that keeps the row
        locked: a suppression or cancellation waits for it, and one that came first calls the mail off before
        anything was sent. Any other outcome, and a commit lost with the database, is recorded afterwards in a
        transaction retried until the database answers; the mail is never sent again for it."""
        async with connection(pool) as conn:
            tx = conn.transaction()
            started = False
            sent: NextStep | None = None

            async def prepare() -> None:
                nonlocal started, sent
                await tx.start()
                started = True
                sent = await self._write(conn, mail, to, Attempt(accepted=True))
                if sent is None:
                    raise _CalledOff

            try:
                attempt = await self.send_within_lease(message, prepare)
            except _CalledOff:
                await tx.rollback()
                self._log(mail, None, None)
                return
            except BaseException:
                if started:
                    await _abandon(conn, tx)
                raise
            if attempt.accepted:
                try:
                    await tx.commit()
                except Exception as error:  # the mail is out; its record is retried below
                    if not is_transient(error):
                        raise
                    log.warning("mail_record_lost", delivery_id=str(mail.delivery_id), error=repr(error))
                else:
                    self._log(mail, attempt, sent)
                    return
            elif started:
                await _abandon(conn, tx)
        await self._backoff.run(lambda: self._record(pool, mail, to, attempt), what="record_mail_attempt")

    async def _lease_next(self, pool: asyncpg.Pool) -> DueMail | DueDigest | None:
        """Claim the next mail due and push its due time past the lease, so other instances leave it alone."""
        async with transaction(pool) as conn:
            now = self._clock()
            mail = await delivery_store.claim_due(conn, now, skip=self._in_hand)
            if mail is None:
                return None
            if mail.to is None:
                await delivery_store.cancel(conn, mail.delivery_id, now)
            else:
                await delivery_store.lease(conn, mail.delivery_id, now + timedelta(seconds=self._lease_s))
            return mail

    async def _record(self, pool: asyncpg.Pool, mail: DueMail | DueDigest, to: Addressee, attempt: Attempt) -> None:
        async with transaction(pool) as conn:
            step = await self._write(conn, mail, to, attempt)
        self._log(mail, attempt, step)

    async def _write(
        self, conn: asyncpg.Connection, mail: DueMail | DueDigest, to: Addressee, attempt: Attempt
    ) -> NextStep | None:
        """The attempt's outcome and its audit event, in the caller's transaction; None when the row has moved on
        (suppressed, cancelled, or recorded already)."""
        now = self._clock()
        decision = attempted(mail, self._policy, attempt, now)
        recorded = await delivery_store.finish_attempt(
            conn,
            mail.delivery_id,
            decision.state,
            leased_with=mail.attempts,
            email=to.email,
            error=attempt.error,
            now=now,
        )
        if not recorded:
            return None
        if isinstance(mail, DueDigest) and decision.state.verdict is Verdict.SENT:
            await digest_store.sent(conn, mail.delivery_id)
        uow = UnitOfWork(conn, Stage.NOTIFICATIONS, cause_id=f"delivery:{mail.delivery_id}", now=now)
        await uow.carry_out(decision)
        return decision.state

    @staticmethod
    def _log(mail: DueMail | DueDigest, attempt: Attempt | None, step: NextStep | None) -> None:
        """Log and count an attempt once its outcome committed (a mail called off was counted where it was
        suppressed or cancelled)."""
        ids = {
            "delivery_id": str(mail.delivery_id),
            "recipient_id": mail.recipient_id,
            "milestone": mail.milestone.value if isinstance(mail, DueMail) else f"digest:{mail.period.value}",
        }
        if attempt is None:
            log.info("mail_called_off", **ids)  # suppressed or cancelled before it was sent
        elif step is None:
            log.warning("mail_outcome_superseded", **ids, accepted=attempt.accepted, error=attempt.error)
        else:
            log.info("mail_attempted", **ids, outcome=step.verdict.value, attempts=step.attempts, error=attempt.error)
            note_outcome(step.verdict.value)
            MAILS.labels(Stage.NOTIFICATIONS.value, step.verdict.value).inc()


def _mail_span(mail: DueMail | DueDigest) -> AbstractContextManager[Span]:
    """The span of an attempt at `mail`, its audit event emitted within it: a milestone's mail continues the trace
    of the handling that queued it; a digest, fed by many, starts its own. Ids only, never the address."""
    if isinstance(mail, DueDigest):
        return mailing(None, None, {"journey.delivery_id": str(mail.delivery_id), "journey.digest": mail.period.value})
    return mailing(
        mail.traceparent,
        mail.tracestate,
        {
            "journey.delivery_id": str(mail.delivery_id),
            "journey.milestone": mail.milestone.value,
            "journey.participant_id": str(mail.participant_id),
            "journey.attempt": mail.attempts + 1,
        },
    )


async def watch_queue(pool: asyncpg.Pool, interval_s: float) -> None:
    """Publish the delivery queue's depth and the age of its oldest mail every `interval_s` until cancelled: a queue
    that only grows, or a mail that waits for hours, is what an operator must see before recipients miss it. A
    measurement the database does not answer is logged and taken again next round."""
    service = Stage.NOTIFICATIONS.value
    for verdict in Verdict:  # at 0 from the start: the first failures of a new process count as an increase
        MAILS.labels(service, verdict.value)
    while True:
        try:
            async with connection(pool) as conn, asyncio.timeout(5):
                measured = await delivery_store.queue(conn)
            DELIVERY_PENDING.labels(service).set(measured.pending)
            DELIVERY_OLDEST_PENDING_SECONDS.labels(service).set(measured.oldest_pending_s)
        except Exception as error:
            log.warning("delivery_queue_unknown", error=repr(error))
        await asyncio.sleep(interval_s)


class _CalledOff(Exception):
    """The row was suppressed or cancelled after it was leased: the mail is not sent."""


async def _abandon(conn: asyncpg.Connection, tx: Transaction) -> None:
    """Roll back; a connection that cannot even do that (cut off mid-operation) is dropped instead."""
    try:
        await tx.rollback()
    except Exception:
        conn.terminate()
