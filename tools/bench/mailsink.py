"""An SMTP server in the bench's own process (aiosmtpd on a free loopback port) that notes when it accepted each mail.

The idea of tests/support/smtp.py, reduced to what the figures need: the accept time and the journey headers
(`X-Journey-Participant`, `X-Journey-Milestone`, `X-Journey-Event-Id`) and the `Message-ID` of every mail.
Only the headers are parsed, to keep the sink cheap: it shares the bench's process with the load generator.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from typing import Any

from aiosmtpd.controller import Controller


@dataclass(frozen=True, slots=True)
class Mail:
    """One mail the server accepted: when (`time.monotonic()`), for whom, and what it says it is about."""

    accepted_at: float
    recipients: tuple[str, ...]
    message_id: str
    participant: str
    milestone: str
    event_id: str


class _Handler:
    def __init__(self, sink: MailSink) -> None:
        self._sink = sink
        self._parser = BytesHeaderParser()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        accepted_at = time.monotonic()
        headers = self._parser.parsebytes(envelope.original_content or envelope.content)
        self._sink.add(
            Mail(
                accepted_at=accepted_at,
                recipients=tuple(a.lower() for a in envelope.rcpt_tos),
                message_id=str(headers.get("Message-ID", "")).strip(),
                participant=str(headers.get("X-Journey-Participant", "")).strip(),
                milestone=str(headers.get("X-Journey-Milestone", "")).strip(),
                event_id=str(headers.get("X-Journey-Event-Id", "")).strip(),
            )
        )
        return "250 Message accepted for delivery"


class MailSink:
    """Start, read `mails` (a thread-safe copy) while it runs, stop."""

    def __init__(self, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.host = host
        self.port = port or free_port(host)
        self._mails: list[Mail] = []
        self._seen: set[tuple[str, str]] = set()
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    def start(self) -> MailSink:
        if self._controller is None:
            self._controller = Controller(_Handler(self), hostname=self.host, port=self.port, ready_timeout=10)
            self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def add(self, mail: Mail) -> None:
        with self._lock:
            self._mails.append(mail)
            self._seen.add((mail.participant, mail.milestone))

    def has(self, participant: str, milestone: str) -> bool:
        """Whether a mail about this participant's milestone was accepted (for anyone)."""
        with self._lock:
            return (participant, milestone) in self._seen

    @property
    def mails(self) -> list[Mail]:
        with self._lock:
            return list(self._mails)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])
