"""Health, readiness and Prometheus metrics routes for a service's HTTP port."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from faststream.asgi import AsgiResponse, get
from faststream.asgi.types import ASGIApp, Scope
from prometheus_client import make_asgi_app


def _json(status: int, body: dict[str, Any]) -> AsgiResponse:
    return AsgiResponse(json.dumps(body).encode(), status, headers={"content-type": "application/json"})


@dataclass(frozen=True)
class Readiness:
    """What `/health/ready` answers: each check, and why the service is not ready (or what needs an eye)."""

    checks: dict[str, bool]
    problems: list[str] = field(default_factory=list)
    """Reasons the service is not ready although its checks pass, e.g. a partition stuck on one record."""
    notes: list[str] = field(default_factory=list)
    """Things for operators that do not stop the service, e.g. outbox rows set aside."""

    @property
    def ready(self) -> bool:
        return all(self.checks.values()) and not self.problems


def health_routes(readiness: Callable[[], Awaitable[Readiness]]) -> Sequence[tuple[str, ASGIApp]]:
    """`/health/live` answers while the process runs; `/health/ready` when database and broker answer, every
    consumer moves and the outbox drains."""

    @get(include_in_schema=False)
    async def live(scope: Scope) -> AsgiResponse:
        return _json(200, {"status": "live"})

    @get(include_in_schema=False)
    async def ready(scope: Scope) -> AsgiResponse:
        state = await readiness()
        body: dict[str, Any] = {"status": "ready" if state.ready else "not_ready", "checks": state.checks}
        if state.problems:
            body["problems"] = state.problems
        if state.notes:
            body["notes"] = state.notes
        return _json(200 if state.ready else 503, body)

    return [("/health/live", live), ("/health", live), ("/health/ready", ready), ("/metrics", make_asgi_app())]
