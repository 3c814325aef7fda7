"""Connections kept open between mails: reused one mail at a time, replaced when the server closed them, and tried
again on a fresh one only while nothing was sent; closed when idle and at shutdown. Secured before anything is sent:
STARTTLS required, the login after it, both once per connection."""

from __future__ import annotations

import asyncio
from email.message import EmailMessage

import pytest
from aiosmtplib import SMTPRecipientRefused, SMTPResponseException, SMTPServerDisconnected

from services.notifications.domain import Attempt
from services.notifications.mailer import Security, SmtpMailer, SmtpServer


class _Connection:
    """One client connection to the in-memory server."""

    def __init__(self, server: _Server) -> None:
        self._server = server
        self.is_connected = False
        self.is_ehlo_or_helo_needed = True
        self.quit_said = False
        self.lost_unnoticed = False  # closed by the server, not seen by the client yet
        self.tls = False

    async def connect(self) -> None:
        self.is_connected = True
        self.tls = self._server.tls_from_the_start

    async def ehlo(self) -> None:
        self._server.said.append("EHLO")
        self.is_ehlo_or_helo_needed = False

    def supports_extension(self, extension: str, /) -> bool:
        return extension == "starttls" and self._server.offers_starttls and not self.tls

    async def starttls(self) -> None:
        await self._command("STARTTLS")
        if self._server.starttls_reply is not None:
            raise SMTPResponseException(self._server.starttls_reply, "TLS not available")
        self.tls = True
        self.is_ehlo_or_helo_needed = True  # what the server said before TLS is forgotten

    async def login(self, username: str, password: str, /) -> None:
        await self._command("AUTH over TLS" if self.tls else "AUTH in clear")

    def get_transport_info(self, key: str, /) -> object:
        return object() if key == "sslcontext" and self.tls else None

    async def mail(self, sender: str, /) -> None:
        await self._command("MAIL")

    async def rcpt(self, recipient: str, /) -> None:
        await self._command("RCPT")
        if recipient in self._server.refused:
            raise SMTPRecipientRefused(550, "no such mailbox", recipient)

    async def data(self, message: bytes, /) -> None:
        await self._command("DATA")
        await self._server.data_goes_through.wait()
        self._server.accepted.append(message)

    async def quit(self) -> None:
        await self._command("QUIT")
        self.quit_said = True
        self.close()

    def close(self) -> None:
        self.is_connected = False

    async def _command(self, verb: str) -> None:
        self._server.said.append(verb)
        await asyncio.sleep(0)
        if self.lost_unnoticed or not self.is_connected:
            self.close()
            raise SMTPServerDisconnected("Connection lost")
        if self._server.reply_421_to == verb:
            self._server.reply_421_to = None
            self.close()
            raise SMTPResponseException(421, "closing: idle too long")


class _Server:
    """An in-memory mail server: the connections opened to it, what it accepted, and faults to inject."""

    def __init__(self) -> None:
        self.connections: list[_Connection] = []
        self.accepted: list[bytes] = []
        self.refused: set[str] = set()
        self.reply_421_to: str | None = None
        self.data_goes_through = asyncio.Event()
        self.data_goes_through.set()
        self.offers_starttls = True
        self.starttls_reply: int | None = None  # a refusal, instead of 220
        self.tls_from_the_start = False
        self.said: list[str] = []  # what the clients said, in order

    def client(self) -> _Connection:
        connection = _Connection(self)
        self.connections.append(connection)
        return connection

    def close_all(self, *, noticed: bool) -> None:
        for connection in self.connections:
            if noticed:
                connection.close()
            else:
                connection.lost_unnoticed = True

    @property
    def open(self) -> list[_Connection]:
        return [c for c in self.connections if c.is_connected]


class _Prepare:
    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self) -> None:
        self.calls += 1


def _mailer(
    server: _Server, idle_s: float = 30.0, security: Security = "none", username: str | None = None
) -> SmtpMailer:
    smtp = SmtpServer("mail.example.org", 25, security, username, "secret" if username else None)
    return SmtpMailer(smtp, idle_s=idle_s, new_client=server.client)


def _mail(to: str = "desk@example.org") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "journey@example.org"
    message["To"] = to
    message.set_content("Guten Tag,")
    return message


async def test_mails_in_a_row_share_one_connection_without_a_goodbye_in_between() -> None:
    server = _Server()
    mailer = _mailer(server)

    attempts = [await mailer.send(_mail()) for _ in range(3)]

    assert attempts == [Attempt(accepted=True)] * 3
    assert len(server.accepted) == 3
    assert len(server.connections) == 1 and not server.connections[0].quit_said
    await mailer.close()


async def test_mails_sent_at_the_same_time_each_have_their_own_connection_and_the_last_used_is_used_next() -> None:
    server = _Server()
    mailer = _mailer(server)
    server.data_goes_through.clear()
    both = asyncio.gather(mailer.send(_mail()), mailer.send(_mail()))
    await asyncio.sleep(0.01)
    assert len(server.connections) == 2  # both inside their DATA at once
    server.data_goes_through.set()
    await both

    await mailer.send(_mail())

    assert len(server.connections) == 2
    assert len(server.accepted) == 3
    await mailer.close()


async def test_a_kept_connection_the_server_closed_is_let_go_before_anything_is_sent() -> None:
    server = _Server()
    mailer = _mailer(server)
    await mailer.send(_mail())
    server.close_all(noticed=True)
    prepare = _Prepare()

    attempt = await mailer.send(_mail(), prepare)

    assert attempt == Attempt(accepted=True)
    assert (len(server.connections), prepare.calls, len(server.accepted)) == (2, 1, 2)
    await mailer.close()


@pytest.mark.parametrize("fault", ["disconnected", "421"])
async def test_a_kept_connection_found_gone_before_prepare_costs_a_second_try_on_a_fresh_one(fault: str) -> None:
    server = _Server()
    mailer = _mailer(server)
    await mailer.send(_mail())
    if fault == "disconnected":
        server.close_all(noticed=False)
    else:
        server.reply_421_to = "MAIL"
    prepare = _Prepare()

    attempt = await mailer.send(_mail(), prepare)

    assert attempt == Attempt(accepted=True)
    assert (len(server.connections), prepare.calls, len(server.accepted)) == (2, 1, 2)
    await mailer.close()


async def test_a_connection_lost_after_prepare_ran_is_the_attempt_s_outcome_and_not_tried_again() -> None:
    server = _Server()
    mailer = _mailer(server)
    await mailer.send(_mail())
    server.reply_421_to = "DATA"
    prepare = _Prepare()

    attempt = await mailer.send(_mail(), prepare)

    assert attempt == Attempt(accepted=False, error="smtp_421")
    assert (len(server.connections), prepare.calls, len(server.accepted)) == (1, 1, 1)
    await mailer.close()


async def test_a_fresh_connection_that_fails_is_the_attempt_s_outcome_and_not_tried_again() -> None:
    server = _Server()
    mailer = _mailer(server)
    server.reply_421_to = "MAIL"

    attempt = await mailer.send(_mail())

    assert attempt == Attempt(accepted=False, error="smtp_421")
    assert (len(server.connections), len(server.accepted)) == (1, 0)


async def test_a_refusal_on_a_kept_connection_is_the_answer_and_the_connection_is_not_kept() -> None:
    server = _Server()
    mailer = _mailer(server)
    await mailer.send(_mail())
    server.refused.add("gone@example.org")

    refused = await mailer.send(_mail("gone@example.org"))
    after = await mailer.send(_mail())

    assert refused.permanent and refused.error == "smtp_550"
    assert after == Attempt(accepted=True)
    assert len(server.connections) == 2 and not server.connections[0].is_connected
    await mailer.close()


async def test_a_mail_called_off_in_prepare_closes_its_connection() -> None:
    server = _Server()
    mailer = _mailer(server)

    async def call_off() -> None:
        raise LookupError("suppressed meanwhile")

    with pytest.raises(LookupError):
        await mailer.send(_mail(), call_off)

    assert server.open == [] and server.accepted == []


async def test_a_connection_idle_longer_than_the_setting_is_closed_with_quit() -> None:
    server = _Server()
    mailer = _mailer(server, idle_s=0.05)
    await mailer.send(_mail())
    assert len(server.open) == 1

    await asyncio.sleep(0.2)

    assert server.open == [] and server.connections[0].quit_said
    await mailer.send(_mail())
    assert len(server.connections) == 2
    await mailer.close()


async def test_without_an_idle_time_each_mail_has_a_connection_of_its_own() -> None:
    server = _Server()
    mailer = _mailer(server, idle_s=0)

    await mailer.send(_mail())
    await mailer.send(_mail())
    await mailer.close()

    assert len(server.connections) == 2
    assert all(c.quit_said for c in server.connections)


async def test_closing_the_mailer_says_goodbye_on_every_idle_connection() -> None:
    server = _Server()
    mailer = _mailer(server)
    await asyncio.gather(*(mailer.send(_mail()) for _ in range(3)))

    await mailer.close()

    assert len(server.connections) == 3
    assert server.open == [] and all(c.quit_said for c in server.connections)


async def test_starttls_comes_first_then_the_login_both_once_per_connection() -> None:
    server = _Server()
    mailer = _mailer(server, security="starttls", username="journey")

    attempts = [await mailer.send(_mail()) for _ in range(2)]

    assert attempts == [Attempt(accepted=True)] * 2
    assert server.said == ["EHLO", "STARTTLS", "EHLO", "AUTH over TLS", *["MAIL", "RCPT", "DATA"] * 2]
    await mailer.close()


async def test_a_server_not_offering_starttls_gets_neither_mail_nor_login_and_the_mail_is_retried() -> None:
    server = _Server()
    server.offers_starttls = False
    mailer = _mailer(server, security="starttls", username="journey")

    attempt = await mailer.send(_mail())

    assert attempt == Attempt(accepted=False, permanent=False, error="starttls_unavailable")
    assert server.said == ["EHLO"] and server.open == [] and server.accepted == []


@pytest.mark.parametrize("reply", [454, 502])
async def test_a_server_refusing_starttls_gets_no_mail_and_the_mail_is_retried_even_after_a_5xx(reply: int) -> None:
    server = _Server()
    server.starttls_reply = reply
    mailer = _mailer(server, security="starttls", username="journey")

    attempt = await mailer.send(_mail())

    assert attempt == Attempt(accepted=False, permanent=False, error="starttls_unavailable")
    assert server.said == ["EHLO", "STARTTLS"] and server.open == [] and server.accepted == []


async def test_tls_from_the_first_byte_logs_in_without_starttls() -> None:
    server = _Server()
    server.tls_from_the_start = True
    mailer = _mailer(server, security="tls", username="journey")

    assert await mailer.send(_mail()) == Attempt(accepted=True)
    assert server.said == ["EHLO", "AUTH over TLS", "MAIL", "RCPT", "DATA"]
    await mailer.close()


async def test_a_login_on_a_connection_that_is_not_secured_is_not_tried() -> None:
    server = _Server()  # "tls" configured, and yet the connection came up in clear
    mailer = _mailer(server, security="tls", username="journey")

    attempt = await mailer.send(_mail())

    assert attempt == Attempt(accepted=False, error="connection_not_secured")
    assert server.said == ["EHLO"] and server.accepted == []


async def test_without_tls_there_is_neither_starttls_nor_login() -> None:
    server = _Server()
    mailer = _mailer(server)

    await mailer.send(_mail())

    assert server.said == ["EHLO", "MAIL", "RCPT", "DATA"]
    await mailer.close()
