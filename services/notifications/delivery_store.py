"""asyncpg SQL for the delivery rows: what is to be mailed, what was, what was not, and why (the audit)."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime
from typing import NamedTuple
from uuid import UUID

import asyncpg

from services.notifications.domain import (
    Addressee,
    Delivery,
    DueDigest,
    DueMail,
    Mailing,
    MilestoneRef,
    NextStep,
    Verdict,
)
from services.notifications.wording import ORG_FACTS
from shared import tracing
from shared.contracts.enums import Milestone
from shared.contracts.notifications import DigestPeriod, MailLanguage, SuppressionReason
from shared.contracts.topics import Stage
from shared.metrics import MAILS
from shared.unit_of_work import derived_id

NOBODY = "*"
SUPPRESSED = MAILS.labels(Stage.NOTIFICATIONS.value, "suppressed")
"""Mails not sent on purpose, counted as their rows are written (a transaction rolled back after it, in an outage,
may count one twice: the deliveries table is the audit, the counter a rate to watch)."""


def delivery_id(caused_by_id: str, recipient_id: str | None) -> UUID:
    """The same for every retry of the same milestone event and recipient; also the mail's Message-ID."""
    return UUID(derived_id(caused_by_id, "delivery", recipient_id or NOBODY))


async def record(conn: asyncpg.Connection, mailing: Mailing, now: datetime) -> None:
    """Queue the mails a step decided (each in the trace of the handling running now, which its mail continues),
    record those nobody sends, and stop the queued ones it called off."""
    traceparent, tracestate = tracing.current()
    for delivery in mailing.queued:
        await conn.execute(
            "INSERT INTO deliveries (delivery_id, caused_by_id, caused_by_type, milestone, recipient_id,"
            " participant_id, status, recorded_at, next_attempt_at, traceparent, tracestate)"
            " VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $7, $8, $9) ON CONFLICT DO NOTHING",
            *_identity(delivery),
            now,
            traceparent,
            tracestate,
        )
    for delivery in mailing.suppressed:
        assert delivery.reason is not None
        _count_suppressed(
            await conn.execute(
                "INSERT INTO deliveries (delivery_id, caused_by_id, caused_by_type, milestone, recipient_id,"
                " participant_id, status, reason, recorded_at, finished_at)"
                " VALUES ($1, $2, $3, $4, $5, $6, 'suppressed', $7, $8, $8) ON CONFLICT DO NOTHING",
                *_identity(delivery),
                delivery.reason.value,
                now,
            )
        )
    for delivery in mailing.stopped:
        assert delivery.reason is not None
        _count_suppressed(
            await conn.execute(
                "UPDATE deliveries SET status = 'suppressed', reason = $2, finished_at = $3, next_attempt_at = NULL"
                " WHERE delivery_id = $1 AND status = 'pending'",
                delivery_id(delivery.about.ce_id, delivery.recipient_id),
                delivery.reason.value,
                now,
            )
        )


def _count_suppressed(status: str) -> None:
    """Count the rows a statement wrote (its status: `INSERT 0 n`, `UPDATE n`); a repeat that wrote none is not."""
    SUPPRESSED.inc(int(status.rsplit(" ", 1)[1]))


def _identity(delivery: Delivery) -> tuple[object, ...]:
    """delivery_id, caused_by_id, caused_by_type, milestone, recipient_id, participant_id: in this order. A
    non-mail about an erased participant is recorded without the link to them."""
    about = delivery.about
    erased = delivery.reason is SuppressionReason.PARTICIPANT_ERASED
    return (
        delivery_id(about.ce_id, delivery.recipient_id),
        about.ce_id,
        about.ce_type,
        about.milestone.value,
        delivery.recipient_id,
        None if erased else about.participant_id,
    )


async def lock_pending(conn: asyncpg.Connection, participant_id: UUID) -> list[Delivery]:
    """The mails about a participant not sent yet, locked (one being sent is waited for), in the order queued."""
    rows = await conn.fetch(
        "SELECT caused_by_id, caused_by_type, milestone, recipient_id FROM deliveries"
        " WHERE participant_id = $1 AND status = 'pending' ORDER BY seq FOR UPDATE",
        participant_id,
    )
    return [
        Delivery(
            MilestoneRef(r["caused_by_id"], r["caused_by_type"], Milestone(r["milestone"]), participant_id),
            r["recipient_id"],
        )
        for r in rows
    ]


async def unlink(conn: asyncpg.Connection, participant_id: UUID) -> None:
    """Erasure: the audit stays, without the link to the participant."""
    await conn.execute("UPDATE deliveries SET participant_id = NULL WHERE participant_id = $1", participant_id)


async def cancel_pending_to(conn: asyncpg.Connection, recipient_id: str, now: datetime) -> None:
    """A removed recipient gets no more mail, not even one queued before."""
    _count_suppressed(
        await conn.execute(
            "UPDATE deliveries SET status = 'cancelled', reason = 'recipient_removed', finished_at = $2,"
            " next_attempt_at = NULL WHERE recipient_id = $1 AND status = 'pending'",
            recipient_id,
            now,
        )
    )


async def cancel(conn: asyncpg.Connection, delivery: UUID, now: datetime) -> None:
    """A mail queued while its recipient was being removed is not sent either."""
    _count_suppressed(
        await conn.execute(
            "UPDATE deliveries SET status = 'cancelled', reason = 'recipient_removed', finished_at = $2,"
            " next_attempt_at = NULL WHERE delivery_id = $1",
            delivery,
            now,
        )
    )


class Queue(NamedTuple):
    """The mails not sent yet (due now or waiting for a retry), and how long the oldest of them has waited (0 when
    none waits)."""

    pending: int
    oldest_pending_s: float


async def queue(conn: asyncpg.Connection) -> Queue:
    """The delivery queue now (both read the rows the partial index of pending deliveries holds)."""
    row = await conn.fetchrow(
        "SELECT count(*)::int AS pending,"
        " coalesce(extract(epoch FROM now() - min(recorded_at)), 0)::float8 AS oldest FROM deliveries"
        " WHERE status = 'pending'"
    )
    assert row is not None
    return Queue(row["pending"], row["oldest"])


async def claim_due(conn: asyncpg.Connection, now: datetime, skip: Collection[UUID] = ()) -> DueMail | DueDigest | None:
    """The next mail due, locked; other workers skip it and take the next. Its `to` is None when the recipient
    left the directory.

    A recipient hears about one participant in the order the milestones were recorded: a mail waits while an
    earlier one about the same participant to the same recipient is still pending (being sent, or retried).
    A digest is about nobody in particular and waits for nothing.
    `skip`: rows the caller has in hand (sent, outcome not recorded yet)."""
    row = await conn.fetchrow(
        "SELECT d.delivery_id, d.caused_by_id, d.caused_by_type, d.milestone, d.recipient_id, d.participant_id,"
        " d.attempts, d.traceparent, d.tracestate, r.email, r.display_name, r.language, r.partner_org, m.facts,"
        " p.profession, p.region, c.case_reference,"
        " g.period, g.period_start, g.milestones AS digest_milestones, g.participants AS digest_participants,"
        " g.subject, g.body_text, g.body_html"
        " FROM deliveries d LEFT JOIN recipients r ON r.recipient_id = d.recipient_id"
        " LEFT JOIN milestones m ON m.ce_id = d.caused_by_id"
        " LEFT JOIN digests g ON g.delivery_id = d.delivery_id"
        " LEFT JOIN participants p ON p.participant_id = d.participant_id"
        " LEFT JOIN case_references c ON c.participant_id = d.participant_id AND c.org_id = r.partner_org"
        " WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND d.delivery_id <> ALL($2::uuid[])"
        " AND (m.ce_id IS NOT NULL OR g.body_text IS NOT NULL)"
        " AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.participant_id = d.participant_id"
        " AND e.recipient_id = d.recipient_id AND e.status = 'pending' AND e.seq < d.seq)"
        " ORDER BY d.next_attempt_at, d.seq LIMIT 1 FOR UPDATE OF d SKIP LOCKED",
        now,
        list(skip),
    )
    if row is None:
        return None
    to = None if row["email"] is None else Addressee(row["email"], row["display_name"], MailLanguage(row["language"]))
    if row["facts"] is None:
        return DueDigest(
            delivery_id=row["delivery_id"],
            caused_by_id=row["caused_by_id"],
            recipient_id=row["recipient_id"],
            attempts=row["attempts"],
            period=DigestPeriod(row["period"]),
            period_start=row["period_start"],
            milestones=row["digest_milestones"],
            participants=row["digest_participants"],
            subject=row["subject"],
            text=row["body_text"],
            html=row["body_html"],
            to=to,
        )
    facts = json.loads(row["facts"])
    orgs = {v for k, v in facts.items() if k in ORG_FACTS and isinstance(v, str)}
    names = await conn.fetch(
        "SELECT org_id, name FROM organisations WHERE org_id = ANY($1::text[]) AND name IS NOT NULL", sorted(orgs)
    )
    return DueMail(
        delivery_id=row["delivery_id"],
        caused_by_id=row["caused_by_id"],
        caused_by_type=row["caused_by_type"],
        milestone=Milestone(row["milestone"]),
        recipient_id=row["recipient_id"],
        participant_id=row["participant_id"],
        attempts=row["attempts"],
        facts=facts,
        to=to,
        profession=row["profession"],
        region=row["region"],
        case_reference=row["case_reference"],
        org_names={r["org_id"]: r["name"] for r in names},
        traceparent=row["traceparent"],
        tracestate=row["tracestate"],
    )


async def lease(conn: asyncpg.Connection, delivery: UUID, until: datetime) -> None:
    """Not due for anyone else until `until`: this worker is sending it (a crash lets the lease run out)."""
    await conn.execute("UPDATE deliveries SET next_attempt_at = $2 WHERE delivery_id = $1", delivery, until)


async def finish_attempt(
    conn: asyncpg.Connection,
    delivery: UUID,
    step: NextStep,
    *,
    leased_with: int,
    email: str,
    error: str | None,
    now: datetime,
) -> bool:
    """Record an attempt: sent, failed for good, or due again after the backoff.

    Only while the row is still pending with the attempt count it was leased with; False when it has moved on
    meanwhile (suppressed, cancelled, or taken by another instance after the lease ran out).
    """
    if step.verdict is Verdict.RETRY:
        assert step.retry_in is not None
        status = await conn.execute(
            "UPDATE deliveries SET attempts = $2, last_error = $3, email = $4, next_attempt_at = $5"
            " WHERE delivery_id = $1 AND status = 'pending' AND attempts = $6",
            delivery,
            step.attempts,
            error,
            email,
            now + step.retry_in,
            leased_with,
        )
        return bool(status == "UPDATE 1")
    sent = step.verdict is Verdict.SENT
    status = await conn.execute(
        "UPDATE deliveries SET status = $2, attempts = $3, last_error = $4, email = $5, reason = $6,"
        " sent_at = $7, finished_at = $8, next_attempt_at = NULL"
        " WHERE delivery_id = $1 AND status = 'pending' AND attempts = $9",
        delivery,
        step.verdict.value,
        step.attempts,
        error,
        email,
        None if step.failure is None else step.failure.value,
        now if sent else None,
        now,
        leased_with,
    )
    return bool(status == "UPDATE 1")
