"""The delivery loops' doorbell: PostgreSQL `LISTEN` on the deliveries channel, so a mail queued (or a mail that
was waiting for an earlier one to the same recipient) goes out at once instead of at the next poll.

A loop takes the current bell *before* it looks for work and waits on it only when it found none, so a ring
between the look and the wait is not lost; the poll stays as the fallback for a ring lost with a connection.
"""

from __future__ import annotations

import asyncio
import contextlib

import asyncpg
import structlog

from shared.postgres import connection
from shared.retry import Backoff

log = structlog.get_logger()


class Doorbell:
    def __init__(self, channel: str) -> None:
        self._channel = channel
        self._bell = asyncio.Event()
        self.listening = False

    def current(self) -> asyncio.Event:
        """The bell the next ring sets."""
        return self._bell

    def ring(self, *_: object) -> None:
        """Wake every loop waiting now; later waiters get a fresh bell."""
        bell, self._bell = self._bell, asyncio.Event()
        bell.set()

    async def listen(self, pool: asyncpg.Pool, backoff: Backoff) -> None:
        """Hold a connection that listens until cancelled; a lost connection is replaced (and rings once, since
        notifications may have been missed meanwhile)."""
        await backoff.run(lambda: self._listen(pool), what="delivery_doorbell")

    async def _listen(self, pool: asyncpg.Pool) -> None:
        async with connection(pool) as conn:
            try:
                closed = asyncio.Event()
                conn.add_termination_listener(lambda _: closed.set())
                await conn.add_listener(self._channel, self.ring)
                self.listening = True
                self.ring()
                while True:
                    await wait(closed, 30)
                    if closed.is_set():
                        raise ConnectionError("the doorbell's connection closed")
                    await conn.fetchval("SELECT 1")  # a connection gone quietly shows here
            except BaseException:
                self.listening = False
                # Broken or mid-operation: drop it (its LISTEN goes with it) instead of handing it back to the pool;
                # a connection the server cut has been let go by the pool already.
                with contextlib.suppress(asyncpg.InterfaceError):
                    conn.terminate()
                raise


async def wait(bell: asyncio.Event, timeout_s: float) -> None:
    """Until `bell` rings or `timeout_s` passed (the poll)."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(bell.wait(), timeout_s)
