"""Service configuration from environment variables, with defaults that work on one machine."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LOCAL_KAFKA = "127.0.0.1:9092"
LOCAL_DATABASE = "postgresql://journey:journey@127.0.0.1:55432/journey"


class ServiceSettings(BaseSettings):
    """What every service reads from its environment."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True, hide_input_in_errors=True)

    kafka_bootstrap_servers: str = Field(LOCAL_KAFKA, description="Comma-separated Kafka bootstrap servers.")
    kafka_security_protocol: Literal["PLAINTEXT", "SASL_SSL"] = Field(
        "PLAINTEXT",
        description="SASL_SSL (SCRAM over TLS) on the bus; PLAINTEXT only to a broker on loopback (local development).",
    )
    kafka_sasl_mechanism: Literal["SCRAM-SHA-512"] = "SCRAM-SHA-512"
    kafka_sasl_username: str = Field("", description="The service's Kafka principal, e.g. journey-recognition.")
    kafka_sasl_password: SecretStr = SecretStr("")
    kafka_ssl_cafile: str = Field("", description="CA that signed the broker's certificate (default: the system's).")
    kafka_credentials_file: str = Field(
        "",
        description="A file of KAFKA_*=value lines (as deploy/infra.sh and docker-compose's kafka-setup write them);"
        " its values stand in for the KAFKA_* settings not given otherwise.",
    )
    commands_retention_s: int = Field(
        4 * 24 * 3600,
        ge=3600,
        description="How long Kafka keeps a commands topic's records (they may carry personal data): long enough to"
        " outlast a weekend's outage of a service, short so that no copy lingers. Set on the topics at start-up.",
    )
    rejections_retention_s: int = Field(
        4 * 24 * 3600, ge=3600, description="How long Kafka keeps a rejections topic's records (original bytes)."
    )
    topic_segment_s: int = Field(
        3600,
        ge=60,
        description="Commands and rejections topics roll a log segment this often, so that a record is deleted at"
        " most this long after its retention ended.",
    )
    backup_retention_s: int = Field(
        30 * 24 * 3600,
        ge=0,
        description="How long the operators keep database backups (a deleted row survives in them until then); an"
        " erasure's confirmation counts it.",
    )
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
    otel_exporter_otlp_endpoint: str = Field(
        "",
        description="Where the service sends its traces over OTLP/HTTP, e.g. http://jaeger:4318 (`/v1/traces` is"
        " added); empty: tracing off (no exporter, no spans recorded; a message's trace context is still handed on"
        " to what its handling emits). The OpenTelemetry SDK's other standard variables (OTEL_EXPORTER_OTLP_HEADERS,"
        " OTEL_RESOURCE_ATTRIBUTES, ...) apply.",
    )
    otel_bsp_schedule_delay: int = Field(
        5000, ge=1, description="Milliseconds between two exports of the spans recorded meanwhile (when tracing)."
    )
    fault_injection: Literal["", "crash_after_commit"] = Field(
        "", description="Drills only: `crash_after_commit` exits after a message's transaction, before the ack."
    )

    @model_validator(mode="before")
    @classmethod
    def _credentials_file(cls, data: Any) -> Any:
        """Fill the KAFKA_* settings not given from `kafka_credentials_file`."""
        if not isinstance(data, dict):
            return data
        path = data.get("kafka_credentials_file") or data.get("KAFKA_CREDENTIALS_FILE")
        if not path:
            return data
        given = {key.lower() for key in data}
        for name, value in read_credentials(Path(path)).items():
            if name.lower() not in given:
                data[name.lower()] = value
        return data

    @model_validator(mode="after")
    def _secure_bus(self) -> Self:
        if self.kafka_security_protocol == "PLAINTEXT":
            remote = [host for host in bootstrap_hosts(self.kafka_bootstrap_servers) if not is_loopback(host)]
            if remote:
                raise ValueError(
                    f"KAFKA_SECURITY_PROTOCOL=PLAINTEXT to {', '.join(remote)}: plaintext is for a broker on loopback"
                    " only; use SASL_SSL with the service's credentials (KAFKA_CREDENTIALS_FILE)"
                )
        elif not self.kafka_sasl_username or not self.kafka_sasl_password.get_secret_value():
            raise ValueError("KAFKA_SECURITY_PROTOCOL=SASL_SSL needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD")
        return self


def read_credentials(path: Path) -> dict[str, str]:
    """`NAME=value` lines (comments and blank lines skipped; no quoting, no expansion)."""
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            values[name.strip()] = value.strip()
    return values


def bootstrap_hosts(servers: str) -> list[str]:
    """The host part of each `host:port` (IPv6 in brackets) of a bootstrap list."""
    hosts = []
    for server in filter(None, (s.strip() for s in servers.split(","))):
        host = server.rsplit(":", 1)[0] if server.count(":") == 1 or server.startswith("[") else server
        hosts.append(host.strip("[]"))
    return hosts


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
