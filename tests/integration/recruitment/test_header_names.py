"""A header name that is not UTF-8 (Kafka stores any bytes a client such as `kcat -H` sends) is rejected like any
malformed header, and the commands behind it are applied: it used to stop every consumer of the topic for good."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.producer import message_accumulator
from aiokafka.producer import producer as producer_module
from aiokafka.record.default_records import _DefaultRecordBatchBuilderPy

from shared.contracts.envelope import Envelope, encode
from shared.contracts.limits import reason_for
from tests.support.factories import register_candidate
from tests.support.infra import Infra
from tests.support.kafka import Partner, Tap, for_participant
from tests.support.processes import ServiceProcess

COMMANDS = "journey.recruitment.commands"


class _NotUtf8Name(str):
    """A header name that goes on the wire as bytes that are not UTF-8 (aiokafka itself only sends text)."""

    def encode(self, encoding: str = "utf-8", errors: str = "strict") -> bytes:
        return b"x-\xff\xfe"


@pytest.fixture
async def raw_producer(infra: Infra, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[AIOKafkaProducer]:
    # aiokafka's Python record builder encodes header names with `str.encode`, which the name above overrides.
    monkeypatch.setattr(message_accumulator, "DefaultRecordBatchBuilder", _DefaultRecordBatchBuilderPy)
    monkeypatch.setattr(producer_module, "DefaultRecordBatchBuilder", _DefaultRecordBatchBuilderPy)
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka)
    await producer.start()
    yield producer
    await producer.stop()


async def test_a_header_name_that_is_not_utf8_is_rejected_and_the_next_command_applied(
    infra: Infra, partner: Partner, recruitment: ServiceProcess, raw_producer: AIOKafkaProducer
) -> None:
    bad, good = register_candidate(), register_candidate()
    key, headers, value = encode(bad, Envelope.for_message(bad, source="/partners/test"))
    async with (
        Tap(infra.kafka, "journey.recruitment.rejections") as rejections,
        Tap(infra.kafka, "journey.recruitment.events") as events,
    ):
        sent = await raw_producer.send_and_wait(
            COMMANDS, value=value, key=key, headers=[*headers, (_NotUtf8Name("x"), b"v")], partition=0
        )
        good_key, good_headers, good_value = encode(good, Envelope.for_message(good, source="/partners/test"))
        await raw_producer.send_and_wait(COMMANDS, value=good_value, key=good_key, headers=good_headers, partition=0)
        [applied] = await events.wait_for(for_participant(good.participant_id))
        [rejected] = await rejections.wait_for(for_participant(bad.participant_id))

    body = json.loads(rejected.value)
    assert body["reason"] == reason_for("header_not_text") == "invalid_envelope"
    assert body["original"]["offset"] == sent.offset and body["original"]["partition"] == 0
    assert body["errors"][0]["problem"] == "the header name is not UTF-8 text"
    assert "\\udcff\\udcfe" in body["errors"][0]["location"]
    assert applied.ce_type == "journey.recruitment.ParticipantRecruited.v1"
