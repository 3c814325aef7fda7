"""How far the read model lags behind the journey: per applied message, the time from its fact (`ce_time`) to the
moment it was applied here. The bench reads `journey_reporting_lag_seconds` from /metrics."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from prometheus_client import Histogram

from shared.unit_of_work import UnitOfWork

LAG_SECONDS = Histogram(
    "journey_reporting_lag_seconds",
    "Time from a fact (its ce_time) to its being applied to the reporting read model.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600),
)

Handler = Callable[[UnitOfWork, Any], Awaitable[None]]


def lagged(handler: Handler) -> Handler:
    """`handler`, observing the message's lag once it has been applied (a redelivery the inbox skips is not)."""

    async def apply(uow: UnitOfWork, message: Any) -> None:
        await handler(uow, message)
        if uow.occurred_at is not None:
            LAG_SECONDS.observe(max(0.0, (uow.now - uow.occurred_at).total_seconds()))

    apply.__name__ = getattr(handler, "__name__", "apply")
    apply.__doc__ = handler.__doc__
    return apply
