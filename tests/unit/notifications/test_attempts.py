"""A queued mail's attempts: the retry rule, and the audit event of a mail sent or failed for good."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from services.notifications.domain import (
    Addressee,
    Attempt,
    DueMail,
    RetryPolicy,
    Verdict,
    after_attempt,
    attempted,
)
from shared.contracts.enums import Milestone
from shared.contracts.notifications import DeliveryFailure, MailLanguage, NotificationFailed, NotificationSent

POLICY = RetryPolicy(max_attempts=4, initial_s=2, max_s=5)
NOW = datetime(2025, 5, 28, 9, 15, 2, tzinfo=UTC)
MAIL = DueMail(
    delivery_id=uuid.UUID("0b3c1d2e-3f40-4152-8364-758697a8b9ca"),
    caused_by_id="e-1",
    caused_by_type="journey.recognition.RecognitionDecided.v1",
    milestone=Milestone.RECOGNITION_DECIDED,
    recipient_id="desk",
    participant_id=uuid.UUID("5b0f2a8e-3c4d-4e6f-9a1b-2c3d4e5f6a7b"),
    attempts=1,
    facts={},
    to=Addressee("desk@example.org", "Desk", MailLanguage.DE),
)
ABOUT = {
    "participant_id": MAIL.participant_id,
    "recipient_id": "desk",
    "milestone": Milestone.RECOGNITION_DECIDED,
    "caused_by_id": "e-1",
    "caused_by_type": "journey.recognition.RecognitionDecided.v1",
}


def test_the_wait_between_attempts_doubles_up_to_the_maximum() -> None:
    assert [POLICY.delay_after(n).total_seconds() for n in (1, 2, 3, 4)] == [2, 4, 5, 5]


def test_an_accepted_mail_is_sent() -> None:
    step = after_attempt(POLICY, 2, Attempt(accepted=True))
    assert step.verdict is Verdict.SENT and step.attempts == 3 and step.failure is None


def test_a_transient_failure_is_retried_after_the_backoff_until_attempts_run_out() -> None:
    step = after_attempt(POLICY, 1, Attempt(accepted=False, error="connection_failed"))
    assert step.verdict is Verdict.RETRY and step.attempts == 2 and step.retry_in == timedelta(seconds=4)
    last = after_attempt(POLICY, 3, Attempt(accepted=False, error="smtp_451"))
    assert last.verdict is Verdict.FAILED and last.failure is DeliveryFailure.RETRIES_EXHAUSTED and last.attempts == 4


def test_a_permanent_refusal_fails_at_once() -> None:
    step = after_attempt(POLICY, 0, Attempt(False, permanent=True, failure=DeliveryFailure.ADDRESS_REJECTED))
    assert step.verdict is Verdict.FAILED and step.failure is DeliveryFailure.ADDRESS_REJECTED and step.attempts == 1


def test_a_mail_sent_is_announced_with_the_time_the_server_accepted_it() -> None:
    decision = attempted(MAIL, POLICY, Attempt(accepted=True), NOW)

    assert decision.state.verdict is Verdict.SENT and decision.state.attempts == 2
    assert decision.events == (NotificationSent.model_validate({**ABOUT, "sent_at": NOW}),)


def test_a_mail_failed_for_good_is_announced_with_the_failure_and_the_attempts_made() -> None:
    refused = Attempt(False, permanent=True, failure=DeliveryFailure.ADDRESS_REJECTED, error="smtp_550")

    decision = attempted(MAIL, POLICY, refused, NOW)

    failed = {**ABOUT, "failure": DeliveryFailure.ADDRESS_REJECTED, "attempts": 2}
    assert decision.state.verdict is Verdict.FAILED and decision.events == (NotificationFailed.model_validate(failed),)


def test_a_mail_to_be_retried_is_not_announced() -> None:
    decision = attempted(MAIL, POLICY, Attempt(False, error="smtp_451"), NOW)

    assert decision.state.verdict is Verdict.RETRY and decision.events == ()
