"""Finds a real Kafka and PostgreSQL: the ones the environment names, else testcontainers, else deploy/."""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from aiokafka.admin import AIOKafkaAdminClient

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "deploy" / "infra.sh"


@dataclass
class Infra:
    kafka: str
    database_url: str
    origin: str  # environment, testcontainers or local
    local: bool  # deploy/infra.sh controls it (for outage and kill tests)

    def control(self, action: str) -> None:
        """`pg-stop`, `pg-start`, `kafka-kill`, ... on the local stack."""
        if not self.local:
            raise RuntimeError(f"{action} needs the local stack from deploy/infra.sh; this one is {self.origin}")
        subprocess.run(["bash", str(INFRA), action], check=True, stdout=subprocess.DEVNULL)


async def _answers(kafka: str, database_url: str) -> str | None:
    """None when both answer, else what does not."""
    try:
        conn = await asyncio.wait_for(asyncpg.connect(database_url), 5)
        await conn.close()
    except Exception as error:
        return f"PostgreSQL at {database_url}: {error!r}"
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka, request_timeout_ms=5000)
    try:
        await asyncio.wait_for(admin.start(), 10)
        await admin.list_topics()
    except Exception as error:
        return f"Kafka at {kafka}: {error!r}"
    finally:
        await admin.close()
    return None


def _local_runs() -> bool:
    return subprocess.run(["bash", str(INFRA), "status"], capture_output=True).returncode == 0


def _docker_answers() -> bool:
    try:
        import docker

        docker.from_env().ping()
        return True
    except Exception:
        return False


@contextmanager
def real_infrastructure() -> Iterator[Infra]:
    """Yield a reachable Kafka and PostgreSQL; fail loudly when none can be had."""
    kafka, database = os.environ.get("KAFKA_BOOTSTRAP_SERVERS"), os.environ.get("DATABASE_URL")
    if kafka and database:
        problem = asyncio.run(_answers(kafka, database))
        if problem:
            raise RuntimeError(f"the environment names infrastructure that does not answer: {problem}")
        yield Infra(kafka, database, "environment", local=_local_runs())
        return
    if _docker_answers():
        from testcontainers.kafka import KafkaContainer
        from testcontainers.postgres import PostgresContainer

        with KafkaContainer().with_kraft() as k, PostgresContainer("postgres:15", driver=None) as pg:
            yield Infra(k.get_bootstrap_server(), pg.get_connection_url(), "testcontainers", local=False)
        return
    already = _local_runs()
    out = subprocess.run(["bash", str(INFRA), "up"], check=True, capture_output=True, text=True).stdout
    values = dict(line.removeprefix("export ").split("=", 1) for line in out.splitlines() if "=" in line)
    try:
        yield Infra(values["KAFKA_BOOTSTRAP_SERVERS"], values["DATABASE_URL"], "local", local=True)
    finally:
        if not already:
            subprocess.run(["bash", str(INFRA), "down"], check=False)
