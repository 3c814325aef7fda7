"""Composition of one stage service: pool, migrations, producer, relay, timers, subscribers and HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import signal
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import asyncpg
import structlog
from aiokafka import AIOKafkaProducer, ConsumerRecord
from faststream import ContextRepo
from faststream.asgi import AsgiFastStream
from faststream.asgi.types import ASGIApp, Receive, Scope, Send
from faststream.kafka import KafkaBroker, Topic
from faststream.kafka.annotations import KafkaMessage
from faststream.specification import AsyncAPI

from shared import kafka_records
from shared.batching import BatchProcessor
from shared.contracts.rejections import MessageRejected
from shared.contracts.topics import PARTNER_STAGES, Kind, Stage, partner_commands_pattern, topic
from shared.http import Readiness, health_routes
from shared.inbox import InboxPurge
from shared.involvements import TABLE as PARTNER_INVOLVEMENTS
from shared.involvements import with_involvements
from shared.kafka import broker_security, create_producer, ensure_topics, subscriber_options
from shared.metrics import (
    CONSUMER_BUSY_SECONDS,
    OUTBOX_OLDEST_PENDING_SECONDS,
    OUTBOX_PENDING_ROWS,
    OUTBOX_SET_ASIDE_ROWS,
    READY,
    ConsumerLagSampler,
    observe_pool,
)
from shared.outbox import Backlog, OutboxRelay, backlog
from shared.postgres import connection, create_pool, migrate
from shared.processing import MessageProcessor, Route, message_log_fields
from shared.retry import Backoff
from shared.settings import ServiceSettings
from shared.timers import TimerHandler, TimerSweep
from shared.tracing import start_tracing, stop_tracing

log = structlog.get_logger()

Worker = Callable[[asyncpg.Pool, ServiceSettings], Awaitable[None]]
"""A step or a background loop of a service, given the pool and the service's settings."""

WebApp = Callable[[Callable[[], asyncpg.Pool], ServiceSettings], ASGIApp]
"""Builds a service's own web pages (an ASGI app), given a way to reach the pool once the service has started."""


@dataclass(frozen=True)
class ServiceSpec:
    """What makes a stage service: its stage, schema migrations, what it consumes and its due dates."""

    stage: Stage
    migrations: Path
    default_http_port: int
    consumes: Mapping[str, Sequence[Route]]
    timers: Mapping[str, TimerHandler] = field(default_factory=dict)
    prepare: Sequence[Worker] = ()
    """Steps run once at start-up, after the migrations and before any message is consumed."""
    workers: Sequence[Worker] = ()
    """Background loops run from start-up until shutdown."""
    description: str = ""
    web: WebApp | None = None
    """The service's own pages, served on its HTTP port beside `/health` and `/metrics` (which take precedence)."""
    involvements: str = PARTNER_INVOLVEMENTS
    """The table saying which organisation is involved with which participant (`shared.partners`): the copy the
    runtime keeps from recruitment's events, or the recruitment service's own."""

    @property
    def partner_commands(self) -> str | None:
        """The label of the consumer of every partner's commands topic (`journey.<stage>.commands.*`), if the stage
        takes partner commands."""
        return f"{topic(self.stage, Kind.COMMAND)}.*" if self.stage in PARTNER_STAGES else None

    def routes(self, topic_name: str) -> list[Route]:
        """What a consumer applies: the stage's routes for the topic (a partner's commands: the stage's commands),
        with the copying of involvements on recruitment's events."""
        if topic_name == self.partner_commands:
            topic_name = topic(self.stage, Kind.COMMAND)
        return with_involvements(self.stage, topic_name, self.consumes.get(topic_name, ()))

    def consumers(self) -> list[str]:
        """Every consumer's topic, or (last) the partner commands' label."""
        return [*self.consumes, *filter(None, [self.partner_commands])]

    def group(self, consumer: str) -> str:
        """The consumer group of a consumer (`consumers()`): one per topic, so no topic holds up another."""
        return f"journey-{self.stage.value}.{'partners' if consumer == self.partner_commands else consumer}"


class ServiceRuntime:
    """Owns the resources that live from start-up to shutdown; nothing connects before `start`."""

    def __init__(self, settings: ServiceSettings, spec: ServiceSpec) -> None:
        self.settings = settings
        self.spec = spec
        self.schema = spec.stage.value
        self.backoff = Backoff(settings.retry_initial_s, settings.retry_max_s)
        self._pool: asyncpg.Pool | None = None
        self._producer: AIOKafkaProducer | None = None
        self._processors: dict[str, MessageProcessor] = {}
        self._batches: dict[str, BatchProcessor] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._backlog: Backlog | None = None

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError("the service has not started")
        return self._pool

    def batches(self, topic_name: str) -> BatchProcessor:
        return self._batches[topic_name]

    async def start(self) -> None:
        s = self.settings
        start_tracing(s, self.spec.stage)
        await self.backoff.run(lambda: migrate(s.database_url, self.schema, self.spec.migrations), what="migrate")
        self._pool = await self.backoff.run(
            lambda: create_pool(s.database_url, self.schema, max_size=s.db_pool_max_size), what="db_pool"
        )
        pool = self._pool
        for step in self.spec.prepare:  # FastStream starts consuming only once this start-up hook returned
            await self.backoff.run(functools.partial(step, pool, s), what=getattr(step, "__name__", "prepare"))
        own = [topic(self.spec.stage, kind) for kind in Kind]
        await self.backoff.run(
            lambda: ensure_topics(
                s, [*own, *self.spec.consumes], stage=self.spec.stage, client_id=f"journey-{self.schema}"
            ),
            what="ensure_topics",
        )
        after_commit = _crash if s.fault_injection == "crash_after_commit" else None
        for topic_name in self.spec.consumers():
            routes = self.spec.routes(topic_name)
            self._processors[topic_name] = MessageProcessor(
                stage=self.spec.stage,
                topic=topic_name,
                pool=self._pool,
                routes={route.model.ce_type(): route for route in routes},
                backoff=self.backoff,
                after_commit=after_commit,
                unknown_participant_grace_s=s.unknown_participant_grace_s,
                max_attempts=s.max_attempts,
                involvements=self.spec.involvements,
            )
        self._batches = {
            name: BatchProcessor(
                self._pool,
                {name: processor},
                after_commit,
                any_topic=processor if name == self.spec.partner_commands else None,
            )
            for name, processor in self._processors.items()
        }
        relay = OutboxRelay(
            self._pool,
            await self._new_producer(),
            self.schema,
            poll_interval_s=s.outbox_poll_interval_s,
            retention_s=s.outbox_retention_s,
            backoff=self.backoff,
            renew_producer=self._new_producer,
        )
        self._spawn(relay.run())
        self._spawn(InboxPurge(self._pool, retention_s=s.inbox_retention_s, backoff=self.backoff).run())
        if self.spec.timers:
            sweep = TimerSweep(
                self._pool,
                self.spec.stage,
                self.spec.timers,
                interval_s=s.timer_sweep_interval_s,
                backoff=self.backoff,
            )
            self._spawn(sweep.run())
        for worker in self.spec.workers:
            self._spawn(worker(self._pool, s))
        self._spawn(self._watch())
        log.info("service_started")

    async def _new_producer(self) -> AIOKafkaProducer:
        """The relay's producer; a fresh one (new producer id) replaces the old after the broker refused a record."""
        if self._producer is not None:
            old, self._producer = self._producer, None
            with contextlib.suppress(Exception):
                await old.stop()
        producer = create_producer(self.settings, f"journey-{self.schema}-relay")
        await self.backoff.run(producer.start, what="kafka_producer")
        self._producer = producer
        return producer

    def _spawn(self, job: Awaitable[None]) -> None:
        task = asyncio.ensure_future(job)
        task.add_done_callback(_crash_on_failure)
        self._tasks.append(task)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._producer is not None:
            await self._producer.stop()
        if self._pool is not None:
            await self._pool.close()
        await stop_tracing()  # after the loops that record spans have stopped
        log.info("service_stopped")

    async def _watch(self) -> None:
        """Measure the outbox backlog now and then (for readiness and metrics) and publish the consumers' state and
        lag and the database pool's use."""
        stage = self.spec.stage.value
        lag = ConsumerLagSampler(self.settings, stage, [self.spec.group(name) for name in self.spec.consumers()])
        try:
            while True:
                try:
                    async with connection(self.pool) as conn, asyncio.timeout(5):
                        self._backlog = await backlog(conn)
                    OUTBOX_OLDEST_PENDING_SECONDS.labels(stage).set(self._backlog.oldest_pending_s)
                    OUTBOX_PENDING_ROWS.labels(stage).set(self._backlog.pending)
                    OUTBOX_SET_ASIDE_ROWS.labels(stage).set(self._backlog.set_aside)
                except Exception as error:  # the database check reports an outage; the next round measures again
                    log.warning("outbox_backlog_unknown", error=repr(error))
                    self._backlog = None
                await lag.sample()
                observe_pool(stage, self.pool)
                for processor in self._processors.values():
                    CONSUMER_BUSY_SECONDS.labels(stage, processor.progress.topic).set(processor.progress.busy_s())
                READY.labels(stage).set(1 if (await self.readiness()).ready else 0)
                await asyncio.sleep(self.settings.watch_interval_s)
        finally:
            await lag.close()

    async def readiness(self) -> Readiness:
        """Database answers, background loops run, no consumer is stuck on a record, the outbox drains."""
        database = False
        if self._pool is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(2):
                    database = await self._pool.fetchval("SELECT true")
        running = bool(self._tasks) and not any(t.done() for t in self._tasks)
        problems = [
            stall
            for processor in self._processors.values()
            if (stall := processor.progress.stall(self.settings.stall_after_s)) is not None
        ]
        notes = []
        if self._backlog is not None:
            waited, set_aside, _ = self._backlog
            if waited > self.settings.outbox_stall_after_s:
                problems.append(f"outbox: the oldest unpublished row has waited {waited:.0f} s")
            if set_aside:
                notes.append(f"outbox: {set_aside} row(s) set aside, refused by the broker (outbox.set_aside_reason)")
        return Readiness({"database": bool(database), "background_tasks": running}, problems, notes)


def _crash() -> None:
    """Fault drill: die like `kill -9` after the transaction committed and before the offset commit."""
    log.warning("fault_injection_crash_after_commit")
    os._exit(86)


def _crash_on_failure(task: asyncio.Task[None]) -> None:
    """A background loop that dies of a bug takes the process down, so the supervisor restarts it."""
    if not task.cancelled() and task.exception() is not None:
        log.error("background_task_failed", error=repr(task.exception()), exc_info=task.exception())
        os.kill(os.getpid(), signal.SIGTERM)


class MessageContextFilter(logging.Filter):
    """Adds the message being handled (ce_id, participant, position; for a batch of several, its size) to
    FastStream's own log records, which are written outside the handler and so outside the structlog context the
    handler binds."""

    def __init__(self, context: Callable[[], ContextRepo]) -> None:
        super().__init__()
        self._context = context  # looked up per record: the application replaces the broker's context at start

    def filter(self, record: logging.LogRecord) -> bool:
        message = self._context().get_local("message")
        raw = getattr(message, "raw_message", None)
        if isinstance(raw, tuple) and len(raw) == 1:
            raw = raw[0]
        if isinstance(raw, ConsumerRecord):
            for name, value in message_log_fields(raw).items():
                setattr(record, name, value)
        elif isinstance(raw, tuple) and raw:
            record.batch_size = len(raw)  # the records' own lines (message_applied, ...) carry their ids
        return True


def build_app(settings: ServiceSettings, spec: ServiceSpec) -> AsgiFastStream:
    """The ASGI application (Kafka subscribers + HTTP routes) for one stage service."""
    kafka_records.install()  # a header name that is not UTF-8 must not stop the consumers (see the module)
    runtime = ServiceRuntime(settings, spec)
    # FastStream's own logger has its own handler; ours goes through the structlog renderer. Its per-message lines
    # ("Received", "Processed") are debug detail next to ours (message_applied, message_rejected...); all of them
    # carry the message's ce_id and participant.
    framework_log = logging.getLogger("journey.faststream")
    broker = KafkaBroker(
        settings.kafka_bootstrap_servers,
        security=broker_security(settings),
        client_id=f"journey-{spec.stage.value}",
        # A partner added while the service runs: the pattern consumer finds its commands topic within ten seconds.
        metadata_max_age_ms=10_000,
        logger=framework_log,
        log_level=logging.DEBUG,
    )
    framework_log.addFilter(MessageContextFilter(lambda: broker.context))
    # One consumer per topic, each with its own group: a command waiting for the fact that introduces its
    # participant (on another topic) must not hold that fact up.
    for topic_name in spec.consumers():
        routes = spec.routes(topic_name)
        partners = topic_name == spec.partner_commands
        subscriber = broker.subscriber(
            # The runtime made the topics with their configs (ensure_topics), and a service may not create any on
            # the secured bus: FastStream must not try again.
            *(() if partners else (Topic(topic_name, declare=False),)),
            pattern=partner_commands_pattern(spec.stage) if partners else None,
            title=f"{spec.stage.value}:{topic_name}",
            description=("Every partner's own commands topic. " if partners else "")
            + "Accepts: "
            + ", ".join(r.model.ce_type() for r in routes),
            **subscriber_options(
                spec.group(topic_name),
                max_records=settings.consumer_batch_max_records,
                wait_ms=settings.consumer_batch_wait_ms,
            ),
        )
        subscriber(_consumer(runtime, topic_name))
    broker.publisher(topic(spec.stage, Kind.EVENT), title=f"{spec.stage.value}:events")
    broker.publisher(
        MessageRejected.topic_for(spec.stage), title=f"{spec.stage.value}:rejections", schema=MessageRejected
    )

    async def readiness() -> Readiness:
        state, kafka = await asyncio.gather(runtime.readiness(), broker.ping(timeout=2))
        return replace(state, checks={**state.checks, "kafka": bool(kafka)})

    app = AsgiFastStream(
        broker,
        asgi_routes=health_routes(readiness),
        logger=framework_log,
        on_startup=[runtime.start],
        after_shutdown=[runtime.stop],
        specification=AsyncAPI(
            title=f"Integration Journey: {spec.stage.value}", version="1.0.0", description=spec.description
        ),
        asyncapi_path="/docs/asyncapi",
    )
    if spec.web is None:
        return app
    return _WithPages(app, spec.web(lambda: runtime.pool, settings))  # type: ignore[return-value]


class _WithPages:
    """The service's ASGI app with its own pages: lifespan and the health, metrics and AsyncAPI paths go to
    FastStream's app, every other HTTP request to the pages."""

    def __init__(self, app: AsgiFastStream, pages: ASGIApp) -> None:
        self.app = app
        self.pages = pages
        self.own = {path for path, _ in app.routes} | {"/docs/asyncapi"}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] not in self.own:
            await self.pages(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def _consumer(runtime: ServiceRuntime, topic_name: str) -> Callable[[Any], Awaitable[None]]:
    async def consume(msg: KafkaMessage) -> None:
        batch = msg.raw_message
        assert isinstance(batch, tuple), "subscribers are batch subscribers"
        await runtime.batches(topic_name).process(batch)

    consume.__name__ = f"consume_{topic_name.replace('.', '_')}"
    return consume
