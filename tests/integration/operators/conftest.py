"""The operators' command line run as operators run it: a process, as the `journey-operator` principal on the
secured listener when the local stack has one, against service processes on the real broker and database."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support.infra import ROOT, Infra
from tests.support.processes import ServiceProcess, running
from tests.support.secure_kafka import credentials_file, load

OPERATOR = "journey-operator"


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        assert self.out, f"no output (exit {self.code}): {self.err}"
        return json.loads(self.out)


def operator_env(infra: Infra) -> dict[str, str]:
    """The CLI's environment: the operator's credentials when deploy/infra.sh made them (CI always), else the
    loopback development listener."""
    env = {**os.environ, "DATABASE_URL": infra.database_url, "KAFKA_BOOTSTRAP_SERVERS": infra.kafka}
    path = credentials_file(OPERATOR)
    if path is not None:
        env |= {"KAFKA_CREDENTIALS_FILE": str(path), "KAFKA_BOOTSTRAP_SERVERS": load(OPERATOR).bootstrap_servers}
    elif os.environ.get("CI") == "true":
        raise RuntimeError(f"CI runs the operators' CLI on the secured listener, but there is no {OPERATOR}.env")
    return env


async def journey(infra: Infra, *args: str) -> Ran:
    """`journey <args>` as a process (python -m shared.cli)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "shared.cli",
        *args,
        cwd=ROOT,
        env=operator_env(infra),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 180)
    return Ran(proc.returncode or 0, out.decode(), err.decode())


@pytest.fixture(scope="module")
def recruitment_and_recognition(infra: Infra, log_dir: Path) -> Iterator[dict[str, ServiceProcess]]:
    stages = ("recruitment", "recognition")
    with running({stage: ServiceProcess(stage, infra, log_dir) for stage in stages}) as services:
        yield services
