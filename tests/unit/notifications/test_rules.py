"""Opt-out, directory changes and the retry rule for mails."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest
from aiosmtplib import (
    SMTPAuthenticationError,
    SMTPConnectError,
    SMTPDataError,
    SMTPRecipientRefused,
    SMTPRecipientsRefused,
)

from services.notifications.domain import (
    Attempt,
    DirectoryChange,
    NotAllowed,
    ParticipantCopy,
    Recipient,
    RetryPolicy,
    Verdict,
    after_attempt,
    change_of,
    opt_in,
    opt_out,
    updated,
)
from services.notifications.mailer import classify, message_id
from shared.contracts.enums import Milestone
from shared.contracts.notifications import DeliveryFailure, MailLanguage, RecipientKind

POLICY = RetryPolicy(max_attempts=4, initial_s=2, max_s=5)
DESK = Recipient("desk", RecipientKind.COORDINATOR, "desk@example.org", "Desk", milestones=frozenset(Milestone))


def test_a_participant_can_opt_out_once_and_opt_in_again() -> None:
    out = opt_out(ParticipantCopy(recruited=True))
    assert out.opted_out and not opt_in(out).opted_out
    with pytest.raises(NotAllowed, match="opted out already"):
        opt_out(out)


def test_opting_in_without_an_objection_or_out_after_erasure_is_refused() -> None:
    with pytest.raises(NotAllowed, match="has not opted out"):
        opt_in(ParticipantCopy(recruited=True))
    with pytest.raises(NotAllowed, match="erased"):
        opt_out(ParticipantCopy(erased=True))


def test_applying_the_same_recipient_changes_nothing_and_a_new_address_is_an_update() -> None:
    assert change_of(None, DESK) is DirectoryChange.REGISTER
    assert change_of(DESK, DESK) is DirectoryChange.NONE
    assert change_of(DESK, updated(DESK, {"email": "new@example.org", "language": None})) is DirectoryChange.UPDATE
    assert updated(DESK, {"email": None, "language": MailLanguage.EN}).email == "desk@example.org"


def test_changing_who_a_recipient_is_registers_it_anew() -> None:
    as_partner = updated(DESK, {"kind": RecipientKind.PARTNER_ORGANISATION, "partner_org": "iq-saar-example"})
    assert change_of(DESK, as_partner) is DirectoryChange.REGISTER


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


def test_smtp_errors_are_told_apart_by_their_reply_code() -> None:
    refused = SMTPRecipientsRefused([SMTPRecipientRefused(550, "no such mailbox", "x@example.org")])
    assert classify(refused) == Attempt(False, True, DeliveryFailure.ADDRESS_REJECTED, "smtp_550")
    assert classify(SMTPDataError(554, "spam")) == Attempt(False, True, DeliveryFailure.MESSAGE_REJECTED, "smtp_554")
    assert classify(SMTPDataError(451, "try later")) == Attempt(False, error="smtp_451")
    assert classify(SMTPConnectError("refused")) == Attempt(False, error="connection_failed")
    assert classify(SMTPAuthenticationError(535, "bad login")) == Attempt(False, error="smtp_535")


def test_the_message_id_is_derived_from_the_delivery() -> None:
    delivery = UUID("5b0f2a8e-3c4d-4e6f-9a1b-2c3d4e5f6a7b")
    assert message_id(delivery, "journey@example.org") == "<5b0f2a8e-3c4d-4e6f-9a1b-2c3d4e5f6a7b@example.org>"
