"""A recognition service process per test module, on the real broker and database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.infra import Infra
from tests.support.processes import ServiceProcess


@pytest.fixture(scope="module")
def recognition(infra: Infra, log_dir: Path) -> Iterator[ServiceProcess]:
    service = ServiceProcess("recognition", infra, log_dir).start()
    yield service
    service.stop()
