"""Sending mails over SMTP (aiosmtplib) on connections kept open between mails, and telling transient failures
from permanent refusals."""

from __future__ import annotations

import asyncio
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
import structlog
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
# QUIT is a courtesy (RFC 5321 4.1.1.10): a server slow to answer it does not hold up anything for long.
GOODBYE_TIMEOUT_S = 5.0
SERVICE_CLOSING = 421

log = structlog.get_logger()

Prepare = Callable[[], Awaitable[None]]


class Mailer(Protocol):
    """What the delivery worker needs: hand one message to a mail server and say how it went.

    `prepare` runs once the server took sender and recipient and before the message itself goes out: the last
    moment to write down that it will have been sent (and to call it off by raising)."""

    async def send(self, message: EmailMessage, prepare: Prepare | None = None) -> Attempt: ...


class SmtpClient(Protocol):
    """The part of `aiosmtplib.SMTP` the mailer uses (unit tests put an in-memory server behind it)."""

    @property
    def is_connected(self) -> bool: ...
    @property
    def is_ehlo_or_helo_needed(self) -> bool: ...
    async def connect(self) -> object: ...
    async def ehlo(self) -> object: ...
    async def mail(self, sender: str, /) -> object: ...
    async def rcpt(self, recipient: str, /) -> object: ...
    async def data(self, message: bytes, /) -> object: ...
    async def quit(self) -> object: ...
    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class SmtpServer:
    """Where the mails go, and how a connection is opened (STARTTLS or TLS and login once per connection)."""

    host: str
    port: int
    security: Literal["none", "starttls", "tls"] = "none"
    username: str | None = None
    password: str | None = None
    timeout_s: float = 30.0

    def client(self) -> SmtpClient:
        return aiosmtplib.SMTP(
            hostname=self.host,
            port=self.port,
            username=self.username,
            password=self.password,
            use_tls=self.security == "tls",
            start_tls=self.security == "starttls",
            timeout=self.timeout_s,
        )


class SmtpMailer:
    """Sends each mail on a connection of its own while it is sent, kept open afterwards for the next mail.

    Concurrent sends never share a connection: a send takes an idle one or opens one, so there are never more
    connections than mails sent at once (one per delivery loop). The idle ones are used most recent first, so a
    light load keeps one connection warm and lets the others close after `idle_s` (0: a connection per mail).
    Only a connection whose last mail the server accepted is kept: after the end of the mail data the server has
    cleared its state (RFC 5321 4.1.1.4), so the next mail needs no RSET; after anything else it is closed."""

    def __init__(
        self, server: SmtpServer, *, idle_s: float = 30.0, new_client: Callable[[], SmtpClient] | None = None
    ) -> None:
        self._idle_s = idle_s
        self._new_client = new_client or server.client
        self._idle: list[tuple[SmtpClient, asyncio.TimerHandle]] = []
        self._leaving: set[asyncio.Task[None]] = set()

    async def send(self, message: EmailMessage, prepare: Prepare | None = None) -> Attempt:
        """On a kept connection if there is one. A kept connection the server has closed meanwhile (disconnected,
        or a 421 reply) costs a fresh connection and a second try of this mail, but only if `prepare` has not run:
        nothing was sent, and nothing was recorded. From `prepare` on any failure is the attempt's outcome."""
        gate = _Gate(prepare)
        kept = self._take_idle()
        if kept is not None:
            try:
                return await self._transaction(kept, message, gate)
            except (aiosmtplib.SMTPException, OSError) as error:
                if gate.passed or not _connection_gone(error):
                    return classify(error)
                log.info("smtp_connection_gone", error=repr(error))
        try:
            return await self._transaction(await self._open(), message, gate)
        except (aiosmtplib.SMTPException, OSError) as error:
            return classify(error)

    async def close(self) -> None:
        """Say goodbye on every idle connection (at shutdown); one in use is closed by its cancelled send."""
        while self._idle:
            client, timer = self._idle.pop()
            timer.cancel()
            self._retire(client)
        await asyncio.gather(*self._leaving)

    async def _open(self) -> SmtpClient:
        client = self._new_client()
        try:
            await client.connect()  # with STARTTLS and login when configured
            if client.is_ehlo_or_helo_needed:
                await client.ehlo()
        except BaseException:
            client.close()
            raise
        return client

    async def _transaction(self, client: SmtpClient, message: EmailMessage, gate: _Gate) -> Attempt:
        try:
            await client.mail(message["From"])
            await client.rcpt(message["To"])
            await gate.pass_()
            await client.data(to_wire(message))
        except BaseException:
            client.close()  # refused, broken, called off or cancelled: its state is not worth a RSET
            raise
        self._keep(client)
        return Attempt(accepted=True)

    def _take_idle(self) -> SmtpClient | None:
        """The connection used last; those the server closed meanwhile are let go."""
        while self._idle:
            client, timer = self._idle.pop()
            timer.cancel()
            if client.is_connected:
                return client
            client.close()
        return None

    def _keep(self, client: SmtpClient) -> None:
        if self._idle_s <= 0:
            self._retire(client)
            return
        timer = asyncio.get_running_loop().call_later(self._idle_s, self._expire, client)
        self._idle.append((client, timer))

    def _expire(self, client: SmtpClient) -> None:
        self._idle = [(kept, timer) for kept, timer in self._idle if kept is not client]
        self._retire(client)

    def _retire(self, client: SmtpClient) -> None:
        """QUIT in the background: the mail's record does not wait for the goodbye."""
        task = asyncio.get_running_loop().create_task(_goodbye(client))
        self._leaving.add(task)
        task.add_done_callback(self._leaving.discard)


class _Gate:
    """`prepare`, and whether it has been reached: the line after which a mail is never tried again."""

    def __init__(self, prepare: Prepare | None) -> None:
        self._prepare = prepare
        self.passed = False

    async def pass_(self) -> None:
        self.passed = True
        if self._prepare is not None:
            await self._prepare()


async def _goodbye(client: SmtpClient) -> None:
    try:
        with contextlib.suppress(aiosmtplib.SMTPException, OSError):  # OSError: TimeoutError too
            async with asyncio.timeout(GOODBYE_TIMEOUT_S):
                await client.quit()
    finally:
        client.close()


def _connection_gone(error: BaseException) -> bool:
    """The server closed the connection (idle too long, or going down): not an answer about the mail."""
    if isinstance(error, SMTPResponseException):
        return error.code == SERVICE_CLOSING
    return isinstance(error, ConnectionError) and not isinstance(error, TimeoutError)


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
