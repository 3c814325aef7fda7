"""The delivery loops' doorbell: a ring wakes every loop that took the bell before it looked for work, so a mail
queued between the look and the wait is not left to the poll."""

from __future__ import annotations

import asyncio
import time

from services.notifications.doorbell import Doorbell, wait


async def test_a_ring_after_the_look_wakes_the_loop_that_took_the_bell_before_it() -> None:
    doorbell = Doorbell("notifications_deliveries")
    bell = doorbell.current()  # taken before looking for work
    doorbell.ring()  # a mail is queued after the look found nothing

    started = time.monotonic()
    await wait(bell, 60)

    assert bell.is_set()
    assert time.monotonic() - started < 1  # at once, not after the 60 s poll


async def test_every_waiting_loop_wakes_and_later_ones_wait_for_the_next_ring() -> None:
    doorbell = Doorbell("notifications_deliveries")
    bell = doorbell.current()
    waiting = [asyncio.create_task(wait(bell, 60)) for _ in range(4)]
    await asyncio.sleep(0)

    doorbell.ring()
    await asyncio.wait_for(asyncio.gather(*waiting), 1)

    assert bell.is_set() and all(task.done() for task in waiting)
    assert not doorbell.current().is_set()


async def test_without_a_ring_the_poll_ends_the_wait() -> None:
    bell = Doorbell("notifications_deliveries").current()
    started = time.monotonic()

    await wait(bell, 0.05)

    assert not bell.is_set()
    assert 0.04 <= time.monotonic() - started < 1
