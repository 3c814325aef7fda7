"""Correction, the erasure confirmation, and the retention schedule against the real broker and database."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import asyncpg

from shared.contracts.recruitment import (
    AuditHoldReason,
    CompleteParticipation,
    CorrectPersonalData,
    EraseParticipant,
    ErasureBasis,
    ParticipationResult,
    PlaceAuditHold,
)
from tests.integration.rights.conftest import journey
from tests.support.factories import register_candidate
from tests.support.infra import Infra
from tests.support.kafka import Partner, Tap, for_participant
from tests.support.processes import ServiceProcess

EVENTS = "journey.recruitment.events"
REJECTIONS = "journey.recruitment.rejections"
TYPE = "journey.recruitment.{}.v1".format


async def test_a_correction_is_stored_and_announced_by_field_name_and_refused_after_the_erasure(
    infra: Infra, partner: Partner, recruitment: ServiceProcess
) -> None:
    cmd = register_candidate()
    pid, lead = cmd.participant_id, cmd.partner_org
    correction = CorrectPersonalData(
        participant_id=pid, corrected_by=lead, corrected_on=date(2026, 3, 2), family_name="Beispiel"
    )
    async with Tap(infra.kafka, EVENTS) as events, Tap(infra.kafka, REJECTIONS) as rejections:
        await partner.send(cmd)
        await partner.send(correction)
        [corrected] = await events.wait_for(for_participant(pid, TYPE("PersonalDataCorrected")))
        conn = await asyncpg.connect(infra.database_url)
        try:
            personal = await conn.fetchval(
                "SELECT personal FROM recruitment.participants WHERE participant_id = $1", pid
            )
            logged = await conn.fetchval("SELECT fields FROM recruitment.corrections WHERE participant_id = $1", pid)
            before = datetime.now(UTC)
            await partner.send(
                EraseParticipant(
                    participant_id=pid, basis=ErasureBasis.DATA_SUBJECT_REQUEST, requested_on=date(2026, 3, 2)
                )
            )
            [erased] = await events.wait_for(for_participant(pid, TYPE("ParticipantErased")))
            await partner.send(correction.model_copy(update={"family_name": "Other"}))
            [refused] = await rejections.wait_for(for_participant(pid))
            left = await conn.fetchval("SELECT count(*) FROM recruitment.corrections WHERE participant_id = $1", pid)
        finally:
            await conn.close()

    assert '"family_name": "Beispiel"' in personal and logged == ["family_name"]
    assert corrected.body["fields"] == ["family_name"] and "Beispiel" not in corrected.value.decode()
    gone_by = datetime.fromisoformat(erased.body["all_copies_gone_by"])
    assert before + timedelta(days=30) - timedelta(minutes=1) <= gone_by <= datetime.now(UTC) + timedelta(days=30)
    assert refused.body["reason"] == "not_allowed_in_state" and left == 0


async def test_the_retention_run_anonymises_a_participant_past_the_period_keeps_held_and_recent_ones_and_is_recorded(
    infra: Infra, partner: Partner, recruitment: ServiceProcess
) -> None:
    old, held, recent = (register_candidate() for _ in range(3))
    today = datetime.now(UTC).date()
    async with Tap(infra.kafka, EVENTS) as events:
        for cmd, ended in ((old, date(2019, 6, 30)), (held, date(2019, 6, 30)), (recent, today)):
            await partner.send(cmd)
            await partner.send(
                CompleteParticipation(
                    participant_id=cmd.participant_id, result=ParticipationResult.IN_TRAINING, completed_on=ended
                )
            )
        await partner.send(
            PlaceAuditHold(
                participant_id=held.participant_id, reason=AuditHoldReason.FUNDER_AUDIT, until=date(2099, 12, 31)
            )
        )
        await events.wait_for(for_participant(held.participant_id, TYPE("AuditHoldPlaced")))
        await events.wait_for(lambda r: r.ce_type == TYPE("ParticipationCompleted"), count=3)

        code, out, err = await journey(infra, "rights", "retention-run", "--wait", "60")
        assert code == 0, out + err
        run_id = out.split("\t")[0]
        [erased] = await events.wait_for(for_participant(old.participant_id, TYPE("ParticipantErased")))
        [completed] = await events.wait_for(lambda r: r.key == run_id and r.ce_type == TYPE("RetentionRunCompleted"))

    conn = await asyncpg.connect(infra.database_url)
    try:
        status = {
            r["participant_id"]: r["status"]
            for r in await conn.fetch(
                "SELECT participant_id, status, personal FROM recruitment.participants WHERE participant_id = ANY($1)",
                [old.participant_id, held.participant_id, recent.participant_id],
            )
        }
        run = await conn.fetchrow("SELECT * FROM recruitment.retention_runs WHERE run_id = $1", uuid.UUID(run_id))
    finally:
        await conn.close()
    code, runs, _ = await journey(infra, "rights", "runs")

    assert status == {
        old.participant_id: "erased",
        held.participant_id: "completed",
        recent.participant_id: "completed",
    }
    assert erased.body["basis"] == "retention_period_ended" and erased.body["all_copies_gone_by"]
    assert (
        run["finished_at"] is not None
        and run["anonymised"] >= 1
        and run["held"] >= 1
        and run["requested_by"] == "operator"
    )
    assert completed.body["anonymised"] == run["anonymised"] and completed.body["held"] == run["held"]
    assert str(old.participant_id) not in completed.value.decode()
    assert code == 0 and run_id in runs
