"""Retry with exponential backoff for transient failures; anything else propagates at once."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import structlog

from shared.errors import is_transient

T = TypeVar("T")
log = structlog.get_logger()


@dataclass(frozen=True, slots=True)
class Backoff:
    initial_s: float = 0.2
    max_s: float = 5.0

    async def run(
        self,
        operation: Callable[[], Awaitable[T]],
        *,
        what: str,
        on_retry: Callable[[BaseException], None] | None = None,
    ) -> T:
        """Run `operation` until it succeeds or fails for a non-transient reason. Cancellation stops it."""
        delay = self.initial_s
        attempt = 1
        while True:
            try:
                return await operation()
            except Exception as error:
                if not is_transient(error):
                    raise
                log.warning("transient_failure", what=what, attempt=attempt, retry_in_s=delay, error=repr(error))
                if on_retry is not None:
                    on_retry(error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.max_s)
                attempt += 1


DEFAULT_BACKOFF = Backoff()
