"""The delivery loops and their doorbell: one mail wakes one loop (and the one it wakes in turn), not every loop;
a burst rung once still fans out to every loop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from email.message import EmailMessage

from services.notifications.delivery import DeliveryWorker
from services.notifications.domain import Attempt, RetryPolicy
from services.notifications.doorbell import Doorbell
from services.notifications.mailer import Prepare

LANES = 4


class _Unused:
    async def send(self, message: EmailMessage, prepare: Prepare | None = None) -> Attempt:
        raise AssertionError("the lanes' own deliver_next sends nothing")


class _Lanes(DeliveryWorker):
    """The worker's loops over an in-memory queue instead of the deliveries table; a mail takes `send_s` to send."""

    def __init__(self, send_s: float = 0.05) -> None:
        super().__init__(_Unused(), RetryPolicy(3, 1.0, 5.0), sender="journey@example.org", poll_interval_s=60)
        self.queued = 0
        self.looks = 0
        self.sending = 0
        self._send_s = send_s

    async def deliver_next(self, pool: object, on_leased: Callable[[], None] | None = None) -> bool:
        self.looks += 1
        if self.queued == 0:
            return False
        self.queued -= 1
        if on_leased is not None:
            on_leased()
        self.sending += 1
        await asyncio.sleep(self._send_s)
        self.sending -= 1
        return True


@asynccontextmanager
async def _running(lanes: _Lanes, doorbell: Doorbell) -> AsyncIterator[None]:
    tasks = [asyncio.create_task(lanes.run(None, lane, doorbell)) for lane in range(LANES)]  # type: ignore[arg-type]
    await asyncio.sleep(0.05)  # each looked once, found nothing and waits
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def test_one_mail_wakes_one_loop_not_every_loop() -> None:
    lanes, doorbell = _Lanes(), Doorbell("notifications_deliveries")
    async with _running(lanes, doorbell):
        looks_before = lanes.looks
        lanes.queued = 1
        doorbell.ring()
        await asyncio.sleep(0.2)

    assert looks_before == LANES
    # The loop that found it, the one it woke in turn (nothing left), and the first again after its send.
    assert lanes.looks - looks_before == 3
    assert lanes.queued == 0


async def test_a_burst_rung_once_fans_out_to_every_loop() -> None:
    lanes, doorbell = _Lanes(send_s=0.2), Doorbell("notifications_deliveries")
    async with _running(lanes, doorbell):
        lanes.queued = 2 * LANES
        doorbell.ring()  # one NOTIFY for a transaction that queued them all
        await asyncio.sleep(0.1)
        at_once = lanes.sending
        await asyncio.sleep(1)

    assert at_once == LANES
    assert lanes.queued == 0
