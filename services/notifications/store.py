"""asyncpg SQL for participants and their milestones; saving a mailing records its deliveries too."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

import asyncpg

from services.notifications import delivery_store, digest_store
from services.notifications.domain import Involvement, Mailing, MilestoneRef, Participant
from shared.contracts.enums import ConsentScope, Milestone, Profession
from shared.contracts.recruitment import OrgRole


async def lock(conn: asyncpg.Connection, participant_id: UUID, now: datetime) -> Participant:
    """The participant, locked until the transaction ends; a stub row is made for one not known yet."""
    await conn.execute(
        "INSERT INTO participants (participant_id, updated_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        participant_id,
        now,
    )
    row = await conn.fetchrow("SELECT * FROM participants WHERE participant_id = $1 FOR UPDATE", participant_id)
    assert row is not None
    involved = await conn.fetch("SELECT org_id, role FROM involvements WHERE participant_id = $1", participant_id)
    references = await conn.fetch(
        "SELECT org_id, case_reference FROM case_references WHERE participant_id = $1", participant_id
    )
    return Participant(
        participant_id=participant_id,
        recruited=row["recruited"],
        region=row["region"],
        partner_org=row["partner_org"],
        consents=frozenset(ConsentScope(c) for c in row["consents"]),
        opted_out_on=row["opted_out_on"],
        erased_on=row["erased_on"],
        involvements=frozenset(Involvement(r["org_id"], OrgRole(r["role"])) for r in involved),
        lead_org=row["lead_org"],
        paused_on=row["paused_on"],
        profession=None if row["profession"] is None else Profession(row["profession"]),
        case_references=frozenset((r["org_id"], r["case_reference"]) for r in references),
    )


async def parked(conn: asyncpg.Connection, participant_id: UUID) -> list[MilestoneRef]:
    """Milestones not addressed yet because the participant was not known, oldest first."""
    rows = await conn.fetch(
        "SELECT ce_id, ce_type, milestone FROM milestones WHERE participant_id = $1 AND addressed_at IS NULL"
        " ORDER BY received_at, ce_id",
        participant_id,
    )
    return [MilestoneRef(r["ce_id"], r["ce_type"], Milestone(r["milestone"]), participant_id) for r in rows]


async def addressed_since(
    conn: asyncpg.Connection, participant_id: UUID, since: datetime, recipients: Sequence[str]
) -> list[tuple[MilestoneRef, frozenset[str]]]:
    """The participant's milestones addressed already that happened at or after `since` (oldest first), each with
    those of `recipients` that already have a delivery row for it (mailed, or deliberately not) or a digest item."""
    rows = await conn.fetch(
        "SELECT m.ce_id, m.ce_type, m.milestone, ARRAY("
        " SELECT d.recipient_id FROM deliveries d WHERE d.caused_by_id = m.ce_id AND d.recipient_id = ANY($3::text[])"
        " UNION SELECT i.recipient_id FROM digest_items i WHERE i.ce_id = m.ce_id AND i.recipient_id = ANY($3::text[])"
        ") AS recorded FROM milestones m"
        " WHERE m.participant_id = $1 AND m.addressed_at IS NOT NULL AND m.occurred_at >= $2"
        " ORDER BY m.occurred_at, m.ce_id",
        participant_id,
        since,
        list(recipients),
    )
    return [
        (MilestoneRef(r["ce_id"], r["ce_type"], Milestone(r["milestone"]), participant_id), frozenset(r["recorded"]))
        for r in rows
    ]


async def save(
    conn: asyncpg.Connection, before: Participant, mailing: Mailing, now: datetime, occurred_at: datetime | None = None
) -> None:
    """Record what a step decided: the deliveries, the milestones kept and addressed, the digest items, the
    participant when changed.

    An erased participant keeps only the pseudonym and the day: their milestones go, the audit loses the link."""
    await delivery_store.record(conn, mailing, now)
    for milestone in mailing.kept:
        await conn.execute(
            "INSERT INTO milestones (ce_id, ce_type, milestone, participant_id, facts, received_at, addressed_at,"
            " occurred_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8) ON CONFLICT (ce_id) DO NOTHING",
            milestone.ref.ce_id,
            milestone.ref.ce_type,
            milestone.ref.milestone.value,
            milestone.ref.participant_id,
            json.dumps(milestone.facts, sort_keys=True),
            now,
            now if milestone.ref in mailing.addressed else None,
            occurred_at,
        )
    await digest_store.keep(conn, mailing.digested, now)
    kept = {milestone.ref for milestone in mailing.kept}
    if earlier := [ref.ce_id for ref in mailing.addressed if ref not in kept]:
        await conn.execute(
            "UPDATE milestones SET addressed_at = $2 WHERE ce_id = ANY($1::text[]) AND addressed_at IS NULL",
            earlier,
            now,
        )
    participant = mailing.participant
    if participant == before:
        return
    await conn.execute(
        "UPDATE participants SET recruited = $2, region = $3, partner_org = $4, consents = $5, opted_out_on = $6,"
        " erased_on = $7, updated_at = $8, lead_org = $9, paused_on = $10, profession = $11 WHERE participant_id = $1",
        participant.participant_id,
        participant.recruited,
        participant.region,
        participant.partner_org,
        sorted(c.value for c in participant.consents),
        participant.opted_out_on,
        participant.erased_on,
        now,
        participant.lead_org,
        participant.paused_on,
        None if participant.profession is None else participant.profession.value,
    )
    await _save_involvements(conn, participant.participant_id, before.involvements, participant.involvements)
    if participant.case_references != before.case_references:
        await conn.execute("DELETE FROM case_references WHERE participant_id = $1", participant.participant_id)
        await conn.executemany(
            "INSERT INTO case_references (participant_id, org_id, case_reference) VALUES ($1, $2, $3)",
            [(participant.participant_id, org, ref) for org, ref in sorted(participant.case_references)],
        )
    if participant.erased:
        await digest_store.drop_waiting(conn, participant.participant_id)
        await conn.execute("DELETE FROM milestones WHERE participant_id = $1", participant.participant_id)
        await delivery_store.unlink(conn, participant.participant_id)


async def _save_involvements(
    conn: asyncpg.Connection, participant_id: UUID, before: frozenset[Involvement], after: frozenset[Involvement]
) -> None:
    """Write what changed of the organisations involved (all of them go on erasure)."""
    for gone in sorted(before - after):
        await conn.execute(
            "DELETE FROM involvements WHERE participant_id = $1 AND org_id = $2 AND role = $3",
            participant_id,
            gone.org_id,
            gone.role.value,
        )
    for new in sorted(after - before):
        await conn.execute(
            "INSERT INTO involvements (participant_id, org_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            participant_id,
            new.org_id,
            new.role.value,
        )
