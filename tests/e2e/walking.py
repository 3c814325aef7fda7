"""Playing `tools.walks` against the running stack as a partner would: one reader on every stage's events and
rejections, walks waiting on it side by side."""

from __future__ import annotations

import asyncio
import secrets
import string
import time
import uuid
from collections import Counter
from collections.abc import Mapping

from aiokafka import AIOKafkaConsumer, TopicPartition

from shared.contracts.enums import Milestone
from shared.contracts.notifications import Delivery, RecipientKind, RegisterRecipient
from shared.contracts.topics import Kind, Stage, topic
from tests.support.kafka import Partner, Received, _partitions
from tools.walks import Await, Send, Walk

WATCHED = [topic(stage, kind) for stage in Stage for kind in (Kind.EVENT, Kind.REJECTION)]
STEP_TIMEOUT_S = 60


class Bus:
    """Every stage's events and rejections from the moment it opened."""

    def __init__(self, bootstrap: str) -> None:
        self._bootstrap = bootstrap
        self._consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
        self.seen: list[Received] = []
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Bus:
        tps = [TopicPartition(t, p) for t in WATCHED for p in await _partitions(self._bootstrap, t)]
        await self._consumer.start()
        self._consumer.assign(tps)
        for tp, end in (await self._consumer.end_offsets(tps)).items():
            self._consumer.seek(tp, end)
        self._task = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)
        await self._consumer.stop()

    async def _read(self) -> None:
        while True:
            for records in (await self._consumer.getmany(timeout_ms=200)).values():
                self.seen.extend(
                    Received(r.topic, r.key.decode() if r.key else None, {k: v.decode() for k, v in r.headers}, r.value)
                    for r in records
                )

    def of(self, key: uuid.UUID | str, *, kind: Kind = Kind.EVENT) -> list[Received]:
        return [r for r in self.seen if r.key == str(key) and r.topic.endswith(f".{kind.value}")]

    def named(
        self, key: uuid.UUID | str, stage: Stage, name: str, where: Mapping[str, str] | None = None
    ) -> list[Received]:
        events = topic(stage, Kind.EVENT)
        return [
            r
            for r in self.of(key)
            if r.topic == events
            and r.ce_type.split(".")[2] == name
            and all(str(r.body.get(k)) == v for k, v in (where or {}).items())
        ]

    async def wait(
        self, key: uuid.UUID | str, stage: Stage, name: str, count: int = 1, where: Mapping[str, str] | None = None
    ) -> list[Received]:
        """Until the `count`-th `name` about `key` on `stage`'s events; a rejection about `key` fails at once."""
        deadline = time.monotonic() + STEP_TIMEOUT_S
        while time.monotonic() < deadline:
            refused = self.of(key, kind=Kind.REJECTION)
            assert not refused, [(r.body["rejected_type"], r.body["reason"], r.body["message"]) for r in refused]
            found = self.named(key, stage, name, where)
            if len(found) >= count:
                return found
            await asyncio.sleep(0.1)
        seen = [r.ce_type.split(".")[2] for r in self.of(key)]
        raise AssertionError(f"no {name} #{count} {dict(where or {})} from {stage} about {key}; seen: {seen}")


async def coordinator_of_a_new_region(partner: Partner, bus: Bus, label: str) -> tuple[str, str]:
    """A region of the test's own and its coordinator, subscribed to every milestone: (region, mail address)."""
    token = uuid.uuid4().hex[:6]
    region = "DE-" + "".join(secrets.choice(string.ascii_uppercase) for _ in range(3))
    recipient_id = f"{label}-coord-{token}"
    await partner.send(
        RegisterRecipient(
            recipient_id=recipient_id,
            recipient_kind=RecipientKind.COORDINATOR,
            email=f"{recipient_id}@example.org",
            display_name="Koordination (Beispiel)",
            regions=frozenset({region}),
            milestones=frozenset(Milestone),
            default_delivery=Delivery.IMMEDIATE,  # the walks check each mail as it comes, not a weekly digest
        )
    )
    await bus.wait(recipient_id, Stage.NOTIFICATIONS, "RecipientRegistered")
    return region, f"{recipient_id}@example.org"


async def play_side_by_side(walks: Mapping[str, Walk], partner: Partner, bus: Bus) -> None:
    """Every walk at once; each failure named by its walk."""
    results = await asyncio.gather(*(play(w, partner, bus) for w in walks.values()), return_exceptions=True)
    failed = {name: repr(r) for name, r in zip(walks, results, strict=True) if isinstance(r, BaseException)}
    assert not failed, failed


async def play(walked: Walk, partner: Partner, bus: Bus) -> None:
    """Send the walk's commands in order; at each wait, wait for the next occurrence of what it names."""
    waited: Counter[tuple[str, str, tuple[tuple[str, str], ...]]] = Counter()
    for step in walked.steps:
        if isinstance(step, Send):
            await partner.send(step.message)
            continue
        assert isinstance(step, Await)
        key = step.key or str(walked.participant_id)
        waited[(step.event, key, step.where)] += 1
        await bus.wait(key, step.stage, step.event, waited[(step.event, key, step.where)], dict(step.where))
        for other in {step.key} - {None}:
            assert not bus.of(other, kind=Kind.REJECTION)
