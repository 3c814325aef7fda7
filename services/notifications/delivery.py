"""The delivery worker: sends due mails one by one, retries with backoff, records sent or failed via the outbox.

At-least-once, honestly: the mail server's acceptance and our commit are not atomic. A crash (or a lost database)
after the server accepted a mail and before the row is marked sent leaves the row pending, and the mail goes out
again later with the same Message-ID (derived from the delivery id), which lets receiving systems and people
recognise the duplicate. The window is one SMTP transaction long; nothing is ever lost.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime

import asyncpg
import structlog

from services.notifications import deliveries
from services.notifications.domain import RetryPolicy, Verdict, after_attempt
from services.notifications.mailer import Mailer, compose
from services.notifications.templates import render
from shared.contracts.enums import Milestone
from shared.contracts.notifications import MailLanguage, NotificationFailed, NotificationSent
from shared.contracts.topics import Stage
from shared.postgres import transaction
from shared.retry import Backoff
from shared.unit_of_work import UnitOfWork

log = structlog.get_logger()


class DeliveryWorker:
    """Several instances may run at once: each mail row is locked while it is sent, and skipped by the others."""

    def __init__(
        self,
        mailer: Mailer,
        policy: RetryPolicy,
        *,
        sender: str,
        poll_interval_s: float = 1.0,
        backoff: Backoff | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._mailer = mailer
        self._policy = policy
        self._sender = sender
        self._poll_interval_s = poll_interval_s
        self._backoff = backoff or Backoff()
        self._clock = clock

    async def run(self, pool: asyncpg.Pool) -> None:
        log.info("delivery_worker_started")
        while True:
            if not await self._backoff.run(lambda: self.deliver_next(pool), what="deliver_mail"):
                await asyncio.sleep(self._poll_interval_s)

    async def deliver_next(self, pool: asyncpg.Pool) -> bool:
        """Make one attempt at the next mail due, in one transaction; False when none is due."""
        async with transaction(pool) as conn:
            row = await deliveries.claim_due(conn, self._clock())
            if row is None:
                return False
            if row["email"] is None:
                await deliveries.cancel(conn, row["delivery_id"], self._clock())
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
            attempt = await self._mailer.send(message)
            now = self._clock()
            step = after_attempt(self._policy, row["attempts"], attempt)
            await deliveries.finish_attempt(
                conn, row["delivery_id"], step, email=row["email"], error=attempt.error, now=now
            )
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
        return True
