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
    fault_injection: Literal["", "crash_after_commit"] = Field(
        "", description="Drills only: `crash_after_commit` exits after a message's transaction, before the ack."
    )
