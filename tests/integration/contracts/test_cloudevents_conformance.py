"""What the services publish is CloudEvents 1.0 as the CNCF SDK's Kafka binding reads it, and vice versa."""

from __future__ import annotations

import json
import uuid

from cloudevents.core.bindings.kafka import KafkaMessage, from_binary_event, to_binary_event
from cloudevents.core.v1.event import CloudEvent

from shared.contracts.recruitment import ParticipantRecruited
from tests.support.factories import register_candidate
from tests.support.infra import Infra
from tests.support.kafka import Partner, Received, Tap, for_participant
from tests.support.processes import ServiceProcess


def sdk_parse(record: Received) -> CloudEvent:
    message = KafkaMessage(
        headers={k: v.encode() for k, v in record.headers.items()}, key=record.key, value=record.value
    )
    event = from_binary_event(message)
    assert isinstance(event, CloudEvent)
    return event


async def test_events_and_rejections_the_services_publish_parse_with_the_cncf_sdk(
    infra: Infra, partner: Partner, recruitment: ServiceProcess
) -> None:
    cmd = register_candidate()
    pid = str(cmd.participant_id)
    async with (
        Tap(infra.kafka, "journey.recruitment.events") as events,
        Tap(infra.kafka, "journey.recruitment.rejections") as rejections,
    ):
        await partner.send(cmd)
        await partner.send_raw(
            "journey.recruitment.commands",
            b"not json",
            key=pid.encode(),
            headers=[
                ("ce_specversion", b"1.0"),
                ("ce_id", str(uuid.uuid4()).encode()),
                ("ce_source", b"/partners/test"),
                ("ce_type", cmd.ce_type().encode()),
                ("ce_time", b"2025-03-10T08:00:00Z"),
                ("ce_subject", pid.encode()),
                ("content-type", b"application/json"),
            ],
        )
        [event_record] = await events.wait_for(for_participant(pid))
        [rejection_record] = await rejections.wait_for(for_participant(pid))

    event = sdk_parse(event_record)
    assert event.get_specversion() == "1.0"
    assert event.get_type() == ParticipantRecruited.ce_type()
    assert event.get_source() == "/journey/recruitment"
    assert event.get_subject() == pid
    assert event.get_datacontenttype() == "application/json"
    assert event.get_time() is not None
    assert event.get_extension("partitionkey") == pid
    ParticipantRecruited.model_validate(event.get_data())

    rejection = sdk_parse(rejection_record)
    assert rejection.get_type() == "journey.recruitment.MessageRejected.v1"
    assert rejection.get_data()["reason"] == "undecodable"


async def test_a_command_built_with_the_cncf_sdk_is_accepted(
    infra: Infra, partner: Partner, recruitment: ServiceProcess
) -> None:
    cmd = register_candidate()
    pid = str(cmd.participant_id)
    event = CloudEvent(
        attributes={
            "type": cmd.ce_type(),
            "source": "/partners/sdk-example",
            "subject": pid,
            "datacontenttype": "application/json",
            "partitionkey": pid,
        },
        data=json.loads(cmd.model_dump_json()),
    )
    message = to_binary_event(event)
    async with Tap(infra.kafka, "journey.recruitment.events") as events:
        await partner.send_raw(cmd.topic(), message.value, key=pid.encode(), headers=list(message.headers.items()))
        [recruited] = await events.wait_for(for_participant(pid))

    assert recruited.headers["ce_causationid"] == event.get_id()
