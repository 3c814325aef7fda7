"""The checks on a partner's command (shared/partners.py), with a stand-in for the involvements table."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest

from shared.contracts.envelope import BaseMessage, Envelope
from shared.contracts.examples import example_of
from shared.contracts.notifications import RegisterRecipient
from shared.contracts.recognition import CompleteApplication
from shared.contracts.rejections import RejectionReason
from shared.contracts.topics import Kind, Stage, partner_commands_pattern, partner_of, partner_topic
from shared.partners import authorise
from tests.support.factories import register_candidate


class Involvements:
    """Answers `SELECT EXISTS (...)` from a set of (participant, org) pairs."""

    def __init__(self, *pairs: tuple[uuid.UUID, str]) -> None:
        self.pairs = set(pairs)
        self.asked: list[tuple[Any, ...]] = []

    async def fetchval(self, sql: str, participant: uuid.UUID, org: str) -> bool:
        self.asked.append((sql, participant, org))
        return (participant, org) in self.pairs


def envelope(message: BaseMessage, source: str) -> Envelope:
    return Envelope.for_message(message, source=source)


async def check(conn: Involvements, org: str, message: BaseMessage, source: str | None = None) -> Any:
    return await authorise(conn, org, envelope(message, source or f"/partners/{org}"), message, "involvements")  # type: ignore[arg-type]


PID = uuid.uuid4()
COMPLETE = CompleteApplication(participant_id=PID, complete_on=date(2026, 3, 10))


async def test_an_involved_partner_may_send_a_command_about_the_participant() -> None:
    conn = Involvements((PID, "care-home-example"))
    assert await check(conn, "care-home-example", COMPLETE) is None
    assert conn.asked[0][1:] == (PID, "care-home-example")


async def test_a_partner_not_involved_is_refused() -> None:
    refused = await check(Involvements((PID, "someone-else")), "care-home-example", COMPLETE)
    assert refused.reason is RejectionReason.NOT_INVOLVED


async def test_another_source_is_forged_even_for_an_involved_partner() -> None:
    conn = Involvements((PID, "care-home-example"))
    refused = await check(conn, "care-home-example", COMPLETE, source="/partners/other-example")
    assert refused.reason is RejectionReason.FORGED_ORGANISATION
    assert refused.errors == [("ce_source", "must be /partners/care-home-example")]
    assert not conn.asked


async def test_the_acting_organisation_field_must_be_the_partner() -> None:
    refused = await check(Involvements(), "care-home-example", register_candidate(partner_org="other-example"))
    assert refused.reason is RejectionReason.FORGED_ORGANISATION
    assert refused.errors[0][0] == "partner_org"


async def test_registering_a_new_participant_needs_no_involvement_yet() -> None:
    conn = Involvements()
    assert await check(conn, "care-home-example", register_candidate(partner_org="care-home-example")) is None
    assert not conn.asked


async def test_a_command_for_operators_only_is_not_permitted() -> None:
    message = example_of(RegisterRecipient)
    refused = await check(Involvements(), "care-home-example", message)
    assert refused.reason is RejectionReason.NOT_PERMITTED


@pytest.mark.parametrize(
    ("name", "org"),
    [
        ("journey.recognition.commands.care-home-example", "care-home-example"),
        ("journey.recognition.rejections.care-home-example", "care-home-example"),
        ("journey.recognition.commands", None),
        ("journey.recognition.events", None),
        ("journey.recognition.commands.Care-Home", None),
        ("journey.recognition.commands.a.b", None),
    ],
)
def test_the_partner_is_read_from_the_topic(name: str, org: str | None) -> None:
    assert partner_of(name) == org


def test_the_pattern_matches_every_partner_commands_topic_of_the_stage_and_nothing_else() -> None:
    import re

    pattern = re.compile(partner_commands_pattern(Stage.RECOGNITION))
    assert pattern.fullmatch(partner_topic(Stage.RECOGNITION, Kind.COMMAND, "care-home-example"))
    assert not pattern.fullmatch("journey.recognition.commands")
    assert not pattern.fullmatch(partner_topic(Stage.RECOGNITION, Kind.REJECTION, "care-home-example"))
    assert not pattern.fullmatch(partner_topic(Stage.PLACEMENT, Kind.COMMAND, "care-home-example"))
    with pytest.raises(ValueError):
        partner_topic(Stage.RECOGNITION, Kind.EVENT, "care-home-example")
