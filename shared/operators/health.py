"""Whether the stack answers: Kafka, PostgreSQL and each service's `/health/ready` (its own checks and problems)."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from typing import Any

import asyncpg

from shared.contracts.topics import Stage
from shared.operators.bus import reader
from shared.operators.failures import OperatorError
from shared.settings import ServiceSettings

TIMEOUT_S = 5.0
SERVICES: dict[str, str] = {
    stage.value: f"http://127.0.0.1:{port}" for stage, port in zip(Stage, range(8001, 8007), strict=True)
}
"""Each service's default HTTP address (the services' own default ports, tools/specs.py HTTP_PORTS, which shared
may not import)."""


def check(name: str, ready: bool, detail: Any = None) -> dict[str, Any]:
    return {"name": name, "ready": ready, "detail": detail}


async def kafka(settings: ServiceSettings) -> dict[str, Any]:
    try:
        async with reader(settings) as bus:
            topics = await asyncio.wait_for(bus.admin.list_topics(), TIMEOUT_S)
    except (OperatorError, TimeoutError) as error:
        return check("kafka", False, str(error) or "no answer")
    return check("kafka", True, f"{settings.kafka_bootstrap_servers}: {len(topics)} topics")


async def postgres(settings: ServiceSettings) -> dict[str, Any]:
    try:
        conn = await asyncio.wait_for(asyncpg.connect(settings.database_url), TIMEOUT_S)
        try:
            version = await conn.fetchval("SHOW server_version")
        finally:
            await conn.close()
    except (OSError, TimeoutError, asyncpg.PostgresError) as error:
        return check("postgres", False, f"{type(error).__name__}: {error}")
    return check("postgres", True, f"PostgreSQL {version}")


async def service(name: str, url: str) -> dict[str, Any]:
    """`<url>/health/ready`: 200 is ready; 503 brings the service's own reasons; no answer is down."""
    return await asyncio.to_thread(_ready, name, url.rstrip("/") + "/health/ready")


def _ready(name: str, url: str) -> dict[str, Any]:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
            return check(name, True, json.loads(response.read()))
    except urllib.error.HTTPError as error:
        try:
            body = json.loads(error.read())
        except ValueError:
            body = f"HTTP {error.code}"
        return check(name, False, body)
    except (OSError, ValueError) as error:
        return check(name, False, f"{url}: {getattr(error, 'reason', error)}")


async def health(settings: ServiceSettings, services: dict[str, str]) -> dict[str, Any]:
    checks = await asyncio.gather(
        kafka(settings), postgres(settings), *(service(name, url) for name, url in services.items())
    )
    return {"ready": all(c["ready"] for c in checks), "checks": list(checks)}
