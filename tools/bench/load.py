"""Load generator: N simulated participants' journeys, each stage's events answered with PartnerPlay's next commands.

Open loop (`rate` > 0: new journeys per second, whatever the system's backlog) or closed loop (`rate` = 0: at most
`in_flight` journeys under way, a new one starts when one is complete: as fast as the system takes them). Bounded
by the number of journeys and a time limit; it stops by itself.

A journey's events end with its walk's last event (`events_done_at`). It is complete (`finished_at`) then, or,
with a `complete` hook, once the hook says so too: the bench waits for the journey's last mail, so that mails
cannot pile up behind a closed loop that only watches events. A journey one of whose commands is rejected is
stuck (PartnerPlay has no answer to a rejection): it counts as failed (`failed`, with the reason) and frees its
slot; the figures report it rather than wait for it.

It records what the figures and the drill need: every command it sent (ce_id, send time), every event and
rejection about its participants (ce_id, causation, first time seen, copies seen), when each journey started and
finished. Events are answered once per (topic, `ce_id`): a partner is an idempotent consumer too, so a redelivered
copy (at-least-once transport) does not make it send its commands twice. Not per `ce_id` alone: two stages reacting
to the same message give their events the same `ce_id` (shared/unit_of_work.py derives it from the cause only), e.g.
recognition's RecognitionCaseOpened and qualification's MeasurePlanned both answer ParticipantRecruited.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.errors import KafkaError

from shared.contracts.envelope import BaseMessage, Envelope, encode
from shared.contracts.topics import Kind, Stage, topic
from tools.bench.topics import Offsets, parse, reader
from tools.journeys import PartnerPlay, cohort_profile

WATCHED = [topic(stage, kind) for stage in Stage for kind in (Kind.EVENT, Kind.REJECTION)]
SOURCE = "/partners/bench"


@dataclass
class SentCommand:
    ce_id: str
    name: str
    participant: str
    topic: str
    sent_at: float  # time.monotonic() just before the first send
    attempts: int = 1


@dataclass
class SeenEvent:
    ce_id: str
    ce_type: str
    name: str
    participant: str
    causation_id: str
    topic: str
    seen_at: float
    copies: int = 1


@dataclass
class LoadStats:
    """What the generator saw; times are `time.monotonic()`."""

    commands: dict[str, SentCommand] = field(default_factory=dict)
    events: dict[tuple[str, str], SeenEvent] = field(default_factory=dict)  # by (topic, ce_id)
    causes: dict[str, str] = field(default_factory=dict)  # ce_id -> ce_causationid (same-id events share a cause)
    started_at: dict[str, float] = field(default_factory=dict)
    events_done_at: dict[str, float] = field(default_factory=dict)
    finished_at: dict[str, float] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)  # participant -> "<Command>: <reason> (<detail>)"
    resends: int = 0
    foreign_records: int = 0

    @property
    def rejections(self) -> list[SeenEvent]:
        return [e for e in self.events.values() if e.topic.endswith(".rejections")]

    @property
    def redelivered_copies(self) -> int:
        return sum(e.copies - 1 for e in self.events.values())

    def records_seen(self) -> int:
        return sum(e.copies for e in self.events.values())

    def by_type(self) -> Counter[str]:
        return Counter(e.name for e in self.events.values())


class LoadGenerator:
    def __init__(
        self,
        bootstrap: str,
        *,
        journeys: int,
        rate: float = 0.0,
        in_flight: int = 64,
        seed: int = 7,
        region: str = "DE-SL",
        partner_org: str = "iq-network-example",
        complete: Callable[[str, str], bool] | None = None,
    ) -> None:
        self.bootstrap = bootstrap
        self.journeys = journeys
        self.rate = rate
        self.in_flight = in_flight
        self.region = region
        self.partner_org = partner_org
        self.complete = complete
        self.play = PartnerPlay()
        self.stats = LoadStats()
        self._rng = random.Random(seed)
        self._slots = asyncio.Semaphore(in_flight if rate <= 0 else 1_000_000)
        self._producer = AIOKafkaProducer(
            bootstrap_servers=bootstrap,
            client_id="journey-bench-load",
            enable_idempotence=True,
            acks="all",
            linger_ms=5,
            request_timeout_ms=300_000,  # a broker restart in the drill is waited out, not an error
        )
        self._consumer: AIOKafkaConsumer = reader(bootstrap)
        self._tasks: list[asyncio.Task[None]] = []
        self._confirmations: set[asyncio.Task[None]] = set()
        self._fed = asyncio.Event()
        self._unfinished: set[str] = set()
        self._stopping = False

    @property
    def started(self) -> int:
        return len(self.stats.started_at)

    @property
    def finished(self) -> int:
        return len(self.stats.finished_at)

    @property
    def participants(self) -> set[str]:
        return set(self.play.journeys)

    async def start(self, from_offsets: Offsets) -> None:
        """Read the journey topics from `from_offsets` (taken before the first command), then begin feeding."""
        await self._producer.start()
        await self._consumer.start()
        watched = [tp for tp in from_offsets if tp.topic in WATCHED]
        if {tp.topic for tp in watched} != set(WATCHED):
            raise RuntimeError(f"no start offsets for {sorted(set(WATCHED) - {tp.topic for tp in watched})}")
        self._consumer.assign(watched)
        for tp in watched:
            self._consumer.seek(tp, from_offsets[tp])
        self._tasks = [
            asyncio.create_task(self._consume()),
            asyncio.create_task(self._feed()),
            asyncio.create_task(self._finish()),
        ]

    async def wait_finished(self, time_limit_s: float, progress: float = 10.0, stall_s: float = 120.0) -> bool:
        """Until every journey completed or failed (True), or the time limit passed or nothing happened for
        `stall_s` (False: journeys are stuck); prints progress."""
        deadline = time.monotonic() + time_limit_s
        next_report = time.monotonic() + progress
        last_news, last_counts = time.monotonic(), (0, 0)
        while time.monotonic() < deadline:
            self._raise_failures()
            if self._fed.is_set() and self.finished + len(self.stats.failed) >= self.started:
                return not self.stats.failed
            counts = (len(self.stats.commands), self.stats.records_seen() + self.finished)
            if counts != last_counts:
                last_news, last_counts = time.monotonic(), counts
            elif time.monotonic() - last_news > stall_s:
                print(f"  load: nothing happened for {stall_s:.0f}s; giving up on the unfinished journeys", flush=True)
                break
            if time.monotonic() >= next_report:
                print(
                    f"  load: {self.started} started, {self.finished} finished, {len(self.stats.failed)} failed,"
                    f" {len(self.stats.commands)} commands, {len(self.stats.events)} events",
                    flush=True,
                )
                next_report += progress
            await asyncio.sleep(0.2)
        self._stopping = True  # no new journeys after the time limit
        return False

    async def stop(self) -> None:
        self._stopping = True
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._confirmations:
            await asyncio.wait(self._confirmations, timeout=30)
        await self._consumer.stop()
        await self._producer.stop()

    def _raise_failures(self) -> None:
        for task in self._tasks:
            if task.done() and not task.cancelled() and task.exception() is not None:
                raise RuntimeError("the load generator failed") from task.exception()

    async def _feed(self) -> None:
        began = time.monotonic()
        try:
            for index in range(self.journeys):
                if self.rate > 0:
                    await asyncio.sleep(max(0.0, began + index / self.rate - time.monotonic()))
                else:
                    await self._slots.acquire()
                if self._stopping:
                    break
                profile = replace(cohort_profile(index, self._rng), region=self.region, partner_org=self.partner_org)
                participant = uuid.uuid4()  # fresh ids every run; only the profiles follow the seed
                self.stats.started_at[str(participant)] = time.monotonic()
                for command in self.play.start(profile, participant):
                    await self._send(command)
        finally:
            self._fed.set()

    async def _consume(self) -> None:
        while True:
            batches = await self._consumer.getmany(timeout_ms=200, max_records=2000)
            now = time.monotonic()
            for raws in batches.values():
                for raw in raws:
                    await self._on_record(raw, now)

    async def _on_record(self, raw: object, now: float) -> None:
        record = parse(raw)
        journey = self.play.journeys.get(record.key) or self.play.journeys.get(str(record.body.get("participant_id")))
        if journey is None:
            self.stats.foreign_records += 1
            return
        known = self.stats.events.get((record.topic, record.ce_id))
        if known is not None:
            known.copies += 1
            return
        pid = str(journey.participant_id)
        self.stats.events[(record.topic, record.ce_id)] = SeenEvent(
            record.ce_id, record.ce_type, record.name, pid, record.causation_id, record.topic, now
        )
        self.stats.causes[record.ce_id] = record.causation_id
        if record.topic.endswith(".rejections") and pid not in self.stats.failed:
            rejected = self.stats.commands.get(str(record.body.get("rejected_id")))
            self.stats.failed[pid] = (
                f"{rejected.name if rejected else record.body.get('rejected_type')}:"
                f" {record.body.get('reason')} ({record.body.get('message')})"
            )
            print(f"  load: journey {pid} failed: {self.stats.failed[pid]}", flush=True)
            if pid not in self.stats.finished_at:
                self._unfinished.discard(pid)
                self._slots.release()
        was_done = journey.done
        for command in self.play.react(record.ce_type, record.body):
            await self._send(command)
        if journey.done and not was_done:
            self.stats.events_done_at[pid] = now
            self._unfinished.add(pid)

    async def _finish(self) -> None:
        """Mark journeys complete once their events ended (and the hook agrees); free their slot."""
        while True:
            now = time.monotonic()
            for pid in [
                p for p in self._unfinished if self.complete is None or self.complete(p, self.play.final_milestone(p))
            ]:
                self._unfinished.discard(pid)
                self.stats.finished_at[pid] = now
                if pid not in self.stats.failed:  # a failed journey's slot was freed when it failed
                    self._slots.release()
            await asyncio.sleep(0.02)

    async def _send(self, message: BaseMessage) -> None:
        key, headers, value = encode(message, Envelope.for_message(message, source=SOURCE))
        ce_id = dict(headers)["ce_id"].decode()
        sent = SentCommand(ce_id, type(message).__name__, message.kafka_key(), message.topic(), time.monotonic())
        self.stats.commands[ce_id] = sent
        delivery = await self._producer.send(sent.topic, value=value, key=key, headers=headers)
        task = asyncio.create_task(self._confirm(sent, delivery, key, headers, value))
        self._confirmations.add(task)
        task.add_done_callback(self._confirmations.discard)

    async def _confirm(
        self,
        sent: SentCommand,
        delivery: asyncio.Future[object],
        key: bytes,
        headers: list[tuple[str, bytes]],
        value: bytes,
    ) -> None:
        """A partner re-sends what the broker did not acknowledge, with the same ce_id (the inbox drops twins)."""
        while True:
            try:
                await delivery
                return
            except KafkaError as error:
                print(f"  load: re-sending {sent.name} {sent.ce_id} after {error!r}", flush=True)
                self.stats.resends += 1
                sent.attempts += 1
                await asyncio.sleep(1)
                delivery = await self._producer.send(sent.topic, value=value, key=key, headers=headers)
