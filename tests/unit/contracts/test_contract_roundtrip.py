"""Every message's example travels through the Kafka encoding and comes back equal."""

from __future__ import annotations

import json

import pytest

from shared.contracts.catalogue import ALL_MESSAGES, BY_TYPE
from shared.contracts.envelope import BaseMessage, Envelope, encode
from shared.contracts.examples import MissingExample, example_json, example_of
from shared.contracts.notifications import RegisterRecipient
from shared.contracts.recruitment import ConsentChanged
from shared.contracts.rejections import MessageRejected

NAMES = [m.__name__ for m in ALL_MESSAGES]


@pytest.mark.parametrize("message", ALL_MESSAGES, ids=NAMES)
def test_example_round_trips_through_encode_and_the_headers(message: type[BaseMessage]) -> None:
    original = example_of(message)
    envelope = Envelope.for_stage(
        message.stage, id=f"test-{message.__name__}", type=message.ce_type(), subject=original.kafka_key()
    )

    key, headers, value = encode(original, envelope)
    received = Envelope.from_headers(headers)
    decoded = BY_TYPE[received.type].model_validate_json(value)

    assert decoded == original
    assert key.decode() == received.subject == original.kafka_key()
    assert (received.id, received.source) == (envelope.id, f"/journey/{message.stage.value}")
    assert dict((n, v.decode()) for n, v in headers)["content-type"] == "application/json"


def test_directory_messages_are_keyed_by_the_recipient() -> None:
    key, _, _ = encode(
        example_of(RegisterRecipient),
        Envelope.for_stage(
            RegisterRecipient.stage, id="x", type=RegisterRecipient.ce_type(), subject="coordination-de-sl"
        ),
    )
    assert key == b"coordination-de-sl"


def test_sets_travel_as_sorted_arrays_whatever_the_input_order() -> None:
    payload = {**example_json(ConsentChanged), "consents": ["recognition_authority", "employer", "employer"]}
    body = json.loads(ConsentChanged.model_validate(payload).model_dump_json())
    assert body["consents"] == ["employer", "recognition_authority"]


def test_the_rejection_example_is_valid_too() -> None:
    assert MessageRejected.model_validate_json(json.dumps(example_json(MessageRejected)))


def test_a_field_without_any_example_is_reported() -> None:
    class Undocumented(BaseMessage):
        free: str

    with pytest.raises(MissingExample, match=r"Undocumented\.free"):
        example_of(Undocumented)
