"""Due dates: a periodic sweep raises each passed, unfulfilled timer's event exactly once, via the outbox."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import asyncpg
import structlog

from shared.contracts.topics import Stage
from shared.errors import is_transient
from shared.metrics import TIMER_SWEEP_LAST_RUN, TIMERS_DUE, TIMERS_FAILED, TIMERS_FIRED, TIMERS_OVERDUE
from shared.postgres import connection, transaction
from shared.retry import DEFAULT_BACKOFF, Backoff
from shared.unit_of_work import UnitOfWork

log = structlog.get_logger()

OVERDUE_AFTER_S = 60.0
"""A due date still waiting this long after it came (or two sweep intervals, if longer) is overdue: a sweep that
runs raises it within one round."""


@dataclass(frozen=True, slots=True)
class Timer:
    timer_id: str
    participant_id: UUID
    kind: str
    due_at: datetime
    data: dict[str, Any]


TimerHandler = Callable[[UnitOfWork, Timer], Awaitable[None]]


class TimerSweep:
    """Fires due timers; several instances may sweep at once (rows are locked, skipped when taken)."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        stage: Stage,
        handlers: Mapping[str, TimerHandler],
        *,
        interval_s: float = 10.0,
        batch_size: int = 100,
        backoff: Backoff = DEFAULT_BACKOFF,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._pool = pool
        self._stage = stage
        self._handlers = dict(handlers)
        self._interval_s = interval_s
        self._batch_size = batch_size
        self._backoff = backoff
        self._clock = clock

    async def run(self) -> None:
        while True:
            while await self._backoff.run(self.sweep_once, what="timer_sweep") == self._batch_size:
                pass
            await self._backoff.run(self.measure, what="timer_backlog")
            await asyncio.sleep(self._interval_s)

    async def measure(self) -> None:
        """Publish, after a round, the due dates that have come and wait for their event, those waiting longer than
        a round takes (overdue: the sweep is behind or failing), and when the round completed (an alert sees a sweep
        that stopped)."""
        now = self._clock()
        late = now - timedelta(seconds=max(2 * self._interval_s, OVERDUE_AFTER_S))
        async with connection(self._pool) as conn:
            rows = await conn.fetch(
                "SELECT kind, count(*)::int AS due, (count(*) FILTER (WHERE due_at < $2))::int AS overdue FROM timers"
                " WHERE due_at <= $1 AND fired_at IS NULL AND cancelled_at IS NULL AND kind = ANY($3::text[])"
                " GROUP BY kind",
                now,
                late,
                list(self._handlers),
            )
        found = {row["kind"]: row for row in rows}
        stage = self._stage.value
        for kind in self._handlers:
            row = found.get(kind)
            TIMERS_DUE.labels(stage, kind).set(0 if row is None else row["due"])
            TIMERS_OVERDUE.labels(stage, kind).set(0 if row is None else row["overdue"])
        TIMER_SWEEP_LAST_RUN.labels(stage).set(now.timestamp())

    async def sweep_once(self) -> int:
        """Fire up to one batch of due timers in one transaction; return how many fired."""
        now = self._clock()
        async with transaction(self._pool) as conn:
            rows = await conn.fetch(
                "SELECT timer_id, participant_id, kind, due_at, data FROM timers"
                " WHERE due_at <= $1 AND fired_at IS NULL AND cancelled_at IS NULL AND kind = ANY($2::text[])"
                " ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED",
                now,
                list(self._handlers),
                self._batch_size,
            )
            for row in rows:
                timer = Timer(
                    row["timer_id"], row["participant_id"], row["kind"], row["due_at"], json.loads(row["data"])
                )
                structlog.contextvars.bind_contextvars(participant_id=str(timer.participant_id))
                failure = await self._fire(conn, timer, now)
                await conn.execute(
                    "UPDATE timers SET fired_at = $2, failure = $3 WHERE timer_id = $1", timer.timer_id, now, failure
                )
                if failure is None:
                    TIMERS_FIRED.labels(self._stage.value, timer.kind).inc()
                    log.info("timer_fired", kind=timer.kind, timer_id=timer.timer_id, due_at=timer.due_at.isoformat())
            structlog.contextvars.unbind_contextvars("participant_id")
        return len(rows)

    async def _fire(self, conn: asyncpg.Connection, timer: Timer, now: datetime) -> str | None:
        """Run the timer's handler in a savepoint; None when it ran, else why it failed. An outage propagates (the
        batch is retried); any other failure sets this one timer aside, so it cannot stop the sweep for good."""
        try:
            async with conn.transaction():
                cause = f"timer:{timer.timer_id}:{timer.due_at.isoformat()}"
                await self._handlers[timer.kind](UnitOfWork(conn, self._stage, cause, now), timer)
        except Exception as error:
            if is_transient(error):
                raise
            TIMERS_FAILED.labels(self._stage.value, timer.kind).inc()
            log.exception("timer_failed", kind=timer.kind, timer_id=timer.timer_id)
            return f"{type(error).__name__}: {error}"[:500]
        return None
