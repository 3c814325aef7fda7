"""The SMTP session ends while the row is still leased: a hanging mail server costs an attempt, not a duplicate."""

from __future__ import annotations

import asyncio
import time
from email.message import EmailMessage

import pytest

from services.notifications.delivery import RECORD_MARGIN_S, DeliveryWorker
from services.notifications.domain import Attempt, RetryPolicy
from services.notifications.mailer import Prepare


class _Server:
    def __init__(self, takes_s: float) -> None:
        self.takes_s = takes_s

    async def send(self, message: EmailMessage, prepare: Prepare | None = None) -> Attempt:
        if prepare is not None:
            await prepare()
        await asyncio.sleep(self.takes_s)
        return Attempt(accepted=True)


def _worker(server: _Server, lease_s: float) -> DeliveryWorker:
    return DeliveryWorker(server, RetryPolicy(3, 1.0, 5.0), sender="journey@example.org", lease_s=lease_s)


async def test_a_session_that_would_outlast_the_lease_is_cut_off_as_a_timeout() -> None:
    worker = _worker(_Server(takes_s=10), lease_s=RECORD_MARGIN_S + 0.2)

    started = time.monotonic()
    attempt = await worker.send_within_lease(EmailMessage())

    assert attempt == Attempt(accepted=False, error="timeout")
    assert time.monotonic() - started < 5


async def test_a_session_within_the_lease_returns_the_server_s_answer() -> None:
    worker = _worker(_Server(takes_s=0.01), lease_s=RECORD_MARGIN_S + 5)

    assert await worker.send_within_lease(EmailMessage()) == Attempt(accepted=True)


def test_a_lease_must_leave_time_to_record_the_outcome() -> None:
    with pytest.raises(ValueError, match="lease_s"):
        _worker(_Server(0), lease_s=RECORD_MARGIN_S)
