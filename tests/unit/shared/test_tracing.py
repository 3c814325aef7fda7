"""Trace context in and out of the `ce_traceparent`/`ce_tracestate` headers, the spans around a handled message, a
relayed record and a mail, and tracing off: no exporter, no span recorded, the incoming context still handed on."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
import structlog
from opentelemetry.exporter.otlp.proto.http import trace_exporter
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode, format_span_id, format_trace_id

from shared import tracing
from shared.contracts.envelope import TRACEPARENT, TRACESTATE, Envelope
from shared.contracts.topics import Stage
from shared.settings import ServiceSettings
from tests.unit.shared.partner_records import FakeRecord

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT_ID = "00f067aa0ba902b7"
TRACEPARENT_VALUE = f"00-{TRACE_ID}-{PARENT_ID}-01"
PARTICIPANT = "5b0f2a8e-3c4d-4e6f-9a1b-2c3d4e5f6a7b"


def command(*trace_headers: tuple[str, bytes]) -> FakeRecord:
    """A partner's command as it sits on Kafka (the payload is never read by tracing)."""
    headers = [
        ("ce_id", b"cmd-1"),
        ("ce_type", b"journey.recruitment.RegisterCandidate.v1"),
        ("ce_source", b"/partners/counselling-example"),
        ("ce_subject", PARTICIPANT.encode()),
        *trace_headers,
    ]
    return FakeRecord("journey.recruitment.commands.counselling-example", PARTICIPANT.encode(), b"{}", headers, 2, 41)


def an_event() -> Envelope:
    return Envelope.for_stage(
        Stage.RECRUITMENT, id="evt-1", type="journey.recruitment.ParticipantRecruited.v1", subject=PARTICIPANT
    )


@pytest.fixture
async def exported() -> AsyncIterator[InMemorySpanExporter]:
    """Tracing on, every span handed to an in-memory exporter as it ends."""
    exporter = InMemorySpanExporter()
    tracing.install(SimpleSpanProcessor(exporter), Stage.RECRUITMENT)
    yield exporter
    await tracing.stop_tracing()


def ids(span: ReadableSpan) -> tuple[str, str, str | None]:
    """(trace id, span id, parent span id) as hex."""
    context = span.get_span_context()
    assert context is not None
    parent = None if span.parent is None else format_span_id(span.parent.span_id)
    return format_trace_id(context.trace_id), format_span_id(context.span_id), parent


async def test_a_handled_command_continues_the_trace_it_carries_and_its_events_continue_the_handling(
    exported: InMemorySpanExporter,
) -> None:
    with tracing.handling(command((TRACEPARENT, TRACEPARENT_VALUE.encode()), (TRACESTATE, b"partner=1"))):
        event = tracing.stamped(an_event())

    [span] = exported.get_finished_spans()
    trace_id, span_id, parent = ids(span)
    assert (trace_id, parent) == (TRACE_ID, PARENT_ID)
    assert span.kind is SpanKind.CONSUMER
    assert span.name == "process journey.recruitment.commands.counselling-example"
    assert event.traceparent == f"00-{TRACE_ID}-{span_id}-01"
    assert event.tracestate == "partner=1"
    headers = dict(event.headers())
    assert headers[TRACEPARENT] == event.traceparent.encode()
    assert headers[TRACESTATE] == b"partner=1"


async def test_a_handling_span_names_the_message_by_ids_and_pseudonym_only(exported: InMemorySpanExporter) -> None:
    with tracing.handling(command((TRACEPARENT, TRACEPARENT_VALUE.encode()))):
        pass

    [span] = exported.get_finished_spans()
    assert dict(span.attributes or {}) == {
        "messaging.system": "kafka",
        "messaging.operation.type": "process",
        "messaging.operation.name": "process",
        "messaging.destination.name": "journey.recruitment.commands.counselling-example",
        "messaging.destination.partition.id": "2",
        "messaging.kafka.offset": 41,
        "messaging.message.id": "cmd-1",
        "cloudevents.event_id": "cmd-1",
        "cloudevents.event_type": "journey.recruitment.RegisterCandidate.v1",
        "cloudevents.event_source": "/partners/counselling-example",
        "cloudevents.event_subject": PARTICIPANT,
    }
    assert span.resource.attributes["service.name"] == "journey-recruitment"
    assert span.resource.attributes["service.version"]


@pytest.mark.parametrize(
    "trace_headers",
    [
        pytest.param([], id="none"),
        pytest.param([(TRACEPARENT, b"not-a-traceparent")], id="garbage"),
        pytest.param([(TRACEPARENT, f"ff-{TRACE_ID}-{PARENT_ID}-01".encode())], id="version-ff"),
        pytest.param([(TRACEPARENT, f"00-{'0' * 32}-{PARENT_ID}-01".encode())], id="zero-trace-id"),
        pytest.param([(TRACEPARENT, f"00-{TRACE_ID}-{'0' * 16}-01".encode())], id="zero-parent-id"),
        pytest.param([(TRACEPARENT, b"00-\xff\xfe-" + PARENT_ID.encode() + b"-01")], id="not-utf8"),
        pytest.param([(TRACEPARENT, f"00-{TRACE_ID}-{PARENT_ID}-01\x00".encode())], id="control-character"),
        pytest.param([(TRACEPARENT, TRACEPARENT_VALUE.encode())] * 2, id="given-twice"),
        pytest.param([(TRACEPARENT, None)], id="no-value"),
        pytest.param([(TRACESTATE, b"partner=1")], id="tracestate-alone"),
    ],
)
async def test_a_missing_or_invalid_traceparent_starts_a_new_trace_at_the_stage(
    exported: InMemorySpanExporter, trace_headers: list[tuple[str, Any]]
) -> None:
    with tracing.handling(command(*trace_headers)):
        event = tracing.stamped(an_event())

    [span] = exported.get_finished_spans()
    trace_id, span_id, parent = ids(span)
    assert parent is None
    assert trace_id != TRACE_ID
    assert event.traceparent is not None
    assert event.traceparent.startswith(f"00-{trace_id}-{span_id}-")  # flags: sampled, and random ids (level 2)


async def test_each_record_of_a_batch_has_its_own_parent(exported: InMemorySpanExporter) -> None:
    other_trace, other_parent = "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"
    first = command((TRACEPARENT, TRACEPARENT_VALUE.encode()))
    second = command((TRACEPARENT, f"00-{other_trace}-{other_parent}-01".encode()))
    with tracing.mailing(None, None, {}):  # whatever runs around the batch is no record's parent
        for record in (first, second, command()):
            with tracing.handling(record):
                pass

    spans = [ids(s) for s in exported.get_finished_spans() if s.kind is SpanKind.CONSUMER]
    assert [(trace, parent) for trace, _, parent in spans[:2]] == [(TRACE_ID, PARENT_ID), (other_trace, other_parent)]
    assert spans[2][2] is None


async def test_log_lines_written_while_handling_carry_the_trace_and_span_id(exported: InMemorySpanExporter) -> None:
    with tracing.handling(command((TRACEPARENT, TRACEPARENT_VALUE.encode()))):
        bound = structlog.contextvars.get_contextvars()

    [span] = exported.get_finished_spans()
    trace_id, span_id, _ = ids(span)
    assert (bound["trace_id"], bound["span_id"]) == (trace_id, span_id)
    assert "trace_id" not in structlog.contextvars.get_contextvars()


async def test_a_queued_mail_is_sent_in_the_trace_of_the_handling_that_queued_it(
    exported: InMemorySpanExporter,
) -> None:
    with tracing.handling(command((TRACEPARENT, TRACEPARENT_VALUE.encode()), (TRACESTATE, b"partner=1"))):
        kept = tracing.current()
    with tracing.mailing(*kept, {"journey.milestone": "participant_recruited"}):
        tracing.note_outcome("sent")

    handled, mailed = exported.get_finished_spans()
    assert ids(mailed)[0] == TRACE_ID and ids(mailed)[2] == ids(handled)[1]
    assert mailed.kind is SpanKind.CLIENT and mailed.name == "send mail"
    assert dict(mailed.attributes or {}) == {"journey.milestone": "participant_recruited", tracing.OUTCOME: "sent"}
    assert kept[1] == "partner=1"


async def test_a_relayed_record_gets_a_producer_span_until_the_broker_answers(exported: InMemorySpanExporter) -> None:
    with tracing.handling(command((TRACEPARENT, TRACEPARENT_VALUE.encode()))):
        headers = tracing.stamped(an_event()).headers()
    acknowledged: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    refused: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

    tracing.publishing("journey.recruitment.events", headers, acknowledged)
    tracing.publishing("journey.recruitment.events", headers, refused)
    tracing.publishing("journey.recruitment.events", an_event().headers(), refused)  # no trace: no span
    assert len(exported.get_finished_spans()) == 1
    acknowledged.set_result(None)
    refused.set_exception(ValueError("too large"))
    await asyncio.sleep(0)  # done callbacks run on the next turn of the loop

    handled, sent, failed = exported.get_finished_spans()
    assert sent.kind is SpanKind.PRODUCER and sent.name == "send journey.recruitment.events"
    assert ids(sent)[2] == ids(handled)[1] and ids(failed)[2] == ids(handled)[1]
    assert (sent.attributes or {})["messaging.message.id"] == "evt-1"
    assert failed.status.status_code is StatusCode.ERROR


async def test_with_tracing_off_no_exporter_is_made_and_nothing_recorded_but_the_context_is_handed_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_exporter(*args: object, **kwargs: object) -> None:
        raise AssertionError("tracing off must not create an exporter")

    monkeypatch.setattr(trace_exporter, "OTLPSpanExporter", no_exporter)
    assert tracing.start_tracing(ServiceSettings(), Stage.RECRUITMENT) is None

    with tracing.handling(command((TRACEPARENT, TRACEPARENT_VALUE.encode()), (TRACESTATE, b"partner=1"))) as span:
        handed_on = tracing.stamped(an_event())
        bound = structlog.contextvars.get_contextvars()
    with tracing.handling(command()) as untraced:
        plain = tracing.stamped(an_event())

    assert not span.is_recording() and not untraced.is_recording()
    assert (handed_on.traceparent, handed_on.tracestate) == (TRACEPARENT_VALUE, "partner=1")
    assert bound["trace_id"] == TRACE_ID and "span_id" not in bound  # the partner's trace, no span of ours
    assert plain.traceparent is None and TRACEPARENT not in dict(plain.headers())


def test_the_envelope_reads_back_the_trace_headers_it_writes() -> None:
    envelope = Envelope.for_stage(Stage.RECOGNITION, id="evt-2", type="journey.recognition.X.v1", subject=PARTICIPANT)
    traced = Envelope.from_headers(
        [*envelope.headers(), (TRACEPARENT, TRACEPARENT_VALUE.encode()), (TRACESTATE, b"partner=1")]
    )

    assert (traced.traceparent, traced.tracestate) == (TRACEPARENT_VALUE, "partner=1")
    assert Envelope.from_headers(envelope.headers()).traceparent is None
    assert TRACESTATE not in dict(Envelope.from_headers(envelope.headers()).headers())
