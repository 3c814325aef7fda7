"""All six services as separate processes on the real broker (each as its own principal on the secured listener)
and database, mailing a real SMTP server: one stack
for every end-to-end test, started once and stopped after the last of them (package scope: the integration tests
start services of their own in the same consumer groups, which must not share them with this stack)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.e2e.walking import Bus
from tests.support.infra import Infra
from tests.support.processes import ServiceProcess, running
from tests.support.secure_kafka import service_env
from tests.support.smtp import SmtpSink

STAGES = ("recruitment", "recognition", "qualification", "placement", "notifications", "reporting")


@pytest.fixture(scope="package")
def smtp() -> Iterator[SmtpSink]:
    with SmtpSink() as sink:
        yield sink


@pytest.fixture(scope="package")
def journey_services(infra: Infra, log_dir: Path, smtp: SmtpSink) -> Iterator[dict[str, ServiceProcess]]:
    mail = {"SMTP_HOST": smtp.host, "SMTP_PORT": str(smtp.port), "DELIVERY_POLL_INTERVAL_S": "0.2"}
    # Each service as its own principal on the secured listener: the walks pass only if its ACLs are enough.
    with running(
        {
            stage: ServiceProcess(
                stage, infra, log_dir, **service_env(stage), **(mail if stage == "notifications" else {})
            )
            for stage in STAGES
        }
    ) as services:
        yield services


@pytest.fixture
async def bus(infra: Infra, journey_services: dict[str, ServiceProcess]) -> AsyncIterator[Bus]:
    """Every stage's events and rejections from now on, read once for all the walks a test plays."""
    async with Bus(infra.kafka) as reader:
        yield reader
