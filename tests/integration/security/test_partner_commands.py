"""A partner acts only for itself: commands from a partner's own topic are checked against who sent them.

The broker lets partner `<org>` write only `journey.<stage>.commands.<org>` (test_broker.py shows that); here the
services' side, on the real broker and database: a command there must say it is from `<org>` and be about a
participant `<org>` is involved with, and its rejection goes to `<org>`'s own rejections topic. The records are sent
over the loopback development listener, as the broker would have let that partner send them.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import date
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from shared.contracts.envelope import BaseMessage, Envelope, encode
from shared.contracts.examples import example_of
from shared.contracts.organisations import (
    OrganisationInvolved,
    OrganisationRegistered,
    OrgKind,
    RegisterOrganisation,
)
from shared.contracts.recognition import ApplicationSubmitted, RecognitionCaseOpened
from shared.contracts.recruitment import OrgRole
from shared.contracts.rejections import RejectionReason
from shared.contracts.topics import Kind, Stage, partner_topic, topic
from shared.kafka import topic_configs
from shared.settings import ServiceSettings
from tests.integration.recognition.journey import recruited, submit
from tests.support.factories import register_candidate
from tests.support.infra import Infra
from tests.support.kafka import Partner, Tap, for_participant
from tests.support.processes import ServiceProcess

pytestmark = pytest.mark.integration

RUN = uuid.uuid4().hex[:8]
ORG_A = f"sec-a-{RUN}"
ORG_B = f"sec-b-{RUN}"
WEEK_MS = str(7 * 24 * 3600 * 1000)
WEEK_LONG = (Stage.RECOGNITION, Kind.REJECTION, ORG_A)


async def _partner_topics(infra: Infra) -> None:
    """Both partners' topics, as the set-up creates them; A's recognition rejections with the broker's week of
    retention, which the service must correct at start-up."""
    admin = AIOKafkaAdminClient(bootstrap_servers=infra.kafka)
    await admin.start()
    try:
        wanted = [
            NewTopic(
                partner_topic(stage, kind, org),
                num_partitions=3,
                replication_factor=1,
                topic_configs={"retention.ms": WEEK_MS}
                if (stage, kind, org) == (Stage.RECOGNITION, Kind.REJECTION, ORG_A)
                else {},
            )
            for stage in (Stage.RECRUITMENT, Stage.RECOGNITION)
            for kind in (Kind.COMMAND, Kind.REJECTION)
            for org in (ORG_A, ORG_B)
        ]
        response = await admin.create_topics(wanted)
        for name, code, *_ in response.topic_errors:
            assert code in (0, TopicAlreadyExistsError.errno), (name, code)
    finally:
        await admin.close()


@pytest.fixture(scope="module")
async def topics_of_partners(infra: Infra) -> None:
    await _partner_topics(infra)  # before the services start: a pattern subscription sees them at once


@pytest.fixture(scope="module")
def services(infra: Infra, log_dir: Path, topics_of_partners: None) -> Iterator[dict[str, ServiceProcess]]:
    started = {stage: ServiceProcess(stage, infra, log_dir).start() for stage in ("recruitment", "recognition")}
    yield started
    for service in started.values():
        service.stop()


@pytest.fixture
async def producer(infra: Infra) -> AsyncIterator[AIOKafkaProducer]:
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka, acks="all", enable_idempotence=True)
    await producer.start()
    yield producer
    await producer.stop()


async def send_from(producer: AIOKafkaProducer, org: str, message: BaseMessage, *, source: str | None = None) -> str:
    """What partner `org` sends: the command on its own commands topic, with `/partners/<org>` unless forged."""
    envelope = Envelope.for_message(message, source=source or f"/partners/{org}")
    key, headers, value = encode(message, envelope)
    await producer.send_and_wait(partner_topic(message.stage, Kind.COMMAND, org), value=value, key=key, headers=headers)
    return envelope.id


async def recruited_by(partner: Partner, org: str, events: Tap) -> uuid.UUID:
    fact = recruited().model_copy(update={"partner_org": org})
    await partner.send(fact)
    await events.wait_for(for_participant(fact.participant_id, RecognitionCaseOpened.ce_type()))
    return fact.participant_id


RECOGNITION_EVENTS = topic(Stage.RECOGNITION, Kind.EVENT)
SHARED_REJECTIONS = topic(Stage.RECOGNITION, Kind.REJECTION)


async def test_the_partner_leading_the_case_is_applied_from_its_own_topic(
    infra: Infra, partner: Partner, producer: AIOKafkaProducer, services: dict[str, ServiceProcess]
) -> None:
    async with Tap(infra.kafka, RECOGNITION_EVENTS) as events:
        pid = await recruited_by(partner, ORG_A, events)
        sent = await send_from(producer, ORG_A, submit(pid))
        [submitted] = await events.wait_for(for_participant(pid, ApplicationSubmitted.ce_type()))
    assert submitted.headers["ce_causationid"] == sent


async def test_a_partner_not_involved_is_rejected_on_its_own_rejections_topic_after_the_grace(
    infra: Infra, partner: Partner, producer: AIOKafkaProducer, services: dict[str, ServiceProcess]
) -> None:
    own_rejections = partner_topic(Stage.RECOGNITION, Kind.REJECTION, ORG_A)
    async with (
        Tap(infra.kafka, RECOGNITION_EVENTS) as events,
        Tap(infra.kafka, own_rejections) as rejections,
        Tap(infra.kafka, SHARED_REJECTIONS) as shared,
        Tap(infra.kafka, partner_topic(Stage.RECOGNITION, Kind.REJECTION, ORG_B)) as others,
    ):
        pid = await recruited_by(partner, ORG_B, events)
        sent = await send_from(producer, ORG_A, submit(pid))
        [rejection] = await rejections.wait_for(for_participant(pid), timeout_s=30)
        assert not await events.wait_for(for_participant(pid, ApplicationSubmitted.ce_type()), timeout_s=1)
        assert not [r for r in shared.seen + others.seen if r.key == str(pid)]

    assert rejection.body["reason"] == RejectionReason.NOT_INVOLVED
    assert rejection.body["rejected_id"] == sent
    assert rejection.body["original"]["topic"] == partner_topic(Stage.RECOGNITION, Kind.COMMAND, ORG_A)
    assert ORG_A in rejection.body["message"]


async def test_an_organisation_involved_later_may_send_commands_about_the_case(
    infra: Infra, partner: Partner, producer: AIOKafkaProducer, services: dict[str, ServiceProcess]
) -> None:
    async with Tap(infra.kafka, RECOGNITION_EVENTS) as events:
        pid = await recruited_by(partner, ORG_B, events)
        await partner.send(
            OrganisationInvolved(
                participant_id=pid,
                org_id=ORG_A,
                role=OrgRole.COUNSELLING_CENTRE,
                org_kind=OrgKind.COUNSELLING_CENTRE,
                involved_on=date.today(),
            )
        )
        await send_from(producer, ORG_A, submit(pid))  # may overtake the involvement: retried within the grace
        assert await events.wait_for(for_participant(pid, ApplicationSubmitted.ce_type()))


async def test_a_command_claiming_another_source_is_rejected_as_forged(
    infra: Infra, partner: Partner, producer: AIOKafkaProducer, services: dict[str, ServiceProcess]
) -> None:
    async with (
        Tap(infra.kafka, RECOGNITION_EVENTS) as events,
        Tap(infra.kafka, partner_topic(Stage.RECOGNITION, Kind.REJECTION, ORG_A)) as rejections,
    ):
        pid = await recruited_by(partner, ORG_B, events)
        await send_from(producer, ORG_A, submit(pid), source=f"/partners/{ORG_B}")
        [rejection] = await rejections.wait_for(for_participant(pid))
        assert not await events.wait_for(for_participant(pid, ApplicationSubmitted.ce_type()), timeout_s=1)
    assert rejection.body["reason"] == RejectionReason.FORGED_ORGANISATION
    assert rejection.body["errors"] == [{"location": "ce_source", "problem": f"must be /partners/{ORG_A}"}]


async def test_registering_a_candidate_for_another_organisation_is_rejected_as_forged(
    infra: Infra, producer: AIOKafkaProducer, services: dict[str, ServiceProcess]
) -> None:
    command = register_candidate(partner_org=ORG_B)
    async with (
        Tap(infra.kafka, topic(Stage.RECRUITMENT, Kind.EVENT)) as events,
        Tap(infra.kafka, partner_topic(Stage.RECRUITMENT, Kind.REJECTION, ORG_A)) as rejections,
    ):
        await send_from(producer, ORG_A, command)
        [rejection] = await rejections.wait_for(for_participant(command.participant_id))
        assert not await events.wait_for(for_participant(command.participant_id), timeout_s=1)
    assert rejection.body["reason"] == RejectionReason.FORGED_ORGANISATION
    assert rejection.body["errors"][0]["location"] == "partner_org"


async def test_registering_its_own_candidate_is_applied(
    infra: Infra, producer: AIOKafkaProducer, services: dict[str, ServiceProcess]
) -> None:
    command = register_candidate(partner_org=ORG_A)
    async with Tap(infra.kafka, topic(Stage.RECRUITMENT, Kind.EVENT)) as events:
        await send_from(producer, ORG_A, command)
        [recruited_event] = await events.wait_for(for_participant(command.participant_id))
    assert recruited_event.body["partner_org"] == ORG_A


async def test_the_retention_of_commands_and_rejections_topics_is_what_the_settings_say(
    infra: Infra, services: dict[str, ServiceProcess]
) -> None:
    """A's rejections topic was created with a week's retention; the service set its own at start-up."""
    defaults = ServiceSettings(kafka_bootstrap_servers=infra.kafka)
    names = [
        topic(Stage.RECOGNITION, Kind.COMMAND),
        topic(Stage.RECOGNITION, Kind.REJECTION),
        partner_topic(Stage.RECOGNITION, Kind.COMMAND, ORG_A),
        partner_topic(Stage.RECOGNITION, Kind.REJECTION, ORG_A),
    ]
    admin = AIOKafkaAdminClient(bootstrap_servers=infra.kafka)
    await admin.start()
    try:
        found = await topic_configs(admin, names)
    finally:
        await admin.close()
    for name in names:
        seconds = defaults.rejections_retention_s if ".rejections" in name else defaults.commands_retention_s
        assert found[name].effective["retention.ms"] == str(seconds * 1000), name
        assert found[name].effective["segment.ms"] == str(defaults.topic_segment_s * 1000), name


async def test_a_partner_registers_a_new_organisation_but_changes_no_registration_but_its_own(
    infra: Infra, partner: Partner, producer: AIOKafkaProducer, services: dict[str, ServiceProcess]
) -> None:
    employer = f"employer-{RUN}"
    registration = example_of(RegisterOrganisation).model_copy(update={"org_id": employer})
    changed = registration.model_copy(update={"name": "Another Name Example GmbH"})
    async with (
        Tap(infra.kafka, topic(Stage.RECRUITMENT, Kind.EVENT)) as events,
        Tap(infra.kafka, partner_topic(Stage.RECRUITMENT, Kind.REJECTION, ORG_A)) as rejections,
    ):
        await send_from(producer, ORG_A, registration)  # new to the journey: A may register it
        assert await events.wait_for(lambda r: r.key == employer and r.ce_type == OrganisationRegistered.ce_type())
        await send_from(producer, ORG_A, changed)  # registered now: only the employer itself may change it
        [rejection] = await rejections.wait_for(lambda r: r.key == employer)
    assert rejection.body["reason"] == RejectionReason.NOT_PERMITTED
    assert rejection.body["errors"] == [
        {
            "location": "org_id",
            "problem": f"{employer} is registered already: only {employer} itself or the operators"
            " change its registration",
        }
    ]
