"""The programs `deploy/infra.sh tools` builds from the Go module proxy (Mailpit, promtool, composecheck), for the
tests that run them. Missing: the test is skipped, except under CI, which installs them and so fails instead."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def local_bin() -> Path:
    return Path(os.environ.get("JOURNEY_LOCAL_DIR", ROOT / ".local")) / "bin"


def binary(name: str) -> Path:
    """The path of the program `name` in the local stack's `bin/`; skip (fail under CI) when it is not there."""
    path = local_bin() / name
    if not os.access(path, os.X_OK):
        message = f"{path} is missing: `deploy/infra.sh tools` builds it"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path
