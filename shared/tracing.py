"""Traces across the stages (OpenTelemetry): W3C trace context carried as the CloudEvents distributed-tracing
extension (`ce_traceparent`, `ce_tracestate`); a span per handled message, per relayed record and per mail, exported
over OTLP/HTTP when an endpoint is configured.

Off by default: without `OTEL_EXPORTER_OTLP_ENDPOINT` no provider and no exporter exist, and the tracer is the API's
no-op one. That one still hands the trace context a message came with on to the messages its handling emits, so a
partner's trace passes through a stage that does not export, at the cost of copying two headers.

A trace context that is missing, given twice, not text or not of the W3C form is ignored: a new trace starts at the
stage (W3C trace context, "processing model"). It is never a reason to reject a message.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import importlib.metadata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any
from uuid import UUID

import structlog
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.trace import (
    NoOpTracer,
    Span,
    SpanKind,
    Status,
    StatusCode,
    Tracer,
    format_span_id,
    format_trace_id,
    get_current_span,
)
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from shared.contracts.envelope import TRACEPARENT, TRACESTATE, Envelope
from shared.contracts.topics import Stage
from shared.decoding import Record, header_hint
from shared.settings import ServiceSettings

INSTRUMENTATION = "journey"
OUTCOME = "journey.outcome"
"""Span attribute: what became of a handled message (applied, duplicate, skipped, rejected:<reason>)."""
Attributes = Mapping[str, str | int]

_W3C = TraceContextTextMapPropagator()


class _ProcessTracing:
    """The process's tracer: the no-op one until `start_tracing` (or `install`) gives it an exporting provider."""

    def __init__(self) -> None:
        self.tracer: Tracer = NoOpTracer()
        self.provider: TracerProvider | None = None


_process = _ProcessTracing()


def start_tracing(settings: ServiceSettings, stage: Stage) -> TracerProvider | None:
    """Export the service's spans over OTLP/HTTP, in batches, when an endpoint is configured. None without one:
    tracing stays off and no exporter is created."""
    endpoint = settings.otel_exporter_otlp_endpoint
    if not endpoint:
        return None
    # Imported only when exporting: a service that does not trace loads no exporter (nor its HTTP and protobuf code).
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    exporter = OTLPSpanExporter(endpoint=f"{endpoint.rstrip('/')}/v1/traces")
    return install(BatchSpanProcessor(exporter, schedule_delay_millis=settings.otel_bsp_schedule_delay), stage)


def install(processor: SpanProcessor, stage: Stage) -> TracerProvider:
    """Record this process's spans as service `journey-<stage>` and hand them to `processor` (an exporter's batch
    processor; tests give an in-memory one)."""
    resource = Resource.create({"service.name": f"journey-{stage.value}", "service.version": _version()})
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(processor)
    _process.provider = provider
    _process.tracer = provider.get_tracer(INSTRUMENTATION)
    return provider


async def stop_tracing() -> None:
    """Export the spans still buffered and stop exporting (at service stop); tracing is off afterwards."""
    provider, _process.provider, _process.tracer = _process.provider, None, NoOpTracer()
    if provider is not None:
        await asyncio.to_thread(provider.shutdown)  # blocks while it sends the last batch


def _version() -> str:
    try:
        return importlib.metadata.version("integration-journey")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def context_of(headers: Sequence[tuple[str, bytes | None]]) -> Context:
    """The trace context a record's headers carry; an empty one (a new trace) when `ce_traceparent` is missing,
    given more than once, or not a valid W3C traceparent (undecodable bytes included)."""
    traceparents: list[str] = []
    tracestates: list[str] = []
    for name, value in headers:
        if name == TRACEPARENT:
            traceparents.append((value or b"").decode("utf-8", "replace"))
        elif name == TRACESTATE:
            tracestates.append((value or b"").decode("utf-8", "replace"))
    if len(traceparents) != 1:
        return Context()
    return _W3C.extract({"traceparent": traceparents, "tracestate": tracestates})


def context_from(traceparent: str | None, tracestate: str | None) -> Context:
    """The trace context kept with work done later (a queued mail); empty when none was kept or it is invalid."""
    if not traceparent:
        return Context()
    carrier = {"traceparent": traceparent} | ({"tracestate": tracestate} if tracestate else {})
    return _W3C.extract(carrier)


def current() -> tuple[str | None, str | None]:
    """The W3C traceparent and tracestate of the span running now; (None, None) outside any trace."""
    if not get_current_span().get_span_context().is_valid:
        return None, None
    carrier: dict[str, str] = {}
    _W3C.inject(carrier)
    return carrier.get("traceparent"), carrier.get("tracestate") or None


def stamped(envelope: Envelope) -> Envelope:
    """The envelope carrying the trace context of the span running now (the handling of the message that caused
    it), so that the stage reading it continues the trace; unchanged outside any trace."""
    traceparent, tracestate = current()
    return envelope if traceparent is None else replace(envelope, traceparent=traceparent, tracestate=tracestate)


@contextlib.contextmanager
def handling(record: Record) -> Iterator[Span]:
    """The span of one record's handling: a consumer span, child of the trace context that record carries (its own,
    also within a batch), current while it is handled, its ids on every log line written meanwhile."""
    with _current_span(f"process {record.topic}", context_of(record.headers or ()), SpanKind.CONSUMER) as span:
        if span.is_recording():
            span.set_attributes(_consumed(record))
        yield span


@contextlib.contextmanager
def mailing(traceparent: str | None, tracestate: str | None, attributes: Attributes) -> Iterator[Span]:
    """The span of one attempt at a mail: a client span in the trace of the handling that queued it (a digest, fed
    by many messages, starts a trace of its own), current while the mail is sent and its outcome recorded."""
    with _current_span("send mail", context_from(traceparent, tracestate), SpanKind.CLIENT) as span:
        if span.is_recording():
            span.set_attributes(attributes)
        yield span


def note_outcome(outcome: str) -> None:
    """Say on the span running now what became of its work (a mail: sent, retry or failed)."""
    get_current_span().set_attribute(OUTCOME, outcome)


def publishing(topic: str, headers: Sequence[tuple[str, bytes]], sent: asyncio.Future[Any]) -> None:
    """A producer span for a record the outbox relay hands to the broker, from now until the broker acknowledged
    (or refused) it, in the trace its headers carry. Only while exporting, and only for records that carry a trace
    (a timer's event starts its trace at the stage that reads it)."""
    if _process.provider is None:
        return
    context = context_of(headers)
    if not get_current_span(context).get_span_context().is_valid:
        return
    attributes: dict[str, str | int] = {
        "messaging.system": "kafka",
        "messaging.operation.type": "send",
        "messaging.operation.name": "send",
        "messaging.destination.name": topic,
    }
    ce_id = next((value.decode("utf-8", "replace") for name, value in headers if name == "ce_id"), None)
    if ce_id is not None:
        attributes["messaging.message.id"] = ce_id
    span = _process.tracer.start_span(f"send {topic}", context, SpanKind.PRODUCER, attributes)
    sent.add_done_callback(functools.partial(_acknowledged, span))


def _acknowledged(span: Span, sent: asyncio.Future[Any]) -> None:
    if sent.cancelled():
        span.set_status(Status(StatusCode.ERROR, "cancelled"))
    elif (error := sent.exception()) is not None:
        span.record_exception(error)
        span.set_status(Status(StatusCode.ERROR, type(error).__name__))
    span.end()


@contextlib.contextmanager
def _current_span(name: str, parent: Context, kind: SpanKind) -> Iterator[Span]:
    with _process.tracer.start_as_current_span(name, parent, kind) as span:
        ids = _log_ids(span)
        structlog.contextvars.bind_contextvars(**ids)
        try:
            yield span
        finally:
            structlog.contextvars.unbind_contextvars(*ids)


def _log_ids(span: Span) -> dict[str, str]:
    """`trace_id` whenever there is a trace (also one only handed on), `span_id` of a span this process records."""
    context = span.get_span_context()
    if not context.is_valid:
        return {}
    ids = {"trace_id": format_trace_id(context.trace_id)}
    if span.is_recording():
        ids["span_id"] = format_span_id(context.span_id)
    return ids


def _consumed(record: Record) -> dict[str, str | int]:
    """The messaging semantic conventions and the CloudEvents attributes of a consumed record: where it sat, its
    id, type and source, and its subject when that is a participant's pseudonym. Never a payload field: names and
    contact data stay out of traces."""
    attributes: dict[str, str | int] = {
        "messaging.system": "kafka",
        "messaging.operation.type": "process",
        "messaging.operation.name": "process",
        "messaging.destination.name": record.topic,
        "messaging.destination.partition.id": str(record.partition),
        "messaging.kafka.offset": record.offset,
    }
    for attribute, header in (
        ("messaging.message.id", "ce_id"),
        ("cloudevents.event_id", "ce_id"),
        ("cloudevents.event_type", "ce_type"),
        ("cloudevents.event_source", "ce_source"),
    ):
        if (value := header_hint(record, header)) is not None:
            attributes[attribute] = value
    if (subject := _pseudonym(header_hint(record, "ce_subject"))) is not None:
        attributes["cloudevents.event_subject"] = subject
    return attributes


def _pseudonym(value: str | None) -> str | None:
    try:
        return str(UUID(value)) if value else None
    except ValueError:
        return None
