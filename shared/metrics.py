"""Prometheus metrics every service exposes on /metrics."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

MESSAGES_HANDLED = Counter(
    "journey_messages_handled_total", "Messages handled, by outcome.", ["service", "topic", "outcome"]
)
HANDLING_SECONDS = Histogram(
    "journey_message_handling_seconds", "Time to handle one message, retries included.", ["service", "topic"]
)
OUTBOX_PUBLISHED = Counter("journey_outbox_published_total", "Outbox rows published to Kafka.", ["service"])
TIMERS_FIRED = Counter(
    "journey_timers_fired_total", "Due dates that passed and raised their event.", ["service", "kind"]
)
