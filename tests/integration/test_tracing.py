"""One trace from a partner's command to the mail it ends in: recruitment and notifications as real processes on the
real broker and database, exporting over OTLP/HTTP to a real receiver in this process, mailing a real SMTP sink.

The partner sends `RegisterCandidate` on its own commands topic with a W3C `ce_traceparent`; recruitment applies it
and publishes `ParticipantRecruited`, which notifications turns into a mail to the region's coordinator. Every span
on that path must be in the partner's trace, each the child of the one before; so must a refused command's
rejection. And a service that stops exports the spans it still holds.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from aiokafka import ConsumerRecord
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from shared import tracing
from shared.contracts.envelope import TRACEPARENT, Envelope, encode
from shared.contracts.recruitment import RegisterCandidate
from shared.contracts.topics import Kind, Stage, partner_topic, topic
from shared.partners import source_of
from shared.settings import ServiceSettings
from tests.integration.notifications.support import World, coordinator, named, notifications_process
from tests.support.factories import register_candidate
from tests.support.infra import Infra
from tests.support.kafka import Partner, Tap
from tests.support.otlp import OtlpReceiver, ReceivedSpan
from tests.support.processes import ServiceProcess, running
from tests.support.smtp import SmtpSink

ORG = f"tracing-{uuid.uuid4().hex[:8]}"
COMMANDS = partner_topic(Stage.RECRUITMENT, Kind.COMMAND, ORG)
REJECTIONS = partner_topic(Stage.RECRUITMENT, Kind.REJECTION, ORG)
TIMEOUT_S = 60


@pytest.fixture(scope="module")
def receiver() -> Iterator[OtlpReceiver]:
    with OtlpReceiver() as started:
        yield started


@pytest.fixture(scope="module")
def smtp() -> Iterator[SmtpSink]:
    with SmtpSink() as sink:
        yield sink


@pytest.fixture(scope="module")
async def partner_topics(infra: Infra) -> None:
    """The partner's topics, as deploy/infra.sh's partner-add makes them: before the services start, so that
    recruitment's pattern consumer reads the commands topic at once."""
    admin = AIOKafkaAdminClient(bootstrap_servers=infra.kafka)
    await admin.start()
    try:
        response = await admin.create_topics([NewTopic(name, 3, 1) for name in (COMMANDS, REJECTIONS)])
        assert all(code in (0, TopicAlreadyExistsError.errno) for _, code, *_ in response.topic_errors)
    finally:
        await admin.close()


@pytest.fixture(scope="module")
def services(
    infra: Infra, log_dir: Path, receiver: OtlpReceiver, smtp: SmtpSink, partner_topics: None
) -> Iterator[dict[str, ServiceProcess]]:
    tracing = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint, "OTEL_BSP_SCHEDULE_DELAY": "200"}
    with running(
        {
            "recruitment": ServiceProcess("recruitment", infra, log_dir, **tracing),
            "notifications": notifications_process(infra, log_dir, smtp, **tracing),
        }
    ) as started:
        yield started


@pytest.fixture
async def events(infra: Infra) -> AsyncIterator[Tap]:
    async with Tap(infra.kafka, topic(Stage.RECRUITMENT, Kind.EVENT)) as tap:
        yield tap


def w3c_ids() -> tuple[str, str]:
    """A partner's own trace id and span id, as its tracer would make them."""
    return secrets.token_hex(16), secrets.token_hex(8)


async def send_as_partner(partner: Partner, command: RegisterCandidate, traceparent: str) -> None:
    """The command on the partner's own topic, with the partner's trace context in `ce_traceparent`."""
    key, headers, value = encode(command, Envelope.for_message(command, source=source_of(ORG)))
    await partner.send_raw(COMMANDS, value, key=key, headers=[*headers, (TRACEPARENT, traceparent.encode())])


def chain_up(start: ReceivedSpan, spans: list[ReceivedSpan]) -> list[ReceivedSpan]:
    """`start` and its ancestors among `spans`, child first."""
    by_id = {span.span_id: span for span in spans}
    chain = [start]
    while chain[-1].parent_span_id in by_id:
        chain.append(by_id[chain[-1].parent_span_id])
    return chain


async def test_a_stopping_service_exports_the_spans_it_still_holds(receiver: OtlpReceiver) -> None:
    """What `ServiceRuntime.stop` relies on: the batch not due for a minute goes out at stop, over real OTLP/HTTP."""
    settings = ServiceSettings(otel_exporter_otlp_endpoint=receiver.endpoint, otel_bsp_schedule_delay=60_000)
    trace_id, partner_span = w3c_ids()
    command = register_candidate()
    _, headers, value = encode(command, Envelope.for_message(command, source=source_of(ORG)))
    traced = [*headers, (TRACEPARENT, f"00-{trace_id}-{partner_span}-01".encode())]
    record = ConsumerRecord(COMMANDS, 0, 7, 0, 0, None, value, None, 0, len(value), traced)

    assert tracing.start_tracing(settings, Stage.PLACEMENT) is not None
    try:
        with tracing.handling(record):
            pass
        assert not [span for span in receiver.spans if span.trace_id == trace_id]  # held for the next batch
    finally:
        await tracing.stop_tracing()

    [exported] = [span for span in receiver.spans if span.trace_id == trace_id]
    assert (exported.service, exported.parent_span_id) == ("journey-placement", partner_span)
    assert exported.resource["service.version"]


async def test_a_partners_command_the_event_it_caused_and_the_mail_it_ended_in_form_one_trace(
    infra: Infra,
    partner: Partner,
    services: dict[str, ServiceProcess],
    receiver: OtlpReceiver,
    smtp: SmtpSink,
    events: Tap,
) -> None:
    world = World()
    desk = await coordinator(partner, infra.kafka, world)
    command = register_candidate(region=world.region, partner_org=ORG)
    pid = str(command.participant_id)
    trace_id, partner_span = w3c_ids()

    await send_as_partner(partner, command, f"00-{trace_id}-{partner_span}-01")

    assert await smtp.wait_for(desk, timeout_s=TIMEOUT_S), "no mail to the coordinator"
    [mailed] = await receiver.wait_for(
        lambda s: s.name == "send mail" and s.attributes.get("journey.participant_id") == pid, timeout_s=TIMEOUT_S
    )
    [recruited] = await events.wait_for(named("ParticipantRecruited", pid), timeout_s=TIMEOUT_S)
    in_trace = [span for span in receiver.spans if span.trace_id == trace_id]

    mail, handled_event, handled_command = chain_up(mailed, in_trace)
    assert (mail.service, mail.kind, mail.attributes["journey.outcome"]) == ("journey-notifications", "client", "sent")
    assert mail.attributes["journey.milestone"] == "participant_recruited"
    assert (handled_event.service, handled_event.kind) == ("journey-notifications", "consumer")
    assert handled_event.name == "process journey.recruitment.events"
    assert handled_event.attributes["cloudevents.event_type"] == "journey.recruitment.ParticipantRecruited.v1"
    assert handled_event.attributes["cloudevents.event_id"] == recruited.headers["ce_id"]
    assert (handled_command.service, handled_command.kind) == ("journey-recruitment", "consumer")
    assert handled_command.name == f"process {COMMANDS}"
    assert handled_command.attributes["journey.outcome"] == "applied"
    assert handled_command.parent_span_id == partner_span  # the chain goes back to the partner's own span
    assert recruited.headers[TRACEPARENT].startswith(f"00-{trace_id}-{handled_command.span_id}-")
    personal = [str(value) for value in command.personal.model_dump().values() if value is not None]
    assert not [v for span in in_trace for v in span.attributes.values() if any(p in str(v) for p in personal)]
    relayed = await receiver.wait_for(
        lambda s: s.kind == "producer" and s.attributes.get("messaging.message.id") == recruited.headers["ce_id"]
    )
    assert [(s.service, s.trace_id, s.parent_span_id) for s in relayed] == [
        ("journey-recruitment", trace_id, handled_command.span_id)
    ]


async def test_a_refused_command_and_its_rejection_share_the_partners_trace(
    infra: Infra, partner: Partner, services: dict[str, ServiceProcess], receiver: OtlpReceiver
) -> None:
    forged = register_candidate(partner_org="another-org-example")
    trace_id, partner_span = w3c_ids()

    async with Tap(infra.kafka, REJECTIONS) as rejections:
        await send_as_partner(partner, forged, f"00-{trace_id}-{partner_span}-01")
        [rejection] = await rejections.wait_for(lambda r: r.key == str(forged.participant_id), timeout_s=TIMEOUT_S)
    [handled] = await receiver.wait_for(lambda s: s.trace_id == trace_id and s.kind == "consumer", timeout_s=TIMEOUT_S)

    assert rejection.body["reason"] == "forged_organisation"
    assert handled.parent_span_id == partner_span
    assert handled.attributes["journey.outcome"] == "rejected:forged_organisation"
    assert rejection.headers[TRACEPARENT].startswith(f"00-{trace_id}-{handled.span_id}-")
