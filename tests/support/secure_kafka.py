"""Connect to the secured listener as a principal would: its credentials file from deploy/infra.sh, aiokafka kwargs."""

from __future__ import annotations

import os
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiokafka.helpers import create_ssl_context

ROOT = Path(__file__).resolve().parents[2]


def credentials_dir() -> Path:
    """`${JOURNEY_LOCAL_DIR:-<repo>/.local}/kafka/credentials`, where deploy/infra.sh writes one file per principal."""
    return Path(os.environ.get("JOURNEY_LOCAL_DIR") or ROOT / ".local") / "kafka" / "credentials"


def credentials_file(principal: str) -> Path | None:
    """The principal's `<principal>.env`, or None when deploy/infra.sh has not made it (no secured local stack)."""
    path = credentials_dir() / f"{principal}.env"
    return path if path.is_file() else None


@dataclass(frozen=True)
class Credentials:
    """One principal's `<principal>.env` file: KAFKA_* lines."""

    bootstrap_servers: str
    username: str
    password: str
    cafile: str

    def kwargs(self, *, password: str | None = None, context: ssl.SSLContext | None = None) -> dict[str, Any]:
        """aiokafka client kwargs for SASL_SSL with SCRAM-SHA-512 (a password or TLS context of one's own: for the
        tests that must be refused)."""
        return {
            "bootstrap_servers": self.bootstrap_servers,
            "security_protocol": "SASL_SSL",
            "sasl_mechanism": "SCRAM-SHA-512",
            "sasl_plain_username": self.username,
            "sasl_plain_password": self.password if password is None else password,
            "ssl_context": context or create_ssl_context(cafile=self.cafile),
        }


def load(principal: str, directory: Path | None = None) -> Credentials:
    """Read `<principal>.env`; FileNotFoundError when deploy/infra.sh has not made it."""
    path = (directory or credentials_dir()) / f"{principal}.env"
    values = dict(
        line.split("=", 1) for line in path.read_text().splitlines() if "=" in line and not line.startswith("#")
    )
    return Credentials(
        bootstrap_servers=values["KAFKA_BOOTSTRAP_SERVERS"],
        username=values["KAFKA_SASL_USERNAME"],
        password=values["KAFKA_SASL_PASSWORD"],
        cafile=values["KAFKA_SSL_CAFILE"],
    )


def service_env(stage: str) -> dict[str, str]:
    """The environment that runs a stage's service on the secured listener as its own principal `journey-<stage>`,
    with only the ACLs deploy/kafka/acls.txt gives it; empty when the local stack has no secured listener (a broker
    from the environment or testcontainers), which CI never allows."""
    path = credentials_file(f"journey-{stage}")
    if path is None:
        if os.environ.get("CI") == "true":
            raise RuntimeError(
                f"CI runs the services on the secured listener, but {credentials_dir()} has no journey-{stage}.env"
            )
        return {}
    return {"KAFKA_CREDENTIALS_FILE": str(path), "KAFKA_BOOTSTRAP_SERVERS": load(f"journey-{stage}").bootstrap_servers}
