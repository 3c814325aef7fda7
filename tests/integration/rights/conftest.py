"""Service processes for the rights tests, and the operators' command line run as operators run it."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.infra import ROOT, Infra
from tests.support.processes import ServiceProcess, running

STAGES = ("recruitment", "recognition", "qualification", "placement", "notifications", "reporting")


@pytest.fixture
def recruitment(infra: Infra, log_dir: Path) -> Iterator[ServiceProcess]:
    service = ServiceProcess("recruitment", infra, log_dir, RETENTION_REQUEST_POLL_S="0.5").start()
    yield service
    service.stop()


@pytest.fixture
def every_stage(infra: Infra, log_dir: Path) -> Iterator[dict[str, ServiceProcess]]:
    with running({stage: ServiceProcess(stage, infra, log_dir) for stage in STAGES}) as services:
        yield services


async def journey(infra: Infra, *args: str) -> tuple[int, str, str]:
    """`journey <args>` as a process (python -m shared.cli): exit code, standard output, standard error."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "shared.cli",
        *args,
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": infra.database_url},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 180)
    return proc.returncode or 0, out.decode(), err.decode()
