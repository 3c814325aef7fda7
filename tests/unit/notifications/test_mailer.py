"""The mailer: SMTP errors told apart, and the Message-ID a re-sent mail keeps."""

from __future__ import annotations

from uuid import UUID

from aiosmtplib import (
    SMTPAuthenticationError,
    SMTPConnectError,
    SMTPDataError,
    SMTPRecipientRefused,
    SMTPRecipientsRefused,
)

from services.notifications.domain import Attempt
from services.notifications.mailer import classify, message_id
from shared.contracts.notifications import DeliveryFailure


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
