"""Sending a corrected command as the operator, and waiting for what the stage made of it.

The operator principal may write only the stages' shared commands topics (`journey.<stage>.commands`), never a
partner's own, and a stage takes a command on a shared topic as it says: the partner checks of `shared.partners`
(sender, may partners send it, is the partner involved) run only on a partner's topic. So a correction of a partner's
command is checked here against the same rules, on the stage's own table of involvements, before it is sent: the
operator repairs what the partner got wrong, and cannot lend the operators' rights to a command the partner was not
allowed to send. The correction keeps the partner's `ce_source` (the events it causes show who it came from)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import asyncpg

from shared.contracts.topics import Kind, Stage, topic
from shared.decoding import Decoded
from shared.errors import Rejected
from shared.operators.bus import Bus, header, producer, reader
from shared.operators.corrections import Path, checked, corrected_body, correction
from shared.operators.failures import NO_OUTCOME, REFUSED
from shared.operators.output import Progressed
from shared.operators.rejections import Rejection, find, rejection_of
from shared.partners import authorise
from shared.settings import ServiceSettings

INVOLVEMENTS = {Stage.RECRUITMENT: "recruitment.involvements"}
"""Where a stage keeps who is involved with whom (services/recruitment/app.py: its own table); every other stage
keeps the runtime's copy, `<stage>.partner_involvements`."""
SETTLE_S = 1.0
"""After the first event a correction caused, how long to gather the others it caused."""


async def partner_refusal(settings: ServiceSettings, rejection: Rejection, decoded: Decoded) -> Rejected | None:
    """Why the partner whose command this corrects may not send it (None: it may, or it was no partner's)."""
    if rejection.partner is None:
        return None
    table = INVOLVEMENTS.get(rejection.stage, f"{rejection.stage.value}.partner_involvements")
    conn = await asyncpg.connect(settings.database_url)
    try:
        return await authorise(conn, rejection.partner, decoded.envelope, decoded.message, table)
    finally:
        await conn.close()


@dataclass
class Outcome:
    """What the stage made of the correction: the events it caused, or a new rejection."""

    events: list[dict[str, Any]] = field(default_factory=list)
    rejection: Rejection | None = None

    @property
    def name(self) -> str:
        return "rejected" if self.rejection else "applied" if self.events else "none"


class OutcomeWatch:
    """Reads the stage's events and shared rejections from their end before the correction is sent, so that what
    it causes cannot pass unseen; matches by `ce_causationid` (the stages set it to the command's `ce_id`)."""

    def __init__(self, bus: Bus, stage: Stage) -> None:
        self._bus = bus
        self._consumer = bus.consumer
        self._topics = [topic(stage, Kind.EVENT), topic(stage, Kind.REJECTION)]

    async def start(self) -> None:
        partitions = await self._bus.partitions(self._topics)
        self._consumer.assign(partitions)
        for tp, end in (await self._consumer.end_offsets(partitions)).items():
            self._consumer.seek(tp, end)

    async def outcome(self, ce_id: str, wait_s: float) -> Outcome:
        found = Outcome()
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            batches = await self._consumer.getmany(timeout_ms=250)
            for record in (r for records in batches.values() for r in records):
                if header(record, "ce_causationid") != ce_id:
                    continue
                if record.topic.endswith(".rejections"):
                    found.rejection = rejection_of(record)
                    return found
                found.events.append(
                    {"ce_type": header(record, "ce_type"), "ce_id": header(record, "ce_id"), "topic": record.topic}
                )
                deadline = min(deadline, time.monotonic() + SETTLE_S)
        return found


async def inbox_outcome(settings: ServiceSettings, stage: Stage, ce_id: str) -> str | None:
    """What the stage's inbox recorded for the message (`applied`, `rejected:<reason>`), None if not handled yet:
    the answer for a command that causes no event."""
    conn = await asyncpg.connect(settings.database_url)
    try:
        value = await conn.fetchval(
            f"SELECT outcome FROM {stage.value}.inbox WHERE consumer = $1 AND message_id = $2",
            f"{stage.value}:{topic(stage, Kind.COMMAND)}",
            ce_id,
        )
    finally:
        await conn.close()
    return None if value is None else str(value)


async def resubmit(
    settings: ServiceSettings,
    rejection_id: str,
    changes: list[tuple[Path, Any]],
    replacement: Any | None = None,
    *,
    dry_run: bool = False,
    wait_s: float | None = None,
    progress: Progressed | None = None,
) -> tuple[dict[str, Any], int]:
    """Correct, check, send and (with `wait_s`) wait: the report and the exit code (0 sent or applied, 1 refused
    here or rejected again, 3 no outcome within the wait)."""
    async with reader(settings) as bus:
        rejection = await find(bus, rejection_id, progress)
        record = correction(rejection, corrected_body(rejection, changes, replacement))
        report: dict[str, Any] = {"rejection": rejection.id, "ce_id": record.ce_id, "correction": record.shown()}
        verdict = checked(record)
        if isinstance(verdict, Decoded):
            verdict = await partner_refusal(settings, rejection, verdict) or verdict
        if isinstance(verdict, Rejected):
            refused = {"reason": verdict.reason, "message": verdict.message, "errors": verdict.errors}
            return {**report, "sent": False, "refused": refused}, REFUSED
        if dry_run:
            return {**report, "sent": False}, 0
        watch = OutcomeWatch(bus, rejection.stage)
        await watch.start()
        async with producer(settings) as sender:
            await sender.send_and_wait(record.topic, value=record.value, key=record.key, headers=record.headers)
        if wait_s is None:
            return {**report, "sent": True}, 0
        outcome = await watch.outcome(record.ce_id, wait_s)
        judged, code = await _judged(settings, rejection.stage, record.ce_id, outcome)
        return {**report, "sent": True, **judged}, code


async def _judged(settings: ServiceSettings, stage: Stage, ce_id: str, outcome: Outcome) -> tuple[dict[str, Any], int]:
    if outcome.rejection is not None:
        return {"outcome": "rejected", "new_rejection": outcome.rejection.row()}, REFUSED
    if outcome.events:
        return {"outcome": "applied", "events": outcome.events}, 0
    recorded = await inbox_outcome(settings, stage, ce_id)  # a command may cause no event
    if recorded is None:
        return {"outcome": "none", "events": []}, NO_OUTCOME
    return {"outcome": recorded.split(":")[0], "inbox": recorded, "events": []}, 0 if recorded == "applied" else REFUSED
