"""Sending one mail over SMTP (aiosmtplib), and telling transient failures from permanent refusals."""

from __future__ import annotations

import contextlib
import email.policy
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Literal, Protocol
from uuid import UUID

import aiosmtplib
from aiosmtplib import (
    SMTPAuthenticationError,
    SMTPConnectResponseError,
    SMTPRecipientRefused,
    SMTPRecipientsRefused,
    SMTPResponseException,
    SMTPServerDisconnected,
    SMTPTimeoutError,
)

from services.notifications.domain import Attempt
from services.notifications.templates import MailText
from shared.contracts.notifications import DeliveryFailure, MailLanguage

WIRE = email.policy.SMTP.clone(max_line_length=998)


Prepare = Callable[[], Awaitable[None]]


class Mailer(Protocol):
    """What the delivery worker needs: hand one message to a mail server and say how it went.

    `prepare` runs once the server took sender and recipient and before the message itself goes out: the last
    moment to write down that it will have been sent (and to call it off by raising)."""

    async def send(self, message: EmailMessage, prepare: Prepare | None = None) -> Attempt: ...


@dataclass(frozen=True, slots=True)
class SmtpMailer:
    host: str
    port: int
    security: Literal["none", "starttls", "tls"] = "none"
    username: str | None = None
    password: str | None = None
    timeout_s: float = 30.0

    async def send(self, message: EmailMessage, prepare: Prepare | None = None) -> Attempt:
        client = aiosmtplib.SMTP(
            hostname=self.host,
            port=self.port,
            username=self.username,
            password=self.password,
            use_tls=self.security == "tls",
            start_tls=self.security == "starttls",
            timeout=self.timeout_s,
        )
        try:
            await client.connect()  # with STARTTLS and login when configured
            if client.is_ehlo_or_helo_needed:
                await client.ehlo()
            await client.mail(message["From"])
            await client.rcpt(message["To"])
            if prepare is not None:
                await prepare()
            await client.data(to_wire(message))
        except (aiosmtplib.SMTPException, OSError) as error:
            client.close()
            return classify(error)
        except BaseException:
            client.close()  # called off (or cancelled) before the message went out
            raise
        with contextlib.suppress(aiosmtplib.SMTPException, OSError):
            await client.quit()  # the mail is accepted; a failing goodbye changes nothing
        return Attempt(accepted=True)


def to_wire(message: EmailMessage) -> bytes:
    """The message as sent. Headers stay on one line (they are short): Python's folding at 78 characters
    sometimes doubles a space at the fold, which readers would see in the subject."""
    return message.as_bytes(policy=WIRE)


def classify(error: BaseException) -> Attempt:
    """5xx for the recipient or the message is permanent; connection trouble, 4xx and our own login are not."""
    if isinstance(error, SMTPRecipientsRefused):
        codes = [refused.code for refused in error.recipients] or [0]
        return _reply(codes[0], DeliveryFailure.ADDRESS_REJECTED)
    if isinstance(error, SMTPRecipientRefused):
        return _reply(error.code, DeliveryFailure.ADDRESS_REJECTED)
    if isinstance(error, SMTPAuthenticationError | SMTPConnectResponseError):
        # Our login or the server's greeting: fixed by configuration or time, not by giving the mail up.
        return Attempt(accepted=False, error=f"smtp_{error.code}")
    if isinstance(error, SMTPResponseException):
        return _reply(error.code, DeliveryFailure.MESSAGE_REJECTED)
    if isinstance(error, SMTPTimeoutError | TimeoutError):
        return Attempt(accepted=False, error="timeout")
    if isinstance(error, SMTPServerDisconnected):
        return Attempt(accepted=False, error="server_disconnected")
    if isinstance(error, OSError):
        return Attempt(accepted=False, error="connection_failed")
    return Attempt(accepted=False, error="smtp_error")


def _reply(code: int, failure: DeliveryFailure) -> Attempt:
    permanent = 500 <= code < 600
    return Attempt(accepted=False, permanent=permanent, failure=failure if permanent else None, error=f"smtp_{code}")


def message_id(delivery_id: UUID, sender: str) -> str:
    """Deterministic per delivery, so a mail re-sent after a crash can be recognised as the same one."""
    return f"<{delivery_id}@{sender.rpartition('@')[2]}>"


def compose(
    *,
    sender: str,
    to: str,
    text: MailText,
    delivery_id: UUID,
    language: MailLanguage,
    sent_at: datetime,
    participant_id: UUID | str,
    milestone: str,
    caused_by_id: str,
) -> EmailMessage:
    """The mail; `X-Journey-*` headers let mail rules and tools sort it without parsing the text."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = text.subject
    message["Message-ID"] = message_id(delivery_id, sender)
    message["Date"] = format_datetime(sent_at)
    message["Content-Language"] = language.value
    message["Auto-Submitted"] = "auto-generated"
    message["X-Journey-Participant"] = str(participant_id)
    message["X-Journey-Milestone"] = milestone
    message["X-Journey-Event-Id"] = caused_by_id
    message.set_content(text.body)
    return message


def compose_digest(
    *,
    sender: str,
    to: str,
    subject: str,
    text: str,
    html: str,
    delivery_id: UUID,
    language: MailLanguage,
    sent_at: datetime,
    period: str,
    period_start: str,
) -> EmailMessage:
    """A digest: text and HTML alternatives of the same content, and a Message-ID derived from recipient, period and
    its start (`digest_delivery_id`), so a re-send after a crash is recognisably the same mail."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id(delivery_id, sender)
    message["Date"] = format_datetime(sent_at)
    message["Content-Language"] = language.value
    message["Auto-Submitted"] = "auto-generated"
    message["X-Journey-Digest"] = f"{period} {period_start}"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message
