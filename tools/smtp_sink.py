"""The one SMTP sink: a real SMTP server (aiosmtpd on a loopback port, on its own thread) that keeps every mail it
accepted, for the tests, the benchmark and the local mail page.

    with SmtpSink() as sink:                       # or: sink = SmtpSink().start(); ...; sink.stop()
        env = {"SMTP_HOST": sink.host, "SMTP_PORT": str(sink.port)}
        ...
        [mail] = await sink.wait_for("desk@example.org")
        assert "Anerkennung entschieden" in mail["Subject"]

`stop()` then `start()` again takes the server away and brings it back on the same port (outage drills);
`refuse(address)` makes it answer 550 for that recipient (permanent refusal); `on_accept` runs on the server's
thread after a mail is kept and before the client hears `250` (to break something in exactly that window).
"""

from __future__ import annotations

import asyncio
import email
import functools
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default as default_policy
from types import TracebackType
from typing import Any, Self

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Received:
    """One accepted mail: when (`time.monotonic()`), the envelope recipients and the bytes as sent."""

    accepted_at: float
    envelope_to: tuple[str, ...]
    raw: bytes

    @functools.cached_property
    def message(self) -> EmailMessage:
        """The whole message, parsed on first use (the benchmark reads headers only)."""
        message = email.message_from_bytes(self.raw, policy=default_policy)
        assert isinstance(message, EmailMessage)
        return message


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self._sink = sink

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        if address.lower() in self._sink.refused:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        received = Received(time.monotonic(), tuple(a.lower() for a in envelope.rcpt_tos), bytes(raw))
        self._sink.add(received)
        if self._sink.on_accept is not None:
            self._sink.on_accept(received)
        return "250 Message accepted for delivery"


class SmtpSink:
    """An SMTP server in the test process, on its own thread; thread-safe record of what it accepted."""

    def __init__(self, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.host = host
        self.port = port or free_port(host)
        self.refused: set[str] = set()
        self.on_accept: Callable[[Received], None] | None = None
        self._received: list[Received] = []
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    def start(self) -> Self:
        if self._controller is None:
            self._controller = Controller(_Handler(self), hostname=self.host, port=self.port, ready_timeout=10)
            self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    def refuse(self, address: str) -> None:
        """Answer `550` when this recipient is named (a permanent refusal)."""
        self.refused.add(address.lower())

    def add(self, received: Received) -> None:
        with self._lock:
            self._received.append(received)

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def to(self, address: str) -> list[EmailMessage]:
        """Messages accepted for `address`, in the order they arrived."""
        wanted = address.lower()
        return [r.message for r in self.received if wanted in r.envelope_to]

    async def wait_for(
        self, address: str, *, count: int = 1, timeout_s: float = 30, settle_s: float = 0
    ) -> list[EmailMessage]:
        """The messages for `address` once `count` arrived (and `settle_s` more passed, to catch extras)."""
        deadline = time.monotonic() + timeout_s
        # Mails arrive on the server's own thread and loop; polling is simpler than a cross-thread event.
        while len(self.to(address)) < count and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.1)
        await asyncio.sleep(settle_s)
        return self.to(address)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


__all__ = ["Received", "SmtpSink", "free_port"]
