"""Sending mails over SMTP (aiosmtplib) on connections kept open between mails, over TLS with the server's certificate
verified, and telling transient failures from permanent refusals."""

from __future__ import annotations

import asyncio
import contextlib
import email.policy
import functools
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
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
Security = Literal["none", "starttls", "tls"]


class StartTlsUnavailable(aiosmtplib.SMTPException):
    """STARTTLS is required and the server did not offer it (or someone on the way took it out of its EHLO reply),
    or refused it: nothing goes out in clear, the attempt fails and is retried like an outage."""


class ConnectionNotSecured(aiosmtplib.SMTPException):
    """About to log in on a connection without TLS: refused, the credentials stay here."""


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
    def supports_extension(self, extension: str, /) -> bool: ...
    async def starttls(self) -> object: ...
    async def login(self, username: str, password: str, /) -> object: ...
    def get_transport_info(self, key: str, /) -> object: ...
    async def mail(self, sender: str, /) -> object: ...
    async def rcpt(self, recipient: str, /) -> object: ...
    async def data(self, message: bytes, /) -> object: ...
    async def quit(self) -> object: ...
    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class SmtpServer:
    """Where the mails go, and how a connection is secured: STARTTLS (required, never skipped) or TLS from the first
    byte, the certificate and host name always verified (against the system's CAs and `ca_file`); or `none` for a
    mail server on this machine. Credentials only with TLS, sent once per connection after it is secured."""

    host: str
    port: int
    security: Security = "none"
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout_s: float = 30.0
    ca_file: Path | None = None

    def __post_init__(self) -> None:
        if self.username is not None and self.security == "none":
            raise ValueError("SMTP credentials are never sent without TLS: set security to starttls or tls")

    def tls_context(self) -> ssl.SSLContext | None:
        """Verifying the server's certificate chain and that it names `host`; None without TLS."""
        if self.security == "none":
            return None
        context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)  # CERT_REQUIRED, check_hostname
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        if self.ca_file is not None:
            context.load_verify_locations(cafile=self.ca_file)
        return context

    def client(self, tls_context: ssl.SSLContext | None = None) -> SmtpClient:
        """A client not connected yet; `SmtpMailer` secures the connection and logs in itself, step by step."""
        return aiosmtplib.SMTP(
            hostname=self.host,
            port=self.port,
            use_tls=self.security == "tls",
            start_tls=False,  # never aiosmtplib's opportunistic upgrade: STARTTLS is required or not used
            tls_context=tls_context,
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
        self._server = server
        self._idle_s = idle_s
        # One TLS context for every connection: the CA certificates are read once.
        self._new_client = new_client or functools.partial(server.client, server.tls_context())
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
            await client.connect()  # TLS from the first byte with `tls`
            if client.is_ehlo_or_helo_needed:
                await client.ehlo()
            if self._server.security == "starttls":
                await _start_tls(client)
            if self._server.username is not None:
                if client.get_transport_info("sslcontext") is None:
                    raise ConnectionNotSecured("not logging in on a connection without TLS")
                await client.login(self._server.username, self._server.password or "")
        except BaseException as error:
            client.close()
            if (failure := _tls_failure(error)) is not None:
                s = self._server
                log.warning(
                    "smtp_tls_failed", error=failure, host=s.host, port=s.port, security=s.security, reason=str(error)
                )
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


async def _start_tls(client: SmtpClient) -> None:
    """Upgrade to TLS, or fail: a server that does not offer it gets nothing in clear (no fallback)."""
    if not client.supports_extension("starttls"):
        raise StartTlsUnavailable("STARTTLS required, and the server did not offer it")
    try:
        await client.starttls()  # verifies the certificate and the host name
    except SMTPResponseException as error:  # not a verdict on the mail, even a 5xx
        raise StartTlsUnavailable(f"STARTTLS refused: {error.code} {error.message}") from error
    await client.ehlo()  # what the server said before TLS is forgotten (RFC 3207 4.2): ask again


def _tls_failure(error: BaseException) -> str | None:
    """The audit's code for a connection that could not be secured, or None for any other error. aiosmtplib raises
    a handshake's error as it is (STARTTLS) or as the cause of its connect error (TLS from the first byte)."""
    if isinstance(error, StartTlsUnavailable):
        return "starttls_unavailable"
    if isinstance(error, ConnectionNotSecured):
        return "connection_not_secured"
    handshake = error.__cause__ if isinstance(error, aiosmtplib.SMTPConnectError) else error
    if isinstance(handshake, ssl.SSLCertVerificationError):
        return "tls_certificate_rejected"
    if isinstance(handshake, ssl.SSLError):
        return "tls_failed"
    return None


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
    """5xx for the recipient or the message is permanent; connection trouble, a connection that could not be secured
    (retried like an outage: the server or someone on the way may be at fault), 4xx and our own login are not."""
    if (failure := _tls_failure(error)) is not None:
        return Attempt(accepted=False, error=failure)
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
