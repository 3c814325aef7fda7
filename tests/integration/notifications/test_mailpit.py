"""The mail catcher of `make run` and compose, for real: the Mailpit binary `deploy/infra.sh tools` builds, requiring
STARTTLS with a certificate from a CA of the test's own, receives a milestone mail from the notifications service (a
process, mailing over STARTTLS with SMTP_CA_FILE), and the mail is read back through Mailpit's REST API."""

from __future__ import annotations

import asyncio
import json
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.integration.notifications.support import FAST, Publisher, World, coordinator
from tests.support.binaries import binary
from tests.support.infra import Infra
from tests.support.processes import ServiceProcess, free_port
from tests.support.tls import Certificates, make_certificates


@dataclass(frozen=True)
class Mailpit:
    """A running Mailpit: its SMTP port and its web UI's and API's address."""

    smtp_port: int
    web: str

    def api(self, path: str) -> Any:
        with urllib.request.urlopen(f"{self.web}/api/v1/{path}", timeout=5) as response:
            return json.load(response)

    async def messages_to(self, address: str, timeout_s: float = 30) -> list[dict[str, Any]]:
        """The summaries of the messages to `address`, once there is one (or [] after `timeout_s`)."""
        deadline = time.monotonic() + timeout_s
        while True:
            found = [m for m in self.api("messages")["messages"] if address in {to["Address"] for to in m["To"]}]
            if found or time.monotonic() > deadline:
                return found
            await asyncio.sleep(0.3)


@pytest.fixture
def certificates(tmp_path: Path) -> Certificates:
    return make_certificates(tmp_path / "tls")


@pytest.fixture
def mailpit(tmp_path: Path, certificates: Certificates) -> Iterator[Mailpit]:
    smtp_port, web_port = free_port(), free_port()
    log = (tmp_path / "mailpit.log").open("wb")
    proc = subprocess.Popen(
        [
            str(binary("mailpit")),
            "--smtp", f"127.0.0.1:{smtp_port}", "--listen", f"127.0.0.1:{web_port}",
            "--database", str(tmp_path / "mailpit.db"),
            "--smtp-tls-cert", str(certificates.cert), "--smtp-tls-key", str(certificates.key),
            "--smtp-require-starttls", "--disable-version-check",
        ],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    server = Mailpit(smtp_port, f"http://127.0.0.1:{web_port}")
    try:
        wait_ready(server, proc, tmp_path / "mailpit.log")
        yield server
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


def wait_ready(server: Mailpit, proc: subprocess.Popen[bytes], log: Path, timeout_s: float = 20) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"mailpit exited: {log.read_text()}"
        try:
            with urllib.request.urlopen(f"{server.web}/readyz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"mailpit not ready within {timeout_s:.0f} s: {log.read_text()}")


@pytest.fixture
def notifications_to_mailpit(
    infra: Infra, log_dir: Path, mailpit: Mailpit, certificates: Certificates
) -> Iterator[ServiceProcess]:
    service = ServiceProcess(
        "notifications", infra, log_dir, SMTP_HOST="localhost", SMTP_PORT=str(mailpit.smtp_port),
        SMTP_SECURITY="starttls", SMTP_CA_FILE=str(certificates.ca), **FAST,
    ).start()  # fmt: skip
    yield service
    service.stop()


async def test_a_milestone_mail_sent_over_starttls_is_read_back_through_mailpits_api(
    infra: Infra, publisher: Publisher, mailpit: Mailpit, notifications_to_mailpit: ServiceProcess, world: World
) -> None:
    desk = await coordinator(publisher, infra.kafka, world)
    recruited = world.recruited()
    await publisher.send(recruited)

    [summary] = await mailpit.messages_to(desk)
    message = mailpit.api(f"message/{summary['ID']}")

    short = str(recruited.participant_id)[:8]
    assert [to["Address"] for to in message["To"]] == [desk]
    assert message["Subject"] == f"Integration Journey: Teilnehmende aufgenommen (Teilnehmende {short}…)"
    assert message["MessageID"] and message["MessageID"] == summary["MessageID"]
    assert message["From"]["Address"] == "journey@example.org"
    assert "aufgenommen" in message["Text"] and short in message["Text"]


def test_the_web_ui_serves_its_bundle(mailpit: Mailpit) -> None:
    """The Go module holds no web UI: `deploy/infra.sh tools` builds it with npm. Without it the page is blank."""
    with urllib.request.urlopen(f"{mailpit.web}/", timeout=5) as response:
        page = response.read().decode()
    assert 'src="/dist/app.js' in page
    with urllib.request.urlopen(f"{mailpit.web}/dist/app.js", timeout=5) as response:
        assert response.status == 200 and len(response.read()) > 100_000
