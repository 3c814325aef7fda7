"""A principal's Kafka credentials as deploy/infra.sh writes them (`<principal>.env`: KAFKA_* lines), and the aiokafka
connection they make: SASL/SCRAM-SHA-512 over TLS with the broker's certificate verified. For the tools (make fuzz)
and the tests that connect to the secured listener as a service, an operator or a partner."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiokafka.helpers import create_ssl_context

from shared.settings import read_credentials

ROOT = Path(__file__).resolve().parents[1]


def credentials_dir() -> Path:
    """`${JOURNEY_LOCAL_DIR:-<repo>/.local}/kafka/credentials`, where deploy/infra.sh writes one file per principal."""
    return Path(os.environ.get("JOURNEY_LOCAL_DIR") or ROOT / ".local") / "kafka" / "credentials"


def credentials_path(principal: str, directory: Path | None = None) -> Path:
    return (directory or credentials_dir()) / f"{principal}.env"


@dataclass(frozen=True)
class Credentials:
    """One principal's file."""

    bootstrap_servers: str
    username: str
    password: str
    cafile: str

    def kwargs(self, **changed: Any) -> dict[str, Any]:
        """aiokafka's connection kwargs (SASL_SSL, SCRAM-SHA-512, the CA verified); `changed` overrides some (a wrong
        password, another TLS context: for the attempts that must be refused)."""
        return {
            "bootstrap_servers": self.bootstrap_servers,
            "security_protocol": "SASL_SSL",
            "sasl_mechanism": "SCRAM-SHA-512",
            "sasl_plain_username": self.username,
            "sasl_plain_password": self.password,
            "ssl_context": create_ssl_context(cafile=self.cafile),
            **changed,
        }


def load(principal: str, directory: Path | None = None) -> Credentials:
    """The principal's credentials; FileNotFoundError when deploy/infra.sh has not made its file (no secured broker)."""
    values = read_credentials(credentials_path(principal, directory))
    return Credentials(
        bootstrap_servers=values["KAFKA_BOOTSTRAP_SERVERS"],
        username=values["KAFKA_SASL_USERNAME"],
        password=values["KAFKA_SASL_PASSWORD"],
        cafile=values["KAFKA_SSL_CAFILE"],
    )


def service_env(stage: str) -> dict[str, str]:
    """The environment that runs a stage's service on the secured listener as its own principal `journey-<stage>`
    (with only the ACLs deploy/kafka/acls.txt gives it); empty when deploy/infra.sh has made no file for it."""
    principal = f"journey-{stage}"
    path = credentials_path(principal)
    if not path.is_file():
        return {}
    return {"KAFKA_CREDENTIALS_FILE": str(path), "KAFKA_BOOTSTRAP_SERVERS": load(principal).bootstrap_servers}
