"""Prometheus metrics every service exposes on /metrics."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

MESSAGES_HANDLED = Counter(
    "journey_messages_handled_total", "Messages handled, by outcome.", ["service", "topic", "outcome"]
)
HANDLING_SECONDS = Histogram(
    "journey_message_handling_seconds", "Time to handle one message, retries included.", ["service", "topic"]
)
OUTBOX_PUBLISHED = Counter("journey_outbox_published_total", "Outbox rows published to Kafka.", ["service"])
TIMERS_FAILED = Counter(
    "journey_timers_failed_total", "Due dates whose handler failed (set aside with the error).", ["service", "kind"]
)
TIMERS_FIRED = Counter(
    "journey_timers_fired_total", "Due dates that passed and raised their event.", ["service", "kind"]
)
OUTBOX_SET_ASIDE = Counter(
    "journey_outbox_set_aside_total", "Outbox rows the broker refused for their content, set aside.", ["service"]
)
OUTBOX_OLDEST_PENDING_SECONDS = Gauge(
    "journey_outbox_oldest_pending_seconds", "How long the oldest unpublished outbox row has waited.", ["service"]
)
OUTBOX_SET_ASIDE_ROWS = Gauge(
    "journey_outbox_set_aside_rows", "Outbox rows set aside, kept for operators.", ["service"]
)
CONSUMER_BUSY_SECONDS = Gauge(
    "journey_consumer_busy_seconds", "How long a consumer has been handling the record in hand.", ["service", "topic"]
)
READY = Gauge("journey_ready", "1 when the service is ready (health/ready answers 200), else 0.", ["service"])
