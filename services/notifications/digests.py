"""The digest worker: composes every digest period that has ended, once per recipient and period, and queues its
mail in the delivery queue (the delivery worker sends it like any mail and announces `DigestSent`).

Each period is composed in one transaction: its row (primary key recipient, period, start), its items marked, its
one mail queued. A recipient's periods are composed under an advisory lock, so two workers (two instances, or a
restart overlapping the old process) never compose the same period twice; a period found composed is left alone.
`now` is a parameter, so tests can drive the calendar.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection, Sequence
from datetime import UTC, date, datetime

import asyncpg
import structlog

from services.notifications import digest_store, directory_store
from services.notifications.domain import Recipient
from services.notifications.domain.addressing import DIGESTS
from services.notifications.domain.digests import (
    DigestEntry,
    DigestInput,
    bounds,
    compose,
    digest_delivery_id,
    periods_due,
)
from services.notifications.wording import ORG_FACTS
from shared.contracts.enums import Milestone
from shared.contracts.notifications import DigestPeriod
from shared.postgres import connection, transaction
from shared.retry import Backoff

log = structlog.get_logger()


def periods_chosen(recipient: Recipient) -> set[DigestPeriod]:
    """The digests the recipient's choice uses for the milestones it is mailed about."""
    milestones = recipient.milestones or frozenset(Milestone)
    return {DIGESTS[d] for d in map(recipient.delivery_of, milestones) if d in DIGESTS}


class DigestWorker:
    def __init__(
        self,
        *,
        send_hour: int = 6,
        reporting_url: str = "http://127.0.0.1:8006/",
        poll_interval_s: float = 60.0,
        backoff: Backoff | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._send_hour = send_hour
        self._reporting_url = reporting_url
        self._poll_interval_s = poll_interval_s
        self._backoff = backoff or Backoff()
        self._clock = clock

    async def run(self, pool: asyncpg.Pool) -> None:
        """Compose what is due, then again every poll interval, until cancelled."""
        log.info("digest_worker_started")
        while True:
            await self._backoff.run(lambda: self.compose_due(pool, self._clock()), what="compose_digests")
            await asyncio.sleep(self._poll_interval_s)

    async def compose_due(self, pool: asyncpg.Pool, now: datetime, only: Collection[str] | None = None) -> int:
        """Compose every period due by `now` for every recipient (or those in `only`), oldest first; the number of
        mails queued."""
        async with connection(pool) as conn:
            recipients = await directory_store.everyone(conn)
            joined = await directory_store.registered_at(conn)
        queued = 0
        for recipient in recipients:
            if only is not None and recipient.recipient_id not in only:
                continue
            queued += await self._compose_for(pool, recipient.recipient_id, joined[recipient.recipient_id], now)
        return queued

    async def _compose_for(self, pool: asyncpg.Pool, recipient_id: str, registered_at: datetime, now: datetime) -> int:
        queued = 0
        async with transaction(pool) as conn:
            await conn.execute("SELECT pg_advisory_xact_lock(hashtext('notifications:digest:' || $1))", recipient_id)
            recipient = await directory_store.lock(conn, recipient_id)
            if recipient is None:  # removed meanwhile
                return 0
            wanted = periods_chosen(recipient) | await digest_store.periods_in_use(conn, recipient_id)
            due = [
                (period, start)
                for period in sorted(wanted)
                for start in periods_due(
                    period,
                    registered_at,
                    await digest_store.last_start(conn, recipient_id, period),
                    now,
                    self._send_hour,
                )
            ]
        for period, start in sorted(due, key=lambda p: (p[1], p[0].value)):
            if await self._compose_one(pool, recipient_id, period, start, now):
                queued += 1
        return queued

    async def _compose_one(
        self, pool: asyncpg.Pool, recipient_id: str, period: DigestPeriod, start: date, now: datetime
    ) -> bool:
        """One period in one transaction; True when it queued a mail."""
        async with transaction(pool) as conn:
            await conn.execute("SELECT pg_advisory_xact_lock(hashtext('notifications:digest:' || $1))", recipient_id)
            recipient = await directory_store.lock(conn, recipient_id)
            if recipient is None:
                return False
            since, until = bounds(period, start)
            entries = await digest_store.entries(conn, recipient_id, recipient.partner_org, period, until, since)
            orgs = sorted({e.org_id for e in entries if e.org_id} | _org_facts(entries))
            text = compose(
                DigestInput(
                    period=period,
                    start=start,
                    language=recipient.language,
                    entries=entries,
                    org_names=await digest_store.org_names(conn, orgs),
                    reporting_url=self._reporting_url,
                )
            )
            delivery_id = digest_delivery_id(recipient_id, period, start)
            if not await digest_store.record(conn, recipient_id, period, start, until, text, delivery_id, now):
                return False
        log.info(
            "digest_composed",
            recipient_id=recipient_id,
            period=period.value,
            period_start=start.isoformat(),
            milestones=0 if text is None else text.milestones,
        )
        return text is not None


def _org_facts(entries: Sequence[DigestEntry]) -> set[str]:
    """The organisations the entries' facts name."""
    return {v for e in entries for k, v in e.facts.items() if k in ORG_FACTS and isinstance(v, str)}
