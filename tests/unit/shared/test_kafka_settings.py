"""How a service connects to Kafka: plaintext only on loopback, SCRAM over TLS with a credentials file."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from shared.contracts.topics import Stage
from shared.kafka import client_security, retention_configs, stage_topics
from shared.settings import ServiceSettings, bootstrap_hosts


@pytest.mark.parametrize("servers", ["127.0.0.1:9092", "localhost:9092", "[::1]:9092", "127.0.0.2:1,localhost:2"])
def test_plaintext_is_allowed_to_a_broker_on_loopback(servers: str) -> None:
    assert ServiceSettings(kafka_bootstrap_servers=servers).kafka_security_protocol == "PLAINTEXT"
    assert client_security(ServiceSettings(kafka_bootstrap_servers=servers)) == {}


@pytest.mark.parametrize("servers", ["kafka:9092", "10.0.0.5:9092", "127.0.0.1:9092,kafka.example.org:9093"])
def test_plaintext_to_any_other_host_is_refused(servers: str) -> None:
    with pytest.raises(ValidationError, match="plaintext is for a broker on loopback only"):
        ServiceSettings(kafka_bootstrap_servers=servers)


def test_sasl_ssl_needs_a_user_and_a_password() -> None:
    with pytest.raises(ValidationError, match="needs KAFKA_SASL_USERNAME"):
        ServiceSettings(kafka_bootstrap_servers="kafka:9093", kafka_security_protocol="SASL_SSL")


def test_the_credentials_file_fills_what_the_environment_does_not_say(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ca = tmp_path / "ca.crt"
    credentials = tmp_path / "journey-recognition.env"
    credentials.write_text(
        "# written by deploy/infra.sh\n"
        "KAFKA_BOOTSTRAP_SERVERS=kafka.example.org:9094\n"
        "KAFKA_SECURITY_PROTOCOL=SASL_SSL\n"
        "KAFKA_SASL_MECHANISM=SCRAM-SHA-512\n"
        "KAFKA_SASL_USERNAME=journey-recognition\n"
        "KAFKA_SASL_PASSWORD=s3cret=with=equals\n"
        f"KAFKA_SSL_CAFILE={ca}\n"
    )
    monkeypatch.delenv("KAFKA_BOOTSTRAP_SERVERS", raising=False)
    monkeypatch.setenv("KAFKA_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("KAFKA_SASL_USERNAME", "journey-other")  # the environment wins

    settings = ServiceSettings()

    assert settings.kafka_bootstrap_servers == "kafka.example.org:9094"
    assert settings.kafka_security_protocol == "SASL_SSL"
    assert settings.kafka_sasl_username == "journey-other"
    assert settings.kafka_sasl_password.get_secret_value() == "s3cret=with=equals"
    assert "s3cret" not in repr(settings)
    assert settings.kafka_ssl_cafile == str(ca)


def test_bootstrap_hosts() -> None:
    assert bootstrap_hosts("a:1, [::1]:2,b.example.org:3") == ["a", "::1", "b.example.org"]


def test_commands_and_rejections_topics_get_the_retention_events_topics_the_defaults() -> None:
    settings = ServiceSettings(commands_retention_s=7200, rejections_retention_s=3 * 3600, topic_segment_s=600)
    assert retention_configs(settings, "journey.recruitment.commands") == {
        "retention.ms": "7200000",
        "segment.ms": "600000",
        "message.timestamp.type": "LogAppendTime",
    }
    assert retention_configs(settings, "journey.recruitment.commands.care-home-example") == {
        "retention.ms": "7200000",
        "segment.ms": "600000",
        "message.timestamp.type": "LogAppendTime",
    }
    assert retention_configs(settings, "journey.recruitment.rejections.care-home-example") == {
        "retention.ms": "10800000",
        "segment.ms": "600000",
    }
    assert retention_configs(settings, "journey.recruitment.events") is None


def test_a_stage_looks_after_its_own_and_its_partners_topics_only() -> None:
    existing = [
        "journey.recognition.commands",
        "journey.recognition.commands.care-home-example",
        "journey.recognition.rejections.care-home-example",
        "journey.recognition.events",
        "journey.placement.commands.care-home-example",
        "scratch.recognition.commands",
    ]
    assert stage_topics(Stage.RECOGNITION, existing) == [
        "journey.recognition.commands",
        "journey.recognition.commands.care-home-example",
        "journey.recognition.rejections.care-home-example",
    ]
