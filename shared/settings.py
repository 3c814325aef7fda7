"""Service configuration from environment variables, with defaults that work on one machine."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

LOCAL_KAFKA = "127.0.0.1:9092"
LOCAL_DATABASE = "postgresql://journey:journey@127.0.0.1:55432/journey"


class ServiceSettings(BaseSettings):
    """What every service reads from its environment."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    kafka_bootstrap_servers: str = Field(LOCAL_KAFKA, description="Comma-separated Kafka bootstrap servers.")
    database_url: str = Field(LOCAL_DATABASE, description="PostgreSQL DSN; each service uses its own schema.")
    log_format: Literal["auto", "json", "console"] = "auto"
    log_level: str = "INFO"
    http_host: str = "127.0.0.1"
    http_port: int | None = Field(None, description="Health, metrics and AsyncAPI; default per service.")
    topic_partitions: int = Field(3, ge=1, description="Partitions for topics a service creates.")
    topic_replication_factor: int = Field(1, ge=1)
    outbox_poll_interval_s: float = Field(1.0, gt=0, description="Fallback when no NOTIFY arrives.")
    outbox_retention_s: float = Field(7 * 24 * 3600, ge=0, description="How long published outbox rows are kept.")
    inbox_retention_s: float = Field(
        21 * 24 * 3600,
        gt=0,
        description="How long a handled message's inbox row is kept, so that a redelivery of it is recognised and"
        " skipped: longer than Kafka keeps a record (the broker's default retention of 7 days counts from the newest"
        " record of a log segment, which rolls after 7 days, so a record may be read up to 14 days after it was"
        " written, e.g. by a consumer group whose committed offsets expired), with a week to spare.",
    )
    timer_sweep_interval_s: float = Field(10.0, gt=0)
    unknown_participant_grace_s: float = Field(
        15.0, ge=0, description="How long a message for a participant this stage has not heard of yet is retried."
    )
    max_attempts: int = Field(
        3, ge=1, description="Attempts at a message failing with an error nobody classified before processing_failed."
    )
    stall_after_s: float = Field(
        30.0, gt=0, description="A consumer holding one record longer than this makes the service not ready."
    )
    outbox_stall_after_s: float = Field(
        60.0, gt=0, description="An outbox row unpublished longer than this makes the service not ready."
    )
    watch_interval_s: float = Field(5.0, gt=0, description="How often the outbox backlog is measured.")
    retry_initial_s: float = Field(0.2, gt=0)
    retry_max_s: float = Field(5.0, gt=0)
    db_pool_max_size: int = Field(10, ge=2)
    consumer_batch_max_records: int = Field(
        200, ge=1, description="At most this many fetched records are applied in one transaction."
    )
    consumer_batch_wait_ms: int = Field(
        10, ge=1, description="How long an idle consumer waits for records before it looks again (then as long again)."
    )
    fault_injection: Literal["", "crash_after_commit"] = Field(
        "", description="Drills only: `crash_after_commit` exits after a message's transaction, before the ack."
    )
