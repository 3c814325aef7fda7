"""The benchmark's view of the one SMTP sink (tools/smtp_sink.py): when each mail was accepted and what it is about.

Only the journey headers (`X-Journey-Participant`, `X-Journey-Milestone`, `X-Journey-Event-Id`) and the
`Message-ID` are parsed, when a mail arrives, to keep the sink cheap: it shares the bench's process with the load.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from email.parser import BytesHeaderParser

from tools.smtp_sink import Received, SmtpSink, free_port


@dataclass(frozen=True, slots=True)
class Mail:
    """One mail the server accepted: when (`time.monotonic()`), for whom, and what it says it is about."""

    accepted_at: float
    recipients: tuple[str, ...]
    message_id: str
    participant: str
    milestone: str
    event_id: str


class MailSink(SmtpSink):
    """Start, read `mails` (a thread-safe copy) while it runs, stop."""

    def __init__(self, host: str = "127.0.0.1", port: int | None = None) -> None:
        super().__init__(host, port)
        self._parser = BytesHeaderParser()
        self._mails: list[Mail] = []
        self._seen: set[tuple[str, str]] = set()
        self._mails_lock = threading.Lock()

    def add(self, received: Received) -> None:
        headers = self._parser.parsebytes(received.raw)
        mail = Mail(
            accepted_at=received.accepted_at,
            recipients=received.envelope_to,
            message_id=str(headers.get("Message-ID", "")).strip(),
            participant=str(headers.get("X-Journey-Participant", "")).strip(),
            milestone=str(headers.get("X-Journey-Milestone", "")).strip(),
            event_id=str(headers.get("X-Journey-Event-Id", "")).strip(),
        )
        with self._mails_lock:  # the raw mails are not kept: a long bench would hold them all in memory
            self._mails.append(mail)
            self._seen.add((mail.participant, mail.milestone))

    def has(self, participant: str, milestone: str) -> bool:
        """Whether a mail about this participant's milestone was accepted (for anyone)."""
        with self._mails_lock:
            return (participant, milestone) in self._seen

    @property
    def mails(self) -> list[Mail]:
        with self._mails_lock:
            return list(self._mails)


__all__ = ["Mail", "MailSink", "free_port"]
