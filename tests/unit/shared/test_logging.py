"""Library log lines written while a message is handled carry the message's id, participant and position."""

from __future__ import annotations

import json
import logging

import pytest
from aiokafka import ConsumerRecord
from faststream import ContextRepo

from shared.logging import configure_logging
from shared.service import MessageContextFilter


class _Message:
    def __init__(self, raw: ConsumerRecord[bytes, bytes]) -> None:
        self.raw_message = raw


def _record(headers: list[tuple[str, bytes]], key: bytes | None) -> ConsumerRecord[bytes, bytes]:
    return ConsumerRecord(
        topic="journey.recognition.commands",
        partition=2,
        offset=41,
        timestamp=0,
        timestamp_type=0,
        key=key,
        value=b"{}",
        checksum=None,
        serialized_key_size=0,
        serialized_value_size=2,
        headers=headers,
    )


def _lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    return [json.loads(line) for line in capsys.readouterr().err.splitlines()]


def test_a_framework_line_inside_a_message_scope_names_the_message(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("recognition", "json", "DEBUG")
    context = ContextRepo()
    framework = logging.getLogger("test.framework.inside")
    framework.addFilter(MessageContextFilter(lambda: context))
    raw = _record([("ce_id", b"c-1"), ("ce_type", b"journey.x.Y.v1"), ("ce_subject", b"p-1")], key=b"p-1")

    with context.scope("message", _Message(raw)):
        framework.info("Received", extra={"group_id": "journey-recognition", "color_message": "noise"})

    [line] = _lines(capsys)
    assert line["event"] == "Received" and line["service"] == "recognition"
    assert (line["ce_id"], line["ce_type"], line["participant_id"]) == ("c-1", "journey.x.Y.v1", "p-1")
    assert (line["topic"], line["partition"], line["offset"], line["group_id"]) == (
        "journey.recognition.commands",
        2,
        41,
        "journey-recognition",
    )
    assert "color_message" not in line


def test_a_message_without_envelope_is_named_by_its_position_and_key(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("recognition", "json", "DEBUG")
    context = ContextRepo()
    framework = logging.getLogger("test.framework.bare")
    framework.addFilter(MessageContextFilter(lambda: context))

    with context.scope("message", _Message(_record([], key=b"p-2"))):
        framework.info("Processed")
    framework.info("waiting for messages")

    inside, outside = _lines(capsys)
    assert inside["ce_id"] == "kafka:journey.recognition.commands:2:41" and inside["participant_id"] == "p-2"
    assert "ce_id" not in outside
