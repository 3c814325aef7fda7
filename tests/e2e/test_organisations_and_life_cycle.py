"""Counselling, the organisations around a participant, consent and the life cycle, walked side by side on the
one stack (`tools.walks.STORIES`, the partner guide's worked examples): an anonymous first contact that becomes a
registered participant; a counselling centre, a language school and a care home around one nurse, each hearing
exactly what its role and her consent allow; a lead handover; a pause and return; a participant who completes
while employed and keeps the later follow-ups; a consent revoked mid-journey. Every organisation's mailbox is
asserted whole, and the coordinator of the region hears each milestone once."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter

import asyncpg

from shared.contracts.topics import Stage
from tests.e2e.walking import Bus, coordinator_of_a_new_region, play_side_by_side
from tests.support.infra import Infra
from tests.support.kafka import Partner
from tests.support.smtp import SmtpSink
from tools.walks import STORIES, walk


async def test_counselling_organisations_consent_and_the_life_cycle_walk_side_by_side(
    infra: Infra, partner: Partner, bus: Bus, smtp: SmtpSink
) -> None:
    region, coordinator = await coordinator_of_a_new_region(partner, bus, "stories")
    walks = {name: walk(name, region=region) for name in STORIES}
    await play_side_by_side(walks, partner, bus)

    expected = sum(len(w.milestones) for w in walks.values())
    await smtp.wait_for(coordinator, count=expected, timeout_s=90)
    for w in walks.values():
        for org_id, milestones in w.mailboxes.items():
            await smtp.wait_for(f"{org_id}@example.org", count=len(milestones), timeout_s=60)
    await asyncio.sleep(3)  # a mail too many would show now
    for name, w in walks.items():
        about = [m for m in smtp.to(coordinator) if m["X-Journey-Participant"] == str(w.participant_id)]
        assert Counter(m["X-Journey-Milestone"] for m in about) == Counter(map(str, w.milestones)), name
        for org_id, milestones in w.mailboxes.items():
            mailbox = smtp.to(f"{org_id}@example.org")  # the organisation's whole mailbox: its walk's only
            assert Counter(m["X-Journey-Milestone"] for m in mailbox) == Counter(map(str, milestones)), (name, org_id)
            assert {m["X-Journey-Participant"] for m in mailbox} <= {str(w.participant_id)}

    # The revoked consent: the audit event names the care home and why it was not told.
    revoked = walks["consent-revoked"]
    [audit] = bus.named(
        revoked.participant_id, Stage.NOTIFICATIONS, "NotificationSuppressed", {"milestone": "participation_paused"}
    )
    assert audit.body["reason"] == "no_consent" and audit.body["recipient_id"].startswith("care-home-")

    # Completed while employed: the 12-, 24- and 36-month follow-ups still wait in placement.
    done = walks["completed-while-employed"]
    assert await pending_follow_ups(infra, done.participant_id) == [12, 24, 36]


async def pending_follow_ups(infra: Infra, participant_id: uuid.UUID) -> list[int]:
    conn = await asyncpg.connect(infra.database_url)
    try:
        rows = await conn.fetch(
            "SELECT (data->>'months')::int AS months FROM placement.timers WHERE participant_id = $1"
            " AND kind = 'retention_check_due' AND fired_at IS NULL AND cancelled_at IS NULL ORDER BY 1",
            participant_id,
        )
        return [r["months"] for r in rows]
    finally:
        await conn.close()
