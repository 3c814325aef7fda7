"""A recruitment service process per test, on the real broker and database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.infra import Infra
from tests.support.processes import ServiceProcess


@pytest.fixture
def recruitment(infra: Infra, log_dir: Path) -> Iterator[ServiceProcess]:
    service = ServiceProcess("recruitment", infra, log_dir).start()
    yield service
    service.stop()
