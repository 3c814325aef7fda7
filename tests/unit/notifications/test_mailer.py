"""The mailer: SMTP errors told apart (a connection that could not be secured among them), the TLS context a
server gets, and the Message-ID a re-sent mail keeps."""

from __future__ import annotations

import ssl
from uuid import UUID

import pytest
from aiosmtplib import (
    SMTPAuthenticationError,
    SMTPConnectError,
    SMTPDataError,
    SMTPRecipientRefused,
    SMTPRecipientsRefused,
)

from services.notifications.domain import Attempt
from services.notifications.mailer import SmtpServer, StartTlsUnavailable, classify, message_id
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


def test_a_connection_that_could_not_be_secured_is_retried_with_a_code_saying_why() -> None:
    rejected = ssl.SSLCertVerificationError(1, "certificate verify failed: unable to get local issuer certificate")
    connect_failed = SMTPConnectError("Error connecting to mail.example.org on port 465")
    connect_failed.__cause__ = rejected  # how aiosmtplib raises it for TLS from the first byte

    assert classify(rejected) == Attempt(False, error="tls_certificate_rejected")  # STARTTLS: raised as it is
    assert classify(connect_failed) == Attempt(False, error="tls_certificate_rejected")
    assert classify(ssl.SSLError(1, "wrong version number")) == Attempt(False, error="tls_failed")
    assert classify(StartTlsUnavailable("no STARTTLS")) == Attempt(False, error="starttls_unavailable")


def test_with_tls_the_certificate_and_host_name_are_always_verified() -> None:
    context = SmtpServer("mail.example.org", 587, "starttls").tls_context()

    assert context is not None
    assert (context.verify_mode, context.check_hostname) == (ssl.CERT_REQUIRED, True)
    assert context.minimum_version >= ssl.TLSVersion.TLSv1_2
    assert SmtpServer("127.0.0.1", 1025).tls_context() is None


def test_credentials_are_refused_without_tls_and_kept_out_of_the_repr() -> None:
    with pytest.raises(ValueError, match="never sent without TLS"):
        SmtpServer("127.0.0.1", 1025, "none", "journey", "secret")
    assert "secret" not in repr(SmtpServer("mail.example.org", 465, "tls", "journey", "secret"))
