"""The delivery loops' doorbell: a ring wakes one waiting loop, not all; a ring while no loop waits is kept for the
next one to wait, so a mail queued between a loop's look and its wait is not left to the poll."""

from __future__ import annotations

import asyncio
import time

from services.notifications.doorbell import Doorbell


def _doorbell() -> Doorbell:
    return Doorbell("notifications_deliveries")


async def test_a_ring_while_no_loop_waits_is_kept_for_the_next_one_to_wait() -> None:
    doorbell = _doorbell()
    doorbell.ring()  # a mail is queued after the look found nothing, before the loop waits

    started = time.monotonic()
    await doorbell.wait(60)

    assert time.monotonic() - started < 1  # at once, not after the 60 s poll


async def test_a_kept_ring_wakes_one_loop_only() -> None:
    doorbell = _doorbell()
    doorbell.ring()
    doorbell.ring()  # two rings before anyone waits: the loop woken rings on when it finds work

    await doorbell.wait(60)
    started = time.monotonic()
    await doorbell.wait(0.05)

    assert time.monotonic() - started >= 0.04


async def test_a_ring_wakes_one_waiting_loop_the_one_that_waited_longest() -> None:
    doorbell = _doorbell()
    waiting = []
    for _ in range(4):
        waiting.append(asyncio.create_task(doorbell.wait(60)))
        await asyncio.sleep(0)

    doorbell.ring()
    await asyncio.sleep(0.05)
    woken_by_one = [task.done() for task in waiting]
    doorbell.ring()
    await asyncio.sleep(0.05)
    woken_by_two = [task.done() for task in waiting]

    for task in waiting:
        task.cancel()
    assert woken_by_one == [True, False, False, False]
    assert woken_by_two == [True, True, False, False]


async def test_a_loop_whose_poll_ran_out_leaves_the_next_ring_to_the_others() -> None:
    doorbell = _doorbell()
    await doorbell.wait(0.01)  # timed out: no longer waiting
    other = asyncio.create_task(doorbell.wait(60))
    await asyncio.sleep(0)

    doorbell.ring()
    await asyncio.sleep(0.05)
    woken = other.done()
    other.cancel()

    assert woken  # the ring went to the loop still waiting, not to the one whose poll ran out


async def test_without_a_ring_the_poll_ends_the_wait() -> None:
    doorbell = _doorbell()
    started = time.monotonic()

    await doorbell.wait(0.05)

    assert 0.04 <= time.monotonic() - started < 1
