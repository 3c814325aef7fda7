"""Hypothesis profiles for the property tests, and logging put back after each test.

Profiles: quick and reproducible by default, thorough on request.

- `ci` (used when CI=true): derandomized, so a run is reproducible and a failure in CI fails the same way locally;
- `dev` (the default): random examples, as many as `ci`, so `make test` stays fast;
- `thorough`: `HYPOTHESIS_PROFILE=thorough make test PYTEST_ARGS=tests/unit/shared` looks much harder.

No profile keeps an example database (a failure prints the example and a `@reproduce_failure` blob to replay it);
Hypothesis still caches in `.hypothesis/`, which ignores itself in git. No deadline: the door's own speed is tested
with explicit bounds in test_decoding_properties.py, not per example.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import pytest
import structlog
from hypothesis import HealthCheck, settings

_COMMON = settings(
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

settings.register_profile("dev", _COMMON, max_examples=25)
settings.register_profile("ci", _COMMON, max_examples=25, derandomize=True)
settings.register_profile("thorough", _COMMON, max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") == "true" else "dev"))


@pytest.fixture(autouse=True)
def _logging_put_back() -> Iterator[None]:
    """`configure_logging` (test_logging.py) points structlog and the root logger at the stderr pytest captures for
    that one test, a file closed after it: put both back, or a later test that logs fails on the closed file."""
    config = structlog.get_config()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    structlog.configure(**config)
    root.handlers[:] = handlers
    root.setLevel(level)
    structlog.contextvars.clear_contextvars()
