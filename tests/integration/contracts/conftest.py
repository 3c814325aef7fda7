"""A recruitment service to produce real messages for the conformance checks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.infra import Infra
from tests.support.processes import ServiceProcess


@pytest.fixture(scope="module")
def recruitment(infra: Infra, log_dir: Path) -> Iterator[ServiceProcess]:
    service = ServiceProcess("recruitment", infra, log_dir).start()
    yield service
    service.stop()
