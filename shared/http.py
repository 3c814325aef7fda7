"""Health, readiness and Prometheus metrics routes for a service's HTTP port."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from faststream.asgi import AsgiResponse, get
from faststream.asgi.types import ASGIApp, Scope
from prometheus_client import make_asgi_app


def _json(status: int, body: dict[str, Any]) -> AsgiResponse:
    return AsgiResponse(json.dumps(body).encode(), status, headers={"content-type": "application/json"})


def health_routes(checks: Callable[[], Awaitable[dict[str, bool]]]) -> Sequence[tuple[str, ASGIApp]]:
    """`/health/live` answers while the process runs; `/health/ready` when database and broker answer."""

    @get(include_in_schema=False)
    async def live(scope: Scope) -> AsgiResponse:
        return _json(200, {"status": "live"})

    @get(include_in_schema=False)
    async def ready(scope: Scope) -> AsgiResponse:
        results = await checks()
        ok = all(results.values())
        return _json(200 if ok else 503, {"status": "ready" if ok else "not_ready", "checks": results})

    return [("/health/live", live), ("/health", live), ("/health/ready", ready), ("/metrics", make_asgi_app())]
