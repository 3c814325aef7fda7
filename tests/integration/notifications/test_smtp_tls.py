"""SMTP over TLS against a real mail server (aiosmtpd) with certificates from a throwaway CA: mails go over STARTTLS
or TLS from the first byte with the certificate and host name verified, logins only once the connection is secured;
a certificate the CA did not sign, or a server not offering STARTTLS, gets nothing (no mail, no password) and the
mail is retried; the service refuses at start-up to mail or log in in clear over a network."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword

from services.notifications.domain import Attempt
from services.notifications.mailer import Security, SmtpMailer, SmtpServer
from tests.integration.notifications.support import Publisher, World, coordinator, notifications_process
from tests.support.infra import Infra
from tests.support.processes import ServiceProcess
from tests.support.smtp import CountingSink, tls_version
from tests.support.tls import Certificates, make_certificates

LOGIN, PASSWORD = "journey-mailer", "correct-horse-battery"


@pytest.fixture(scope="session")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return make_certificates(tmp_path_factory.mktemp("smtp-tls"))


@pytest.fixture(scope="session")
def other_ca(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    """A server certificate for the same names, from a CA nobody here trusts."""
    return make_certificates(tmp_path_factory.mktemp("smtp-tls-other"), ca_name="Some other CA")


class Logins:
    """aiosmtpd's authenticator: accepts LOGIN/PASSWORD, and records every login tried and whether it came over TLS."""

    def __init__(self) -> None:
        self.tried: list[tuple[str, str | None]] = []

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        assert isinstance(data, LoginPassword)
        self.tried.append((data.login.decode(), tls_version(server)))
        return AuthResult(success=(data.login.decode(), data.password.decode()) == (LOGIN, PASSWORD), handled=False)


def _starttls_sink(certificates: Certificates, **options: Any) -> CountingSink:
    return CountingSink(tls_context=certificates.server_context(), require_starttls=True, **options)


def _implicit_tls_sink(certificates: Certificates, **options: Any) -> CountingSink:
    # aiosmtpd counts only STARTTLS as TLS for AUTH: from the first byte the whole connection is TLS anyway.
    return CountingSink(ssl_context=certificates.server_context(), auth_require_tls=False, **options)


@pytest.fixture
def logins() -> Logins:
    return Logins()


def _mailer(
    sink: CountingSink, security: Security, ca: Path | None, *, host: str = "localhost", login: bool = False
) -> SmtpMailer:
    username, password = (LOGIN, PASSWORD) if login else (None, None)
    return SmtpMailer(SmtpServer(host, sink.port, security, username, password, timeout_s=5, ca_file=ca))


def _mail(to: str = "desk@example.org") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "journey@example.org"
    message["To"] = to
    message["Subject"] = "Meilenstein"
    message["Message-ID"] = f"<{uuid.uuid4()}@example.org>"
    message.set_content("Guten Tag,")
    return message


async def _send(mailer: SmtpMailer, count: int = 1) -> list[Attempt]:
    try:
        return [await mailer.send(_mail(f"desk-{n}@example.org")) for n in range(count)]
    finally:
        await mailer.close()


@pytest.fixture
def sink_factory() -> Iterator[list[CountingSink]]:
    sinks: list[CountingSink] = []
    yield sinks
    for sink in sinks:
        sink.stop()


def _started(sinks: list[CountingSink], sink: CountingSink) -> CountingSink:
    sinks.append(sink.start())
    return sink


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
async def test_mails_go_over_starttls_verified_against_the_ca_on_one_connection(
    certificates: Certificates, sink_factory: list[CountingSink], host: str
) -> None:
    sink = _started(sink_factory, _starttls_sink(certificates))

    attempts = await _send(_mailer(sink, "starttls", certificates.ca, host=host), count=3)

    assert attempts == [Attempt(accepted=True)] * 3
    assert len(sink.received) == 3
    assert sink.tls and all(version in {"TLSv1.2", "TLSv1.3"} for version in sink.tls), sink.tls
    assert sink.connections == 1, "the TLS connection is kept for the next mail"


async def test_mails_go_over_tls_from_the_first_byte_verified_against_the_ca_on_one_connection(
    certificates: Certificates, sink_factory: list[CountingSink]
) -> None:
    sink = _started(sink_factory, _implicit_tls_sink(certificates))

    attempts = await _send(_mailer(sink, "tls", certificates.ca), count=3)

    assert attempts == [Attempt(accepted=True)] * 3
    assert len(sink.tls) == 3 and None not in sink.tls
    assert sink.connections == 1


@pytest.mark.parametrize("security", ["starttls", "tls"])
async def test_a_server_certificate_from_another_ca_gets_nothing_and_the_mail_is_retried(
    certificates: Certificates,
    other_ca: Certificates,
    sink_factory: list[CountingSink],
    logins: Logins,
    security: Security,
) -> None:
    make = _starttls_sink if security == "starttls" else _implicit_tls_sink
    sink = _started(sink_factory, make(other_ca, authenticator=logins))

    [attempt] = await _send(_mailer(sink, security, certificates.ca, login=True))

    assert attempt == Attempt(accepted=False, permanent=False, error="tls_certificate_rejected")
    assert (sink.received, sink.tls, logins.tried) == ([], [], [])


async def test_a_certificate_for_another_host_name_is_rejected(
    tmp_path: Path, sink_factory: list[CountingSink]
) -> None:
    elsewhere = make_certificates(tmp_path, dns=["mail.example.org"], ips=[])
    sink = _started(sink_factory, _starttls_sink(elsewhere))

    [attempt] = await _send(_mailer(sink, "starttls", elsewhere.ca, host="127.0.0.1"))

    assert attempt == Attempt(accepted=False, error="tls_certificate_rejected")
    assert sink.received == []


async def test_a_server_without_starttls_gets_neither_the_mail_nor_the_password(
    certificates: Certificates, sink_factory: list[CountingSink], logins: Logins
) -> None:
    # A server (or someone on the way) that offers no STARTTLS but would take a login in clear.
    sink = _started(sink_factory, CountingSink(authenticator=logins, auth_require_tls=False))

    [attempt] = await _send(_mailer(sink, "starttls", certificates.ca, login=True))

    assert attempt == Attempt(accepted=False, permanent=False, error="starttls_unavailable")
    assert (sink.received, logins.tried) == ([], [])


async def test_a_login_goes_over_starttls_once_per_connection(
    certificates: Certificates, sink_factory: list[CountingSink], logins: Logins
) -> None:
    sink = _started(sink_factory, _starttls_sink(certificates, authenticator=logins, auth_required=True))

    attempts = await _send(_mailer(sink, "starttls", certificates.ca, login=True), count=2)

    assert attempts == [Attempt(accepted=True)] * 2
    assert [(login, version is not None) for login, version in logins.tried] == [(LOGIN, True)]


async def test_a_login_goes_over_tls_from_the_first_byte(
    certificates: Certificates, sink_factory: list[CountingSink], logins: Logins
) -> None:
    sink = _started(sink_factory, _implicit_tls_sink(certificates, authenticator=logins))

    attempts = await _send(_mailer(sink, "tls", certificates.ca, login=True))

    assert attempts == [Attempt(accepted=True)]
    assert [(login, version is not None) for login, version in logins.tried] == [(LOGIN, True)]


async def test_a_wrong_password_is_retried_not_given_up(
    certificates: Certificates, sink_factory: list[CountingSink]
) -> None:
    sink = _started(sink_factory, _starttls_sink(certificates, authenticator=Logins(), auth_required=True))
    server = SmtpServer("localhost", sink.port, "starttls", LOGIN, "wrong", timeout_s=5, ca_file=certificates.ca)

    [attempt] = await _send(SmtpMailer(server))

    assert attempt == Attempt(accepted=False, permanent=False, error="smtp_535")
    assert sink.received == []


def test_credentials_without_tls_are_refused_before_anything_is_sent() -> None:
    with pytest.raises(ValueError, match="never sent without TLS"):
        SmtpServer("127.0.0.1", 1025, "none", LOGIN, PASSWORD)


async def test_the_service_mails_over_starttls_with_its_ca_file_and_login(
    infra: Infra,
    log_dir: Path,
    publisher: Publisher,
    world: World,
    certificates: Certificates,
    sink_factory: list[CountingSink],
    logins: Logins,
) -> None:
    sink = _started(sink_factory, _starttls_sink(certificates, authenticator=logins, auth_required=True))
    service = notifications_process(
        infra,
        log_dir,
        sink,
        SMTP_SECURITY="starttls",
        SMTP_CA_FILE=str(certificates.ca),
        SMTP_USERNAME=LOGIN,
        SMTP_PASSWORD=PASSWORD,
    ).start()
    try:
        desk = await coordinator(publisher, infra.kafka, world)
        await publisher.send(world.recruited())
        [mail] = await sink.wait_for(desk)
    finally:
        service.stop()

    assert mail["X-Journey-Milestone"] == "participant_recruited"
    assert sink.tls and None not in sink.tls
    assert logins.tried and all(version is not None for _, version in logins.tried)


async def test_the_service_retries_a_server_whose_certificate_fails_and_says_why(
    infra: Infra,
    log_dir: Path,
    publisher: Publisher,
    world: World,
    certificates: Certificates,
    other_ca: Certificates,
    sink_factory: list[CountingSink],
    db: asyncpg.Connection,
) -> None:
    sink = _started(sink_factory, _starttls_sink(other_ca))
    service = notifications_process(
        infra, log_dir, sink, SMTP_SECURITY="starttls", SMTP_CA_FILE=str(certificates.ca)
    ).start()
    try:
        await coordinator(publisher, infra.kafka, world)
        await publisher.send(world.recruited())
        rows = await _attempted_at_least(db, world.recipient("desk"), 2)
    finally:
        service.stop()

    assert [(r["status"], r["last_error"]) for r in rows] == [("pending", "tls_certificate_rejected")]
    assert sink.received == []
    logged = [json.loads(line) for line in service.log_path.read_text().splitlines() if line.startswith("{")]
    assert any(line.get("event") == "smtp_tls_failed" for line in logged), service.tail()


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"SMTP_HOST": "mail.example.org"}, "SMTP_SECURITY=none sends mails in clear"),
        ({"SMTP_USERNAME": LOGIN, "SMTP_PASSWORD": PASSWORD}, "never sent without TLS"),
    ],
)
def test_the_service_refuses_to_start_to_mail_or_log_in_in_clear(
    infra: Infra, log_dir: Path, env: dict[str, str], says: str
) -> None:
    service = ServiceProcess("notifications", infra, log_dir, SMTP_SECURITY="none", **env).start(wait=False)

    assert service.wait_exit(timeout_s=30) != 0
    assert says in service.log_path.read_text()


async def _attempted_at_least(db: asyncpg.Connection, recipient_id: str, attempts: int) -> list[asyncpg.Record]:
    async with asyncio.timeout(30):
        while True:
            rows = await db.fetch(
                "SELECT status, attempts, last_error FROM deliveries WHERE recipient_id = $1", recipient_id
            )
            if rows and all(r["attempts"] >= attempts for r in rows):
                return rows
            await asyncio.sleep(0.2)
