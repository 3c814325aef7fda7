"""Whether a consumer moves: the record it is working on, since when, and the last error that held it up."""

from __future__ import annotations

import time

from shared.decoding import Record, printable


class ConsumerProgress:
    """Tracks the one record a topic's consumer is handling (records of a partition are handled one at a time).

    A record that keeps coming back (its offset sought again after an error) keeps its first start time, so a
    partition stuck on one record shows as stuck however often it is retried.
    """

    def __init__(self, topic: str) -> None:
        self.topic = topic
        self._current: tuple[int, int] | None = None
        self._since = 0.0
        self._error: str | None = None

    def begin(self, record: Record) -> None:
        position = (record.partition, record.offset)
        if position != self._current:
            self._current = position
            self._since = time.monotonic()
            self._error = None

    def failed(self, error: BaseException) -> None:
        self._error = printable(f"{type(error).__name__}: {error}", 300)

    def done(self, record: Record) -> None:
        if self._current == (record.partition, record.offset):
            self._current = None
            self._error = None

    def busy_s(self) -> float:
        """How long the record in hand has been worked on (0 when idle)."""
        return time.monotonic() - self._since if self._current is not None else 0.0

    def stall(self, after_s: float) -> str | None:
        """Why this consumer counts as stuck (one record in hand longer than `after_s`), or None."""
        if self._current is None or self.busy_s() < after_s:
            return None
        partition, offset = self._current
        detail = f"; last error: {self._error}" if self._error else ""
        return f"{self.topic} partition {partition} offset {offset} in hand for {self.busy_s():.0f} s{detail}"
