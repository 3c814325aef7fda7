"""An access request returns everything a participant has in every stage, and nothing of another participant."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from datetime import date
from pathlib import Path

import asyncpg

from shared.contracts.counselling import FirstContactLinked, FirstContactRecorded, LinkFirstContact
from shared.contracts.recruitment import PersonalData, RequestDataAccess, ResumeParticipation
from shared.rights.access import SCHEMAS
from tests.integration.recruitment.test_counselling import first_contact
from tests.integration.rights.conftest import journey
from tests.support.factories import register_candidate
from tests.support.infra import Infra
from tests.support.kafka import Partner, Tap, for_participant
from tests.support.processes import ServiceProcess

EVENTS = "journey.recruitment.events"
ROW_OF = {  # a table each stage fills on ParticipantRecruited
    "recruitment": "participants",
    "recognition": "cases",
    "qualification": "participants",
    "placement": "placements",
    "notifications": "participants",
    "reporting": "participants",
}


async def seed(partner: Partner, events: Tap, lead: str, given_name: str) -> tuple[uuid.UUID, uuid.UUID]:
    """A participant as the stages know them: registered, a first contact linked, one command refused. The contact is
    keyed by its own id (another partition than the participant's): the link waits until it is recorded."""
    cmd = register_candidate(
        partner_org=lead, personal=PersonalData(given_name=given_name, family_name="Example", email="p@example.org")
    )
    contact = first_contact()
    await partner.send(cmd)
    await partner.send(contact)
    await events.wait_for(lambda r: r.key == str(contact.contact_id) and r.ce_type == FirstContactRecorded.ce_type())
    await partner.send(
        LinkFirstContact(participant_id=cmd.participant_id, contact_id=contact.contact_id, linked_on=date(2026, 3, 2))
    )
    await partner.send(ResumeParticipation(participant_id=cmd.participant_id, resumed_on=date(2026, 3, 2)))  # refused
    await events.wait_for(for_participant(cmd.participant_id, FirstContactLinked.ce_type()))
    return cmd.participant_id, contact.contact_id


async def everywhere(conn: asyncpg.Connection, *pids: uuid.UUID, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    for schema, table in ROW_OF.items():
        while not await conn.fetchval(
            f"SELECT count(*) = $2 FROM {schema}.{table} WHERE participant_id = ANY($1::uuid[])", list(pids), len(pids)
        ):
            assert time.monotonic() < deadline, f"{schema}.{table} has not got every participant"
            await asyncio.sleep(0.3)


async def test_the_lead_gets_everything_every_stage_holds_about_its_participant_and_nothing_of_another(
    infra: Infra, partner: Partner, every_stage: dict[str, ServiceProcess], tmp_path: Path
) -> None:
    lead = f"lead-{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(infra.database_url)
    try:
        async with Tap(infra.kafka, EVENTS) as events:
            pid, contact_id = await seed(partner, events, lead, "Amara")
            other, _ = await seed(partner, events, lead, "Noor")
            await everywhere(conn, pid, other)
            await partner.send(RequestDataAccess(participant_id=pid, requested_by=lead, requested_on=date(2026, 3, 2)))
            await events.wait_for(for_participant(pid, "journey.recruitment.DataAccessRequested.v1"))

            code, _, err = await journey(infra, "rights", "requests")
            assert code == 0, err
            out = tmp_path / "access.json"
            code, _, err = await journey(infra, "rights", "access", str(pid), "--for", lead, "--out", str(out))
            assert code == 0, err
            [provided] = await events.wait_for(for_participant(pid, "journey.recruitment.DataAccessProvided.v1"))
        pending = await conn.fetchval(
            "SELECT count(*) FROM recruitment.access_requests WHERE participant_id = $1 AND provided_at IS NULL", pid
        )
    finally:
        await conn.close()

    text = out.read_text()
    document = json.loads(text)
    assert (document["participant_id"], document["produced_for"], document["format_version"]) == (str(pid), lead, 1)
    assert set(document["searched"]) == set(SCHEMAS)
    for schema, table in ROW_OF.items():
        assert document["services"][schema]["tables"][table][0]["participant_id"] == str(pid), schema
    recruitment = document["services"]["recruitment"]
    assert recruitment["tables"]["participants"][0]["personal"]["given_name"] == "Amara"
    assert recruitment["tables"]["first_contacts"][0]["contact_id"] == str(contact_id)
    assert recruitment["tables"]["access_requests"][0]["requested_by"] == lead
    sent = {row["ce_type"] for row in recruitment["related"]["outbox"]}
    assert {"journey.recruitment.ParticipantRecruited.v1", "journey.recruitment.MessageRejected.v1"} <= sent
    assert str(other) not in text and "Noor" not in text
    assert provided.body["request_id"] and provided.body["provided_for"] == lead and pending == 0
