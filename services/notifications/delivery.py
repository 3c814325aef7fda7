"""The delivery worker: sends due mails one by one, retries with backoff, records sent or failed via the outbox.

At-least-once, honestly: the mail server's acceptance and our commit are not atomic. A database outage after the
server accepted a mail only delays recording it (the record is retried, the mail is not re-sent). A crash of this
process in that moment leaves the row leased; when the lease runs out the mail goes out again with the same
Message-ID (derived from the delivery id), which lets receiving systems and people recognise the duplicate.
Nothing is ever lost.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from uuid import UUID

import asyncpg
import structlog

from services.notifications import deliveries
from services.notifications.domain import Attempt, RetryPolicy, Verdict, after_attempt
from services.notifications.mailer import Mailer, compose
from services.notifications.templates import render
from shared.contracts.enums import Milestone
from shared.contracts.notifications import MailLanguage, NotificationFailed, NotificationSent
from shared.contracts.topics import Stage
from shared.postgres import transaction
from shared.retry import Backoff
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

    async def run(self, pool: asyncpg.Pool, lane: int = 0) -> None:
        """Deliver until cancelled; several `run`s may share one worker (`lane` tells their log lines apart)."""
        structlog.contextvars.bind_contextvars(delivery_lane=lane)
        log.info("delivery_worker_started")
        while True:
            if not await self._backoff.run(lambda: self.deliver_next(pool), what="deliver_mail"):
                await asyncio.sleep(self._poll_interval_s)

    async def deliver_next(self, pool: asyncpg.Pool) -> bool:
        """Make one attempt at the next mail due; False when none is due.

        The row is leased in a short transaction, the mail is sent outside any transaction, and the outcome is
        recorded in a second one that is retried until the database answers: a database outage after the mail
        server accepted the mail delays the record, it does not send the mail again.
        """
        row = await self._lease_next(pool)
        if row is None:
            return False
        if row["email"] is None:
            return True
        milestone, language = Milestone(row["milestone"]), MailLanguage(row["language"])
        text = render(milestone, row["participant_id"], json.loads(row["facts"]), language, row["display_name"])
        message = compose(
            sender=self._sender,
            to=row["email"],
            text=text,
            delivery_id=row["delivery_id"],
            language=language,
            sent_at=self._clock(),
            participant_id=row["participant_id"],
            milestone=milestone.value,
            caused_by_id=row["caused_by_id"],
        )
        self._in_hand.add(row["delivery_id"])
        try:
            attempt = await self.send_within_lease(message)
            await self._backoff.run(lambda: self._record(pool, row, milestone, attempt), what="record_mail_attempt")
        finally:
            self._in_hand.discard(row["delivery_id"])
        return True

    async def send_within_lease(self, message: EmailMessage) -> Attempt:
        """The whole SMTP session, bounded so that it ends while the row is still leased to this loop."""
        try:
            async with asyncio.timeout(self._lease_s - RECORD_MARGIN_S):
                return await self._mailer.send(message)
        except TimeoutError:
            return Attempt(accepted=False, error="timeout")

    async def _lease_next(self, pool: asyncpg.Pool) -> asyncpg.Record | None:
        """Claim the next mail due and push its due time past the lease, so other instances leave it alone."""
        async with transaction(pool) as conn:
            now = self._clock()
            row = await deliveries.claim_due(conn, now, skip=self._in_hand)
            if row is None:
                return None
            if row["email"] is None:
                await deliveries.cancel(conn, row["delivery_id"], now)
            else:
                await deliveries.lease(conn, row["delivery_id"], now + timedelta(seconds=self._lease_s))
            return row

    async def _record(self, pool: asyncpg.Pool, row: asyncpg.Record, milestone: Milestone, attempt: Attempt) -> None:
        async with transaction(pool) as conn:
            now = self._clock()
            step = after_attempt(self._policy, row["attempts"], attempt)
            recorded = await deliveries.finish_attempt(
                conn,
                row["delivery_id"],
                step,
                leased_with=row["attempts"],
                email=row["email"],
                error=attempt.error,
                now=now,
            )
            if not recorded:
                log.warning(
                    "mail_outcome_superseded",
                    delivery_id=str(row["delivery_id"]),
                    recipient_id=row["recipient_id"],
                    outcome=step.verdict.value,
                    error=attempt.error,
                )
                return
            uow = UnitOfWork(conn, Stage.NOTIFICATIONS, cause_id=f"delivery:{row['delivery_id']}", now=now)
            audit = {
                "participant_id": row["participant_id"],
                "recipient_id": row["recipient_id"],
                "milestone": milestone,
                "caused_by_id": row["caused_by_id"],
                "caused_by_type": row["caused_by_type"],
            }
            if step.verdict is Verdict.SENT:
                await uow.emit(NotificationSent(**audit, sent_at=now))
            elif step.verdict is Verdict.FAILED:
                assert step.failure is not None
                await uow.emit(NotificationFailed(**audit, failure=step.failure, attempts=step.attempts))
        log.info(
            "mail_attempted",
            delivery_id=str(row["delivery_id"]),
            recipient_id=row["recipient_id"],
            milestone=milestone.value,
            outcome=step.verdict.value,
            attempts=step.attempts,
            error=attempt.error,
        )
