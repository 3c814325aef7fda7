"""All five services as separate processes on the real broker and database, mailing a real SMTP server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.infra import Infra
from tests.support.processes import ServiceProcess
from tests.support.smtp import SmtpSink

STAGES = ("recruitment", "recognition", "qualification", "placement", "notifications")


@pytest.fixture(scope="module")
def smtp() -> Iterator[SmtpSink]:
    with SmtpSink() as sink:
        yield sink


@pytest.fixture(scope="module")
def journey_services(infra: Infra, log_dir: Path, smtp: SmtpSink) -> Iterator[dict[str, ServiceProcess]]:
    mail = {"SMTP_HOST": smtp.host, "SMTP_PORT": str(smtp.port), "DELIVERY_POLL_INTERVAL_S": "0.2"}
    services = {
        stage: ServiceProcess(stage, infra, log_dir, **(mail if stage == "notifications" else {})).start(wait=False)
        for stage in STAGES
    }
    try:
        for service in services.values():
            service.wait_ready()
        yield services
    finally:
        for service in services.values():
            service.stop()
