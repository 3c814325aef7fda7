"""The operators' command line without a stack: its time windows, `--set` corrections, rejection filters and the
checks a correction passes before anything is sent."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from shared import cli
from shared.contracts.envelope import Envelope, encode
from shared.contracts.rejections import MessageRejected, OriginalMessage, RejectionReason
from shared.contracts.topics import Stage
from shared.decoding import Decoded
from shared.errors import Rejected
from shared.operators import health
from shared.operators.corrections import assigned, assignment, checked, corrected_body, correction
from shared.operators.failures import OperatorError
from shared.operators.rejections import Rejection, RejectionFilter, explanation
from shared.operators.windows import since
from tests.integration.recognition.journey import submit
from tools.specs import HTTP_PORTS

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("90m", NOW - timedelta(minutes=90)),
        ("1h", NOW - timedelta(hours=1)),
        ("2d", NOW - timedelta(days=2)),
        ("1w", NOW - timedelta(weeks=1)),
        ("2026-03-01", datetime(2026, 3, 1, tzinfo=UTC)),
        ("2026-03-01T10:30Z", datetime(2026, 3, 1, 10, 30, tzinfo=UTC)),
        ("2026-03-01T10:30+02:00", datetime(2026, 3, 1, 8, 30, tzinfo=UTC)),
    ],
)
def test_since_reads_a_span_back_from_now_or_a_moment_in_utc(text: str, moment: datetime) -> None:
    assert since(text, NOW) == moment


@pytest.mark.parametrize("text", ["yesterday", "2h ago", "-1d", "2026-13-01"])
def test_since_refuses_what_it_cannot_read(text: str) -> None:
    with pytest.raises(OperatorError, match="--since"):
        since(text, NOW)


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("legal_basis=pflbg", (("legal_basis",), "pflbg")),
        ("submitted_on=2025-03-10", (("submitted_on",), "2025-03-10")),
        ("attempts=2", (("attempts",), 2)),
        ('occupation="81302"', (("occupation",), "81302")),
        ("partnership_employer=null", (("partnership_employer",), None)),
        ('missing_documents=["certified_translation"]', (("missing_documents",), ["certified_translation"])),
        ("personal.email=a=b@example.org", (("personal", "email"), "a=b@example.org")),
    ],
)
def test_a_set_is_a_dotted_path_and_a_json_value_or_else_text(text: str, parsed: tuple[Any, Any]) -> None:
    assert assignment(text) == parsed


@pytest.mark.parametrize("text", ["legal_basis", "=pflbg", "personal..email=x"])
def test_a_set_without_a_path_or_value_is_refused(text: str) -> None:
    with pytest.raises(OperatorError, match="path=value"):
        assignment(text)


def test_a_set_changes_a_copy_creating_objects_on_the_way_and_replacing_list_items() -> None:
    body = {"a": 1, "items": ["x", "y"]}

    changed = assigned(assigned(body, ("personal", "email"), "a@example.org"), ("items", "1"), "z")

    assert changed == {"a": 1, "items": ["x", "z"], "personal": {"email": "a@example.org"}}
    assert body == {"a": 1, "items": ["x", "y"]}
    with pytest.raises(OperatorError, match="not an item"):
        assigned(body, ("items", "2"), "z")
    with pytest.raises(OperatorError, match="holds no fields"):
        assigned(body, ("a", "b"), "z")


def rejection_of_submit(body_changes: dict[str, Any], *, topic: str = "journey.recognition.commands") -> Rejection:
    """A rejection as recognition publishes it for a `SubmitApplication` with `body_changes`."""
    command = submit(uuid.uuid4(), submitted_on=date(2026, 3, 1))
    key, headers, value = encode(command, Envelope.for_message(command, source="/partners/test"))
    body = {**json.loads(value), **body_changes}
    raw = json.dumps(body).encode()
    original = OriginalMessage(
        topic=topic,
        partition=0,
        offset=7,
        key=key.decode(),
        headers={name: data.decode() for name, data in headers},
        value_base64=base64.b64encode(raw).decode(),
        value_size=len(raw),
    )
    rejected = MessageRejected(
        participant_id=command.participant_id,
        reason=RejectionReason.INVALID_PAYLOAD,
        message="invalid: legal_basis",
        errors=[{"location": "legal_basis", "problem": "Input should be 'bqfg', ..."}],  # type: ignore[list-item]
        rejected_id=dict(headers)["ce_id"].decode(),
        rejected_type=command.ce_type(),
        original=original,
    )
    return Rejection(str(uuid.uuid4()), NOW, "journey.recognition.rejections", Stage.RECOGNITION, rejected)


def test_a_correction_keeps_the_original_headers_with_a_new_id_and_passes_the_door() -> None:
    rejection = rejection_of_submit({"legal_basis": "law-of-nowhere"})
    original = rejection.rejected.original

    record = correction(rejection, corrected_body(rejection, [assignment("legal_basis=pflbg")]))
    sent = dict(record.headers)

    assert record.topic == "journey.recognition.commands" and record.key == original.key.encode()  # type: ignore[union-attr]
    assert sent["ce_id"].decode() != original.headers["ce_id"]
    assert {n: v.decode() for n, v in sent.items() if n != "ce_id"} == {
        n: v for n, v in original.headers.items() if n != "ce_id"
    }
    verdict = checked(record)
    assert isinstance(verdict, Decoded) and verdict.envelope.id == record.ce_id
    assert verdict.message.legal_basis == "pflbg"  # type: ignore[attr-defined]


def test_a_correction_still_wrong_is_refused_here_with_the_stages_field_errors() -> None:
    rejection = rejection_of_submit({"legal_basis": "law-of-nowhere"})

    verdict = checked(correction(rejection, corrected_body(rejection, [assignment("track=slow")])))

    assert isinstance(verdict, Rejected) and verdict.reason is RejectionReason.INVALID_PAYLOAD
    assert sorted(location for location, _ in verdict.errors) == ["legal_basis", "track"]


def test_a_corrected_participant_id_moves_key_and_subject_along() -> None:
    rejection = rejection_of_submit({})
    other = str(uuid.uuid4())

    record = correction(rejection, corrected_body(rejection, [assignment(f"participant_id={other}")]))

    assert record.key == other.encode() and dict(record.headers)["ce_subject"] == other.encode()
    assert isinstance(checked(record), Decoded)


def test_only_a_command_is_resubmitted() -> None:
    rejection = rejection_of_submit({}, topic="journey.recruitment.events")

    with pytest.raises(OperatorError, match="only commands"):
        correction(rejection, corrected_body(rejection, []))


def test_a_partners_command_goes_to_the_shared_commands_topic() -> None:
    rejection = rejection_of_submit({}, topic="journey.recognition.commands.care-home-example")

    assert correction(rejection, corrected_body(rejection, [])).topic == "journey.recognition.commands"


def test_the_filter_reads_only_the_topics_it_can_admit_and_keeps_the_newest() -> None:
    only = RejectionFilter(stage=Stage.RECOGNITION, partner="care-home-example")
    older, newer = rejection_of_submit({}), rejection_of_submit({})
    newer = Rejection(newer.id, NOW + timedelta(minutes=1), newer.topic, newer.stage, newer.rejected)

    assert only.reads("journey.recognition.rejections.care-home-example")
    assert not only.reads("journey.recognition.rejections")
    assert not only.reads("journey.placement.rejections.care-home-example")
    assert not only.reads("journey.recognition.events")
    assert RejectionFilter(reason=RejectionReason.INVALID_PAYLOAD).admits(older)
    assert not RejectionFilter(reason=RejectionReason.NOT_INVOLVED).admits(older)
    assert not RejectionFilter(participant=uuid.uuid4()).admits(older)
    assert not RejectionFilter(since=NOW + timedelta(seconds=1)).admits(older)
    assert RejectionFilter(limit=1).newest([newer, older]) == [newer]
    assert RejectionFilter().newest([newer, older]) == [older, newer]


def test_an_explanation_carries_the_guides_advice_the_field_errors_and_the_original_body() -> None:
    rejection = rejection_of_submit({"legal_basis": "law-of-nowhere"})

    explained = explanation(rejection)

    assert explained["what_to_do"].startswith("Read `errors`") and "schema" in explained["meaning"]
    assert explained["errors"] == [{"location": "legal_basis", "problem": "Input should be 'bqfg', ..."}]
    assert explained["original"]["body"]["legal_basis"] == "law-of-nowhere"


def test_health_asks_each_service_on_its_own_default_port() -> None:
    assert {stage: int(url.rsplit(":", 1)[1]) for stage, url in health.SERVICES.items()} == HTTP_PORTS


@pytest.mark.parametrize(
    "argv",
    [
        ["rejections", "list", "--reason", "no-such-reason"],
        ["rejections", "resubmit", "0123456789", "--set", "no-equals-sign"],
        ["health", "--service", "billing=http://127.0.0.1:1"],
        ["timeline", "not-a-uuid"],
    ],
)
def test_unusable_input_ends_with_exit_code_2_before_anything_connects(argv: list[str]) -> None:
    assert cli.main(argv) == 2
