"""Connect to the secured listener as a principal would: its credentials file from deploy/infra.sh, aiokafka kwargs
(tools/credentials.py), and the environment that runs a service as its own principal."""

from __future__ import annotations

import os
from pathlib import Path

from tools import credentials
from tools.credentials import Credentials, credentials_dir, credentials_path, load

__all__ = ["Credentials", "credentials_dir", "credentials_file", "load", "service_env"]


def credentials_file(principal: str) -> Path | None:
    """The principal's `<principal>.env`, or None when deploy/infra.sh has not made it (no secured local stack)."""
    path = credentials_path(principal)
    return path if path.is_file() else None


def service_env(stage: str) -> dict[str, str]:
    """`tools.credentials.service_env`: the service as its own principal on the secured listener; empty when the
    local stack has no secured listener (a broker from the environment or testcontainers), which CI never allows."""
    env = credentials.service_env(stage)
    if not env and os.environ.get("CI") == "true":
        raise RuntimeError(
            f"CI runs the services on the secured listener, but {credentials_dir()} has no file for {stage}"
        )
    return env
