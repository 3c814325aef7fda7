"""The other stages' facts as their services would publish them (with the day they happened as `ce_time`), and
reads of the reporting schema."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer

from shared.calendar import GERMAN_TIME
from shared.contracts.envelope import BaseMessage, Envelope, encode
from shared.contracts.topics import Kind

PARTICIPANT_TABLES = ("participants", "paths", "involvements", "retention", "entry_indicators", "counselling")


class ReportingRows:
    """Reads the reporting schema the way an operator would (its connection's search_path is `reporting`)."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def count(self, table: str, participant_id: uuid.UUID) -> int:
        return int(await self.conn.fetchval(f"SELECT count(*) FROM {table} WHERE participant_id = $1", participant_id))

    async def applied(self, ce_ids: Sequence[str]) -> int:
        """How many of the messages the service has handled (their ids are in its inbox)."""
        return int(
            await self.conn.fetchval("SELECT count(DISTINCT message_id) FROM inbox WHERE message_id = ANY($1)", ce_ids)
        )

    async def eventually(self, read: Callable[[], Awaitable[Any]], expected: Any, timeout_s: float = 60) -> None:
        deadline = time.monotonic() + timeout_s
        while (value := await read()) != expected:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {expected!r}, still {value!r} after {timeout_s}s")
            await asyncio.sleep(0.2)


class Facts:
    """Publishes facts (and reporting's commands) with CloudEvents headers; `on` is the day the fact happened."""

    def __init__(self, producer: AIOKafkaProducer, rows: ReportingRows) -> None:
        self._producer = producer
        self._rows = rows
        self.sent: list[str] = []

    async def send(self, message: BaseMessage, *, on: date | None = None, ce_id: str | None = None) -> str:
        source = f"/journey/{message.stage.value}" if message.kind is Kind.EVENT else "/journey/recruitment"
        envelope = Envelope.for_message(message, source=source, id=ce_id)
        if on is not None:
            moment = datetime(on.year, on.month, on.day, 10, 0, tzinfo=GERMAN_TIME)
            envelope = Envelope(envelope.id, envelope.source, envelope.type, envelope.subject, moment)
        key, headers, value = encode(message, envelope)
        await self._producer.send_and_wait(message.topic(), value=value, key=key, headers=headers)
        self.sent.append(envelope.id)
        return envelope.id

    async def all_applied(self, timeout_s: float = 90) -> None:
        """Wait until the service has handled every message sent so far."""
        ids = sorted(set(self.sent))
        await self._rows.eventually(lambda: self._rows.applied(ids), len(ids), timeout_s)
