"""A queued mail and the attempts to send it: what an attempt leads to (sent, retried, failed) and its audit event.
Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from uuid import UUID

from shared.contracts.enums import Milestone
from shared.contracts.notifications import (
    DeliveryFailure,
    DigestPeriod,
    DigestSent,
    MailLanguage,
    NotificationFailed,
    NotificationSent,
)
from shared.decision import Decision


@dataclass(frozen=True, slots=True)
class Addressee:
    """Where a mail goes and how it greets: from the directory, when it is sent."""

    email: str
    display_name: str
    language: MailLanguage


@dataclass(frozen=True, slots=True)
class DueMail:
    """A mail due to be sent, as the delivery worker takes it: the delivery, its milestone's facts, the addressee
    (None when the recipient left the directory) and the attempts made so far."""

    delivery_id: UUID
    caused_by_id: str
    caused_by_type: str
    milestone: Milestone
    recipient_id: str
    participant_id: UUID
    attempts: int
    facts: Mapping[str, object]
    to: Addressee | None
    profession: str | None = None
    region: str | None = None
    case_reference: str | None = None  # the recipient's organisation's own, if it gave one
    org_names: Mapping[str, str] = field(default_factory=dict)
    traceparent: str | None = None
    """The W3C trace context of the handling that queued the mail, which its sending continues."""
    tracestate: str | None = None


@dataclass(frozen=True, slots=True)
class DueDigest:
    """A digest due to be sent: composed once (its texts are kept), so every attempt sends the same mail."""

    delivery_id: UUID
    caused_by_id: str
    recipient_id: str
    attempts: int
    period: DigestPeriod
    period_start: date
    milestones: int
    participants: int
    subject: str
    text: str
    html: str
    to: Addressee | None


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int
    initial_s: float
    max_s: float

    def delay_after(self, attempts: int) -> timedelta:
        """Exponential: `initial_s` after the first failed attempt, doubling, at most `max_s`."""
        return timedelta(seconds=min(self.initial_s * 2 ** max(attempts - 1, 0), self.max_s))


@dataclass(frozen=True, slots=True)
class Attempt:
    """What the mail server made of one attempt."""

    accepted: bool
    permanent: bool = False
    failure: DeliveryFailure | None = None
    error: str | None = None  # a short code for the audit, e.g. smtp_550 or connection_refused


class Verdict(StrEnum):
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class NextStep:
    verdict: Verdict
    attempts: int
    retry_in: timedelta | None = None
    failure: DeliveryFailure | None = None


def after_attempt(policy: RetryPolicy, attempts_before: int, attempt: Attempt) -> NextStep:
    """Sent, failed for good (a permanent refusal, or no attempts left), or retried later."""
    attempts = attempts_before + 1
    if attempt.accepted:
        return NextStep(Verdict.SENT, attempts)
    if attempt.permanent:
        return NextStep(Verdict.FAILED, attempts, failure=attempt.failure or DeliveryFailure.MESSAGE_REJECTED)
    if attempts >= policy.max_attempts:
        return NextStep(Verdict.FAILED, attempts, failure=DeliveryFailure.RETRIES_EXHAUSTED)
    return NextStep(Verdict.RETRY, attempts, retry_in=policy.delay_after(attempts))


def attempted(mail: DueMail | DueDigest, policy: RetryPolicy, attempt: Attempt, now: datetime) -> Decision[NextStep]:
    """What an attempt at `mail` leads to, announced when the mail is sent or failed for good (not while retried).
    A digest sent is announced as `DigestSent`; one that failed for good stays in the audit table only (the
    contract's `NotificationFailed` is about one participant's milestone)."""
    step = after_attempt(policy, mail.attempts, attempt)
    if isinstance(mail, DueDigest):
        if step.verdict is not Verdict.SENT:
            return Decision(step)
        digest = DigestSent(
            recipient_id=mail.recipient_id,
            period=mail.period,
            period_start=mail.period_start,
            milestones=mail.milestones,
            participants=mail.participants,
            sent_at=now,
        )
        return Decision(step, (digest,))
    if step.verdict is Verdict.SENT:
        sent = NotificationSent(
            participant_id=mail.participant_id,
            recipient_id=mail.recipient_id,
            milestone=mail.milestone,
            caused_by_id=mail.caused_by_id,
            caused_by_type=mail.caused_by_type,
            sent_at=now,
        )
        return Decision(step, (sent,))
    if step.verdict is Verdict.FAILED:
        assert step.failure is not None
        failed = NotificationFailed(
            participant_id=mail.participant_id,
            recipient_id=mail.recipient_id,
            milestone=mail.milestone,
            caused_by_id=mail.caused_by_id,
            caused_by_type=mail.caused_by_type,
            failure=step.failure,
            attempts=step.attempts,
        )
        return Decision(step, (failed,))
    return Decision(step)
