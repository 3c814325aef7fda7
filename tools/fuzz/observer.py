"""Reads every stage's events and rejections from the run's start: what was rejected why, what caused which event."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import re
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from shared.contracts.topics import Kind, Stage, topic
from tools.bench.topics import Offsets, end_offsets, reader

WATCHED = [topic(stage, kind) for stage in Stage for kind in (Kind.EVENT, Kind.REJECTION)]
Position = tuple[str, int, int]
REJECTIONS = re.compile(r"journey\.[a-z]+\.rejections(\..+)?")
COMMANDS = re.compile(r"journey\.[a-z]+\.commands(\..+)?")


@dataclass(frozen=True, slots=True)
class Rejection:
    reason: str
    message: str
    rejected_id: str | None


class Observer:
    """Consumes the watched topics in the background; `caught_up` says when it has read to given offsets."""

    def __init__(self, bootstrap: str, prefix: str, extra: Iterable[str] = ()) -> None:
        """`extra`: more rejections topics to watch (a partner's own, `journey.<stage>.rejections.<org>`)."""
        self.bootstrap = bootstrap
        self.prefix = prefix  # ce_ids of the run's own messages start with it
        self.topics = [*WATCHED, *extra]
        self.rejections: dict[Position, list[Rejection]] = defaultdict(list)
        self.answered_at: dict[Position, float] = {}  # when the first rejection of a record was read (monotonic)
        self.rejected_ids: dict[str, Rejection] = {}
        self.caused: dict[str, list[str]] = defaultdict(list)  # causation id -> "topic ce_type" of each event
        self.records = 0
        self._consumer: AIOKafkaConsumer = reader(bootstrap)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Read from where the watched topics end now: only what happens from here on."""
        start = await end_offsets(self.bootstrap, self.topics)
        await self._consumer.start()
        self._consumer.assign(list(start))
        for tp, offset in start.items():
            self._consumer.seek(tp, offset)
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._consumer.stop()

    def failed(self) -> BaseException | None:
        task = self._task
        return task.exception() if task is not None and task.done() and not task.cancelled() else None

    async def caught_up(self, end: Offsets) -> bool:
        for tp, offset in end.items():
            if await self._consumer.position(tp) < offset:
                return False
        return True

    async def ends(self) -> Offsets:
        return await end_offsets(self.bootstrap, self.topics)

    async def _run(self) -> None:
        while True:
            batches = await self._consumer.getmany(timeout_ms=200, max_records=5000)
            for tp, raws in batches.items():
                for raw in raws:
                    self.records += 1
                    self._take(tp, raw)

    def _take(self, tp: TopicPartition, raw: Any) -> None:
        if REJECTIONS.fullmatch(tp.topic):
            try:
                body = json.loads(raw.value)
            except ValueError:  # not a rejection the stages wrote; nothing of the run's
                return
            original = body.get("original") or {}
            if not COMMANDS.fullmatch(str(original.get("topic", ""))):
                return
            rejection = Rejection(str(body.get("reason")), str(body.get("message", "")), body.get("rejected_id"))
            where = (original["topic"], int(original["partition"]), int(original["offset"]))
            self.rejections[where].append(rejection)
            self.answered_at.setdefault(where, time.monotonic())
            if rejection.rejected_id and rejection.rejected_id.startswith(self.prefix):
                self.rejected_ids[rejection.rejected_id] = rejection
            return
        cause = next((v for n, v in raw.headers or () if n == "ce_causationid"), None)
        text = (cause or b"").decode("utf-8", "replace")
        if text.startswith((self.prefix, "kafka:journey.")):
            ce_type = next((v for n, v in raw.headers or () if n == "ce_type"), b"").decode("utf-8", "replace")
            self.caused[text].append(f"{tp.topic} {ce_type}")


async def until(check: Callable[[], bool | Awaitable[bool]], deadline: float, interval_s: float = 0.2) -> bool:
    """Poll `check` (the observer's view, a broker or a database: nothing notifies) until true or the deadline."""
    while time.monotonic() < deadline:
        result = check()
        if await result if inspect.isawaitable(result) else result:
            return True
        await asyncio.sleep(interval_s)
    return False
