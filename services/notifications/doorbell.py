"""The delivery loops' doorbell: PostgreSQL `LISTEN` on the deliveries channel, so a mail queued (or a mail that
was waiting for an earlier one to the same recipient) goes out at once instead of at the next poll.

A ring wakes one waiting loop, not all of them: each woken loop looks for work, and a loop that found some rings
on, so a burst still fans out to every loop while a single mail wakes a single one. A ring while no loop waits is
kept for the next loop to wait, so a ring between a loop's look and its wait is not lost; the poll stays as the
fallback for a ring lost with a connection.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque

import asyncpg
import structlog

from shared.postgres import connection
from shared.retry import Backoff

log = structlog.get_logger()


class Doorbell:
    def __init__(self, channel: str) -> None:
        self._channel = channel
        self._waiting: deque[asyncio.Future[None]] = deque()
        # One kept ring is enough: the loop it wakes rings on when it finds work.
        self._kept = False
        self.listening = False

    def ring(self, *_: object) -> None:
        """Wake the loop that has waited longest; with none waiting, the next loop to wait does not."""
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():  # a waiter whose poll ran out is done (cancelled) already
                waiter.set_result(None)
                return
        self._kept = True

    async def wait(self, timeout_s: float) -> None:
        """Until a ring wakes this loop (or one came while no loop waited), `timeout_s` at most (the poll)."""
        if self._kept:
            self._kept = False
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(waiter, timeout_s)
        finally:
            with contextlib.suppress(ValueError):  # a ring took it off already
                self._waiting.remove(waiter)

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


async def wait(event: asyncio.Event, timeout_s: float) -> None:
    """Until `event` is set or `timeout_s` passed."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(event.wait(), timeout_s)
