"""What a handler gets: the open transaction, and ways to emit events and set timers inside it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import asyncpg

from shared import outbox, tracing
from shared.contracts.envelope import BaseMessage, Envelope, encode
from shared.contracts.topics import Stage
from shared.decision import Decision, Due, timer_id
from shared.ids import ID_NAMESPACE, derived_id

__all__ = ["ID_NAMESPACE", "UnitOfWork", "derived_id"]


class UnitOfWork:
    """One transaction per message: state changes, emitted events and timers commit together."""

    def __init__(
        self,
        conn: asyncpg.Connection,
        stage: Stage,
        cause_id: str,
        now: datetime | None = None,
        occurred_at: datetime | None = None,
        partner: str | None = None,
        causation_id: str | None = None,
    ) -> None:
        self.conn = conn
        self.stage = stage
        self.cause_id = cause_id
        self.now = now or datetime.now(UTC)
        self.occurred_at = occurred_at
        """When the message handled says its fact happened (`ce_time`); None for work no message caused (timers)."""
        self.partner = partner
        self.causation_id = causation_id or cause_id
        """The `ce_id` of the message handled, which events it causes name (`cause_id` is the inbox's key for it,
        which for a partner's command also names the partner)."""
        """The partner organisation that sent the message from its own commands topic (`shared.partners`); None for
        the services' and operators' shared topics, events and timers."""
        self._emitted = 0

    def new_id(self, purpose: str) -> str:
        """An id for something this message creates; the same on every retry of the message."""
        return derived_id(self.stage.value, self.cause_id, purpose)

    async def carry_out(self, decision: Decision[Any]) -> None:
        """Record what a domain decided besides its new state: the events, in order, and the due dates."""
        for event in decision.events:
            await self.emit(event)
        for timer in decision.timers:
            if isinstance(timer, Due):
                await self.schedule(
                    kind=timer.kind,
                    participant_id=timer.participant_id,
                    due_at=timer.at,
                    data=dict(timer.data),
                    timer_id=timer_id(timer.kind, timer.participant_id, timer.key),
                )
            elif timer.key is not None and timer.kind is not None:
                await self.cancel_timer(timer_id(timer.kind, timer.participant_id, timer.key))
            else:
                await self.cancel_timers(timer.participant_id, timer.kind)

    async def emit(self, event: BaseMessage) -> str:
        """Record `event` in the outbox, in the trace of the work running now; returns its `ce_id`."""
        self._emitted += 1
        # The stage is part of the id: two stages reacting to the same message must not share event ids.
        ce_id = derived_id(self.stage.value, self.cause_id, "emit", str(self._emitted))
        envelope = tracing.stamped(
            Envelope.for_message(event, source=f"/journey/{self.stage.value}", id=ce_id, causation_id=self.causation_id)
        )
        key, headers, payload = encode(event, envelope)
        await outbox.record(
            self.conn,
            ce_id=ce_id,
            ce_type=envelope.type,
            topic=event.topic(),
            key=key,
            headers=headers,
            payload=payload,
        )
        return ce_id

    async def schedule(
        self,
        *,
        kind: str,
        participant_id: UUID,
        due_at: datetime,
        data: dict[str, Any] | None = None,
        timer_id: str | None = None,
    ) -> str:
        """Set (or move) a due date; the timer sweep raises it once when it passes unfulfilled."""
        timer_id = timer_id or f"{kind}:{participant_id}"
        await self.conn.execute(
            "INSERT INTO timers (timer_id, participant_id, kind, due_at, data) VALUES ($1, $2, $3, $4, $5::jsonb)"
            " ON CONFLICT (timer_id) DO UPDATE SET due_at = EXCLUDED.due_at, data = EXCLUDED.data,"
            " fired_at = NULL, cancelled_at = NULL",
            timer_id,
            participant_id,
            kind,
            due_at,
            _json(data or {}),
        )
        return timer_id

    async def forget_participant(self, participant_id: UUID) -> None:
        """Erasure: drop the participant's timers and the outbox rows already published about them.

        Rows still to be published stay (the erasure event itself among them); the relay purges published rows
        after their retention, so nothing about the pseudonym lingers in the runtime tables.
        """
        await self.conn.execute("DELETE FROM timers WHERE participant_id = $1", participant_id)
        await self.conn.execute(
            "DELETE FROM outbox WHERE key = $1 AND published_at IS NOT NULL", str(participant_id).encode()
        )

    async def cancel_timer(self, timer_id: str) -> None:
        await self.conn.execute(
            "UPDATE timers SET cancelled_at = $2 WHERE timer_id = $1 AND fired_at IS NULL AND cancelled_at IS NULL",
            timer_id,
            self.now,
        )

    async def cancel_timers(self, participant_id: UUID, kind: str | None = None) -> None:
        """Drop every pending due date of the participant (of one kind, when given)."""
        await self.conn.execute(
            "UPDATE timers SET cancelled_at = $3 WHERE participant_id = $1 AND ($2::text IS NULL OR kind = $2)"
            " AND fired_at IS NULL AND cancelled_at IS NULL",
            participant_id,
            kind,
            self.now,
        )


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data, default=str, sort_keys=True)
