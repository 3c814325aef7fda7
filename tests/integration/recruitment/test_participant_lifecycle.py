"""Intake, consent, withdrawal and erasure against the real broker and database."""

from __future__ import annotations

import uuid
from datetime import date

import asyncpg

from shared.contracts.enums import CefrLevel, ConsentScope
from shared.contracts.recruitment import (
    EraseParticipant,
    ErasureBasis,
    GrantConsent,
    RecordIntake,
    RevokeConsent,
    WithdrawalReason,
    WithdrawParticipant,
)
from shared.contracts.rejections import RejectionReason
from tests.support.factories import register_candidate
from tests.support.infra import Infra
from tests.support.kafka import Partner, Tap, for_participant
from tests.support.processes import ServiceProcess

EVENTS = "journey.recruitment.events"
REJECTIONS = "journey.recruitment.rejections"


async def test_intake_consent_withdrawal_and_erasure_emit_their_events_in_order(
    infra: Infra, partner: Partner, recruitment: ServiceProcess
) -> None:
    cmd = register_candidate(consents=frozenset({ConsentScope.EMPLOYER}))
    pid = cmd.participant_id
    today = date(2026, 11, 2)
    async with Tap(infra.kafka, EVENTS) as events:
        await partner.send(cmd)
        await partner.send(RecordIntake(participant_id=pid, recorded_on=today, language_level=CefrLevel.B2))
        await partner.send(
            GrantConsent(participant_id=pid, scopes=frozenset({ConsentScope.JOBCENTER_AGENTUR}), given_on=today)
        )
        await partner.send(
            RevokeConsent(participant_id=pid, scopes=frozenset({ConsentScope.EMPLOYER}), revoked_on=today)
        )
        await partner.send(
            WithdrawParticipant(participant_id=pid, reason=WithdrawalReason.MOVED_AWAY, withdrawn_on=today)
        )
        await partner.send(
            EraseParticipant(participant_id=pid, basis=ErasureBasis.DATA_SUBJECT_REQUEST, requested_on=today)
        )
        found = await events.wait_for(for_participant(pid), count=6)

    names = [r.ce_type.split(".")[2] for r in found]
    assert names == [
        "ParticipantRecruited",
        "IntakeRecorded",
        "ConsentChanged",
        "ConsentChanged",
        "ParticipantWithdrawn",
        "ParticipantErased",
    ]
    assert found[1].body["language_level"] == "B2" and found[1].body["target_profession"] == "nursing_professional"
    assert found[2].body["consents"] == ["employer", "jobcenter_agentur"]
    assert found[3].body["consents"] == ["jobcenter_agentur"]

    conn = await asyncpg.connect(infra.database_url)
    try:
        row = await conn.fetchrow(
            "SELECT status, personal FROM recruitment.participants WHERE participant_id = $1", pid
        )
    finally:
        await conn.close()
    assert row["status"] == "erased" and row["personal"] is None


async def test_commands_for_an_unknown_or_withdrawn_participant_are_rejected_and_change_nothing(
    infra: Infra, partner: Partner, recruitment: ServiceProcess
) -> None:
    stranger = uuid.uuid4()
    cmd = register_candidate()
    today = date(2026, 11, 2)
    async with Tap(infra.kafka, REJECTIONS) as rejections, Tap(infra.kafka, EVENTS) as events:
        await partner.send(
            WithdrawParticipant(participant_id=stranger, reason=WithdrawalReason.OTHER, withdrawn_on=today)
        )
        await partner.send(cmd)
        await partner.send(
            WithdrawParticipant(participant_id=cmd.participant_id, reason=WithdrawalReason.OTHER, withdrawn_on=today)
        )
        await partner.send(RecordIntake(participant_id=cmd.participant_id, recorded_on=today, region="DE-HE"))
        unknown = await rejections.wait_for(for_participant(stranger))
        refused = await rejections.wait_for(for_participant(cmd.participant_id))
        happened = await events.wait_for(for_participant(cmd.participant_id), count=2, settle_s=1)

    assert [r.body["reason"] for r in unknown] == [RejectionReason.UNKNOWN_PARTICIPANT]
    assert [r.body["reason"] for r in refused] == [RejectionReason.NOT_ALLOWED_IN_STATE]
    assert "withdrawn" in refused[0].body["message"]
    assert [r.ce_type.split(".")[2] for r in happened] == ["ParticipantRecruited", "ParticipantWithdrawn"]
