"""Every route the law gives, walked side by side on one stack: a doctor from a third country, a nurse through the
adaptation course, a nurse who finally fails the knowledge test, an educator through the aptitude test, an engineer
with a statement of comparability, an electrician from partial to full equivalence, a participant who needs no
recognition, a trainee — each one the
partner guide's worked example (`tools.walks`), played as a partner would play it: send, and wait where the guide
says to wait. The coordinator of their region hears each milestone of each walk exactly once."""

from __future__ import annotations

import asyncio
import secrets
import string
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from shared.contracts.enums import Milestone
from shared.contracts.notifications import RecipientKind, RegisterRecipient
from shared.contracts.topics import Kind, Stage, topic
from tests.support.infra import Infra
from tests.support.kafka import Partner, Received, _partitions
from tests.support.processes import ServiceProcess
from tests.support.smtp import SmtpSink
from tools.walks import WALKS, Await, Send, Walk, walk

WATCHED = [topic(stage, kind) for stage in Stage for kind in (Kind.EVENT, Kind.REJECTION)]
STEP_TIMEOUT_S = 60


class Bus:
    """One reader on every stage's events and rejections from the moment it opened; walks wait on it together."""

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

    async def wait(self, key: uuid.UUID | str, stage: Stage, name: str, count: int = 1) -> None:
        """Until the `count`-th `name` about `key` on `stage`'s events; a rejection about `key` fails at once."""
        deadline = time.monotonic() + STEP_TIMEOUT_S
        events = topic(stage, Kind.EVENT)
        while time.monotonic() < deadline:
            refused = self.of(key, kind=Kind.REJECTION)
            assert not refused, [(r.body["rejected_type"], r.body["reason"], r.body["message"]) for r in refused]
            if sum(1 for r in self.of(key) if r.topic == events and r.ce_type.split(".")[2] == name) >= count:
                return
            await asyncio.sleep(0.1)
        seen = [r.ce_type.split(".")[2] for r in self.of(key)]
        raise AssertionError(f"no {name} #{count} from {stage} within {STEP_TIMEOUT_S}s; seen: {seen}")


async def play(walked: Walk, partner: Partner, bus: Bus) -> None:
    """Send the walk's commands in order; at each wait, wait for the next occurrence of that event."""
    waited: Counter[str] = Counter()
    for step in walked.steps:
        if isinstance(step, Send):
            await partner.send(step.message)
        else:
            assert isinstance(step, Await)
            waited[step.event] += 1
            await bus.wait(walked.participant_id, step.stage, step.event, waited[step.event])


@pytest.fixture
async def bus(infra: Infra, journey_services: dict[str, ServiceProcess]) -> AsyncIterator[Bus]:
    async with Bus(infra.kafka) as reader:
        yield reader


async def test_every_route_walks_to_its_end_side_by_side_and_the_coordinator_hears_each_milestone_once(
    partner: Partner, bus: Bus, smtp: SmtpSink
) -> None:
    token = uuid.uuid4().hex[:6]
    region = "DE-" + "".join(secrets.choice(string.ascii_uppercase) for _ in range(3))
    coordinator = f"routes-coord-{token}@example.org"
    await partner.send(
        RegisterRecipient(
            recipient_id=f"routes-coord-{token}",
            recipient_kind=RecipientKind.COORDINATOR,
            email=coordinator,
            display_name="Koordination Routen (Beispiel)",
            regions=frozenset({region}),
            milestones=frozenset(Milestone),
        )
    )
    await bus.wait(f"routes-coord-{token}", Stage.NOTIFICATIONS, "RecipientRegistered")
    walks = [walk(name, region=region, partner_org=f"routes-partner-{token}") for name in WALKS]

    results = await asyncio.gather(*(play(w, partner, bus) for w in walks), return_exceptions=True)
    failed = {w.name: repr(r) for w, r in zip(walks, results, strict=True) if isinstance(r, BaseException)}
    assert not failed, failed

    expected = sum(len(w.milestones) for w in walks)
    await smtp.wait_for(coordinator, count=expected, timeout_s=90)
    await smtp.wait_for(coordinator, count=expected + 1, timeout_s=3)  # an extra would show now
    for w in walks:
        mails = [m for m in smtp.to(coordinator) if m["X-Journey-Participant"] == str(w.participant_id)]
        got = Counter(m["X-Journey-Milestone"] for m in mails)
        assert got == Counter(str(m) for m in w.milestones), (w.name, got)
