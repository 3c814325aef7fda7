"""The inbox's default retention outlasts every record the broker may still deliver with its default settings."""

from __future__ import annotations

from datetime import timedelta

from shared.settings import ServiceSettings

# Kafka's defaults: a log segment is deleted 7 days (retention.ms) after its newest record, and rolls after 7 days
# (segment.ms), so its first record can be read for up to 14 days.
KAFKA_LONGEST_RECORD_LIFE = timedelta(days=7) + timedelta(days=7)


def test_the_default_inbox_retention_outlasts_the_longest_a_record_lives_in_kafka() -> None:
    default = ServiceSettings.model_fields["inbox_retention_s"].default
    assert timedelta(seconds=default) > KAFKA_LONGEST_RECORD_LIFE
