"""Prometheus metrics every service exposes on /metrics, and the samplers of the ones measured rather than counted.

One naming scheme: `journey_<what>_<unit>` (counters end in `_total`, ages in `_seconds`, instants in
`_timestamp_seconds`), and the label `service` is the stage on every series, so one query covers all six services.
The dashboard (deploy/grafana) and the alert rules (deploy/prometheus) use these names only; a test holds them to it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import asyncpg
import structlog
from prometheus_client import Counter, Gauge, Histogram

from shared.lag import LagReader
from shared.postgres import pool_use
from shared.settings import ServiceSettings

log = structlog.get_logger()

# From a record's millisecond to the minutes an outage retried with backoff may hold it.
HANDLING_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)

MESSAGES_HANDLED = Counter(
    "journey_messages_handled_total", "Messages handled, by outcome.", ["service", "topic", "outcome"]
)
HANDLING_SECONDS = Histogram(
    "journey_message_handling_seconds",
    "Time to handle one message, retries included.",
    ["service", "topic"],
    buckets=HANDLING_BUCKETS,
)
REJECTIONS = Counter(
    "journey_rejections_total",
    "Messages rejected (published to a rejections topic), by reason code.",
    ["service", "topic", "reason"],
)
CONSUMER_LAG = Gauge(
    "journey_consumer_lag",
    "Records a consumer group has still to handle on a partition (log-end offset minus committed offset).",
    ["service", "group", "topic", "partition"],
)
CONSUMER_BUSY_SECONDS = Gauge(
    "journey_consumer_busy_seconds", "How long a consumer has been handling the record in hand.", ["service", "topic"]
)
OUTBOX_PUBLISHED = Counter("journey_outbox_published_total", "Outbox rows published to Kafka.", ["service"])
OUTBOX_SET_ASIDE = Counter(
    "journey_outbox_set_aside_total", "Outbox rows the broker refused for their content, set aside.", ["service"]
)
OUTBOX_PENDING_ROWS = Gauge("journey_outbox_pending_rows", "Outbox rows waiting to be published.", ["service"])
OUTBOX_OLDEST_PENDING_SECONDS = Gauge(
    "journey_outbox_oldest_pending_seconds", "How long the oldest unpublished outbox row has waited.", ["service"]
)
OUTBOX_SET_ASIDE_ROWS = Gauge(
    "journey_outbox_set_aside_rows", "Outbox rows set aside, kept for operators.", ["service"]
)
TIMERS_FAILED = Counter(
    "journey_timers_failed_total", "Due dates whose handler failed (set aside with the error).", ["service", "kind"]
)
TIMERS_FIRED = Counter(
    "journey_timers_fired_total", "Due dates that passed and raised their event.", ["service", "kind"]
)
TIMERS_DUE = Gauge(
    "journey_timers_due", "Due dates that have come and wait for the sweep to raise their event.", ["service", "kind"]
)
TIMERS_OVERDUE = Gauge(
    "journey_timers_overdue",
    "Due dates waiting longer than a sweep round may take (shared.timers.OVERDUE_AFTER_S): the sweep is behind.",
    ["service", "kind"],
)
TIMER_SWEEP_LAST_RUN = Gauge(
    "journey_timer_sweep_last_run_timestamp_seconds",
    "When the timer sweep last completed a round (Unix time): an old value means the sweep stopped.",
    ["service"],
)
DELIVERY_PENDING = Gauge(
    "journey_delivery_pending", "Mails queued and not sent yet (due now or waiting for a retry).", ["service"]
)
DELIVERY_OLDEST_PENDING_SECONDS = Gauge(
    "journey_delivery_oldest_pending_seconds", "How long the oldest mail not sent yet has waited.", ["service"]
)
MAILS = Counter(
    "journey_mails_total",
    "Mails by outcome: sent, retry (an attempt failed, tried again later), failed (given up), suppressed (not"
    " sent on purpose: opted out, erased, no consent, recipient removed).",
    ["service", "outcome"],
)
DB_POOL_CONNECTIONS = Gauge(
    "journey_db_pool_connections", "The database pool's open connections, in use or idle.", ["service", "state"]
)
DB_POOL_MAX = Gauge("journey_db_pool_max", "The most connections the database pool opens.", ["service"])
READY = Gauge("journey_ready", "1 when the service is ready (health/ready answers 200), else 0.", ["service"])


def observe_pool(service: str, pool: asyncpg.Pool) -> None:
    """Publish how much of the database pool is in use: a pool at its maximum makes every message wait."""
    use = pool_use(pool)
    DB_POOL_CONNECTIONS.labels(service, "in_use").set(use.in_use)
    DB_POOL_CONNECTIONS.labels(service, "idle").set(use.idle)
    DB_POOL_MAX.labels(service).set(use.max)


class ConsumerLagSampler:
    """Publishes the lag of a service's own consumer groups, read from the broker with one long-lived `LagReader`.

    A reading that fails (the broker away, a timeout) is logged and the reader let go; the next round opens a new
    one, so an outage never stops the sampling and the gauges keep their last values meanwhile.
    """

    def __init__(self, settings: ServiceSettings, service: str, groups: Sequence[str], timeout_s: float = 5.0) -> None:
        self._settings = settings
        self._service = service
        self._groups = list(groups)
        self._timeout_s = timeout_s
        self._reader: LagReader | None = None

    async def sample(self) -> None:
        try:
            async with asyncio.timeout(self._timeout_s):
                reader = self._reader or await self._open()
                lags = await reader.read(self._groups)
        except Exception as error:
            log.warning("consumer_lag_unknown", error=repr(error))
            await self.close()
            return
        for lag in lags:
            CONSUMER_LAG.labels(self._service, lag.group, lag.topic, str(lag.partition)).set(lag.lag)

    async def _open(self) -> LagReader:
        reader = LagReader(self._settings, client_id=f"journey-{self._service}-lag")
        self._reader = reader  # kept before it has started: `close` releases what a failed start left open
        await reader.__aenter__()
        return reader

    async def close(self) -> None:
        reader, self._reader = self._reader, None
        if reader is not None:
            try:
                await reader.__aexit__(None, None, None)
            except Exception as error:  # a reader cut off mid-operation: nothing more to release
                log.debug("consumer_lag_reader_not_closed", error=repr(error))
