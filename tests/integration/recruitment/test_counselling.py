"""Counselling against the real broker and database: first contacts, links, sessions, referrals, bad input."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import asyncpg
import pytest

from shared.contracts.counselling import (
    CounsellingOutcome,
    CounsellingType,
    LinkFirstContact,
    RecordCounsellingSession,
    RecordFirstContact,
)
from shared.contracts.enums import Route
from shared.contracts.organisations import OrgKind, RegisterOrganisation
from shared.contracts.recruitment import EraseParticipant, ErasureBasis, ParticipantErased
from shared.contracts.rejections import RejectionReason
from tests.support.factories import register_candidate
from tests.support.infra import Infra
from tests.support.kafka import Partner, Received, Tap, for_participant
from tests.support.processes import ServiceProcess

EVENTS = "journey.recruitment.events"
REJECTIONS = "journey.recruitment.rejections"
HELD = date(2026, 1, 12)


def first_contact(**changes: Any) -> RecordFirstContact:
    fields: dict[str, Any] = {
        "contact_id": uuid.uuid4(),
        "held_on": HELD,
        "org_id": "iq-centre-example",
        "counselling_type": CounsellingType.RECOGNITION,
        "counselling_language": "ar",
        "interpreter_used": True,
        "outcome": CounsellingOutcome.ROUTE_RECOMMENDED,
        "route_recommended": Route.NURSE,
        "region": "DE-SL",
        "district": "10041",
        "country_of_training": "SY",
    }
    return RecordFirstContact(**{**fields, **changes})


def referral(participant_id: uuid.UUID, **changes: Any) -> RecordCounsellingSession:
    fields: dict[str, Any] = {
        "participant_id": participant_id,
        "held_on": date(2026, 3, 2),
        "org_id": "iq-centre-example",
        "counselling_type": CounsellingType.QUALIFICATION,
        "outcome": CounsellingOutcome.REFERRAL,
        "referred_to": "language-school-example",
        "follow_up_on": date(2026, 4, 6),
    }
    return RecordCounsellingSession(**{**fields, **changes})


def names(found: list[Received]) -> list[str]:
    return [r.ce_type.split(".")[2] for r in found]


def reasons(found: list[Received]) -> list[str]:
    return [r.body["reason"] for r in found]


@pytest.fixture
async def db(infra: Infra) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(infra.database_url, server_settings={"search_path": "recruitment"})
    yield conn
    await conn.close()


async def test_a_first_contact_is_counted_anonymously_then_linked_to_the_registered_participant(
    infra: Infra, partner: Partner, recruitment: ServiceProcess, db: asyncpg.Connection
) -> None:
    contact = first_contact()
    cmd = register_candidate()
    pid = cmd.participant_id
    async with Tap(infra.kafka, EVENTS) as events:
        await partner.send(contact)
        [recorded] = await events.wait_for(for_participant(contact.contact_id))
        await partner.send(cmd)
        await partner.send(
            LinkFirstContact(participant_id=pid, contact_id=contact.contact_id, linked_on=date(2026, 2, 2))
        )
        found = await events.wait_for(for_participant(pid), count=2)

    assert recorded.ce_type == "journey.recruitment.FirstContactRecorded.v1"
    assert recorded.body["district"] == "10041" and "participant_id" not in recorded.body
    assert names(found) == ["ParticipantRecruited", "FirstContactLinked"]
    assert found[1].body == {
        "participant_id": str(pid),
        "contact_id": str(contact.contact_id),
        "linked_on": "2026-02-02",
        "held_on": "2026-01-12",
        "counselling_type": "recognition",
    }
    row = await db.fetchrow(
        "SELECT participant_id, linked_on FROM first_contacts WHERE contact_id = $1", contact.contact_id
    )
    assert row is not None and row["participant_id"] == pid and row["linked_on"] == date(2026, 2, 2)


async def test_a_session_after_registration_is_held_and_its_referral_made(
    infra: Infra, partner: Partner, recruitment: ServiceProcess, db: asyncpg.Connection
) -> None:
    cmd = register_candidate()
    pid = cmd.participant_id
    async with Tap(infra.kafka, EVENTS) as events:
        await partner.send(cmd)
        await partner.send(referral(pid))
        found = await events.wait_for(for_participant(pid), count=3, settle_s=1)

    assert names(found) == ["ParticipantRecruited", "CounsellingSessionHeld", "ReferralMade"]
    assert (
        found[1].body["counselling_type"] == "qualification"
        and found[1].body["referred_to"] == "language-school-example"
    )
    assert found[2].body == {
        "participant_id": str(pid),
        "org_id": "iq-centre-example",
        "referred_to": "language-school-example",
        "referred_on": "2026-03-02",
        "follow_up_on": "2026-04-06",
    }
    count = await db.fetchval("SELECT count(*) FROM counselling_sessions WHERE participant_id = $1", pid)
    assert count == 1


async def test_bad_counselling_commands_are_rejected_with_their_reason_and_the_next_valid_one_is_applied(
    infra: Infra, partner: Partner, recruitment: ServiceProcess
) -> None:
    contact, other_contact, stranger = first_contact(), first_contact(), uuid.uuid4()
    first, second = register_candidate(), register_candidate()
    a, b = first.participant_id, second.participant_id
    day = date(2026, 2, 2)
    async with Tap(infra.kafka, REJECTIONS) as rejections, Tap(infra.kafka, EVENTS) as events:
        await partner.send(contact)
        await partner.send(contact)  # the same first contact again, under another ce_id
        await partner.send(other_contact)
        await events.wait_for(lambda r: r.key in {str(contact.contact_id), str(other_contact.contact_id)}, count=2)
        await partner.send(first)
        await partner.send(second)
        await partner.send(LinkFirstContact(participant_id=a, contact_id=uuid.uuid4(), linked_on=day))  # unknown
        await partner.send(LinkFirstContact(participant_id=a, contact_id=contact.contact_id, linked_on=day))
        happened_a = await events.wait_for(for_participant(a), count=2)  # a and b are on different partitions
        await partner.send(LinkFirstContact(participant_id=b, contact_id=contact.contact_id, linked_on=day))  # taken
        await partner.send(LinkFirstContact(participant_id=b, contact_id=other_contact.contact_id, linked_on=day))
        await partner.send(referral(stranger))  # nobody registered
        await partner.send(referral(b, outcome=CounsellingOutcome.NO_FURTHER_NEED, referred_to=None))
        twice = await rejections.wait_for(for_participant(contact.contact_id))
        refused_a = await rejections.wait_for(for_participant(a))
        refused_b = await rejections.wait_for(for_participant(b))
        unknown = await rejections.wait_for(for_participant(stranger))
        happened_b = await events.wait_for(for_participant(b), count=3, settle_s=1)
        recorded = [r for r in events.seen if r.key in {str(contact.contact_id), str(other_contact.contact_id)}]

    assert reasons(twice) == [RejectionReason.ALREADY_EXISTS]
    assert len(recorded) == 2, "the first contact sent twice is recorded once"
    assert reasons(refused_a) == [RejectionReason.NOT_ALLOWED_IN_STATE]
    assert (
        refused_a[0].body["errors"][0]["location"] == "contact_id"
        and "no first contact" in refused_a[0].body["message"]
    )
    assert reasons(refused_b) == [RejectionReason.NOT_ALLOWED_IN_STATE]
    assert "linked to another participant" in refused_b[0].body["message"]
    assert str(a) not in refused_b[0].body["message"]
    assert reasons(unknown) == [RejectionReason.UNKNOWN_PARTICIPANT]
    assert names(happened_a) == ["ParticipantRecruited", "FirstContactLinked"]
    assert names(happened_b) == ["ParticipantRecruited", "FirstContactLinked", "CounsellingSessionHeld"]
    assert happened_b[1].body["contact_id"] == str(other_contact.contact_id)


async def test_forgetting_a_participant_keeps_the_counselling_counted_but_unlinked(
    infra: Infra, partner: Partner, recruitment: ServiceProcess, db: asyncpg.Connection
) -> None:
    contact = first_contact()
    cmd = register_candidate()
    pid = cmd.participant_id
    async with Tap(infra.kafka, EVENTS) as events:
        await partner.send(contact)
        await events.wait_for(for_participant(contact.contact_id))
        await partner.send(cmd)
        await partner.send(LinkFirstContact(participant_id=pid, contact_id=contact.contact_id, linked_on=HELD))
        await partner.send(referral(pid))
        await events.wait_for(for_participant(pid), count=4)

    sessions = [
        r["session_id"]
        for r in await db.fetch("SELECT session_id FROM counselling_sessions WHERE participant_id = $1", pid)
    ]
    async with Tap(infra.kafka, EVENTS) as events:
        await partner.send(
            EraseParticipant(participant_id=pid, basis=ErasureBasis.DATA_SUBJECT_REQUEST, requested_on=HELD)
        )
        await events.wait_for(for_participant(pid, ParticipantErased.ce_type()))
    kept = await db.fetch(
        "SELECT participant_id FROM counselling_sessions WHERE session_id = ANY($1::uuid[])", sessions
    )
    row = await db.fetchrow(
        "SELECT participant_id, linked_on FROM first_contacts WHERE contact_id = $1", contact.contact_id
    )
    assert len(sessions) == 1 and [r["participant_id"] for r in kept] == [None], "the session stays counted, unlinked"
    assert row is not None and row["participant_id"] is None and row["linked_on"] == HELD, (
        "the contact stays counted, as converted"
    )


async def test_an_employer_counselled_must_be_registered_and_then_its_first_contact_is_recorded(
    infra: Infra, partner: Partner, recruitment: ServiceProcess
) -> None:
    employer = f"care-home-{uuid.uuid4().hex[:8]}"
    unregistered = first_contact(counselling_type=CounsellingType.EMPLOYER, counselled_org=employer)
    registered = first_contact(counselling_type=CounsellingType.EMPLOYER, counselled_org=employer)
    async with Tap(infra.kafka, REJECTIONS) as rejections, Tap(infra.kafka, EVENTS) as events:
        await partner.send(unregistered)
        refused = await rejections.wait_for(for_participant(unregistered.contact_id))
        await partner.send(RegisterOrganisation(org_id=employer, org_kind=OrgKind.EMPLOYER, region="DE-SL"))
        await events.wait_for(for_participant(employer))  # keyed by org_id, so on another partition
        await partner.send(registered)
        recorded = await events.wait_for(for_participant(registered.contact_id))

    assert reasons(refused) == [RejectionReason.UNKNOWN_ORGANISATION]
    assert refused[0].body["errors"][0]["location"] == "counselled_org"
    assert names(recorded) == ["FirstContactRecorded"] and recorded[0].body["counselled_org"] == employer
