"""The mailer against a real SMTP server: mails in a row share one connection, a connection the server dropped is
replaced without losing or doubling a mail, an idle one is closed with QUIT, and shutdown closes the rest."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from email.message import EmailMessage

import pytest

from services.notifications.domain import Attempt
from services.notifications.mailer import SmtpMailer, SmtpServer
from tests.support.smtp import CountingSink


@pytest.fixture
def sink() -> Iterator[CountingSink]:
    with CountingSink() as sink:
        yield sink


def _mailer(sink: CountingSink, idle_s: float = 30.0) -> SmtpMailer:
    return SmtpMailer(SmtpServer(sink.host, sink.port, timeout_s=5), idle_s=idle_s)


def _mail(to: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "journey@example.org"
    message["To"] = to
    message["Subject"] = "Meilenstein"
    message["Message-ID"] = f"<{uuid.uuid4()}@example.org>"
    message.set_content("Guten Tag,")
    return message


async def test_mails_in_a_row_go_over_one_connection(sink: CountingSink) -> None:
    mailer = _mailer(sink)
    try:
        attempts = [await mailer.send(_mail(f"desk-{n}@example.org")) for n in range(5)]
        open_meanwhile = sink.open_connections
    finally:
        await mailer.close()

    assert attempts == [Attempt(accepted=True)] * 5
    assert [r.envelope_to for r in sink.received] == [(f"desk-{n}@example.org",) for n in range(5)]
    assert (sink.connections, open_meanwhile) == (1, 1)


async def test_a_connection_the_server_dropped_while_idle_is_replaced(sink: CountingSink) -> None:
    mailer = _mailer(sink)
    try:
        await mailer.send(_mail("desk@example.org"))
        sink.drop_connections()
        await asyncio.sleep(0.2)  # the client has seen the connection close
        attempt = await mailer.send(_mail("desk@example.org"))
    finally:
        await mailer.close()

    assert attempt == Attempt(accepted=True)
    assert len(sink.to("desk@example.org")) == 2
    assert sink.connections == 2


async def test_a_connection_dropped_unnoticed_costs_one_more_try_on_a_fresh_one_and_no_duplicate(
    sink: CountingSink,
) -> None:
    mailer = _mailer(sink)
    prepared = 0

    async def prepare() -> None:
        nonlocal prepared
        prepared += 1

    try:
        await mailer.send(_mail("desk@example.org"))
        sink.drop_connections()  # this loop has not run since: the client still takes the connection for open
        attempt = await mailer.send(_mail("other@example.org"), prepare)
    finally:
        await mailer.close()

    assert attempt == Attempt(accepted=True)
    assert len(sink.to("other@example.org")) == 1
    assert prepared == 1
    assert sink.connections == 2


async def test_a_connection_idle_longer_than_the_setting_is_closed_with_quit(sink: CountingSink) -> None:
    mailer = _mailer(sink, idle_s=0.2)
    try:
        await mailer.send(_mail("desk@example.org"))
        open_after_mail = sink.open_connections
        await asyncio.sleep(1)
        open_after_idle = sink.open_connections
    finally:
        await mailer.close()

    assert (open_after_mail, open_after_idle, sink.quits) == (1, 0, 1)


async def test_closing_the_mailer_says_goodbye_on_every_connection(sink: CountingSink) -> None:
    mailer = _mailer(sink)
    attempts = await asyncio.gather(*(mailer.send(_mail(f"desk-{n}@example.org")) for n in range(3)))
    open_before = sink.open_connections

    await mailer.close()
    await asyncio.sleep(0.2)  # the server's thread has seen the connections close

    assert attempts == [Attempt(accepted=True)] * 3
    assert open_before == 3, "mails sent at the same time each have a connection of their own"
    assert (sink.open_connections, sink.quits) == (0, 3)
