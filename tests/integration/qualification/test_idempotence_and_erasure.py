"""Redelivered messages have no second effect; erasure leaves nothing about the participant."""

from __future__ import annotations

import uuid

from shared.contracts.enums import CompensationMeasure, RecognitionOutcome
from shared.contracts.qualification import ExamFailed, ExamPart, ExamResult, LanguageTargetReached, MeasurePlanned
from shared.contracts.recruitment import ErasureBasis, ParticipantErased
from tests.integration.qualification.conftest import TABLES, OtherStages, Rows
from tests.integration.qualification.facts import DAY, certificate, chosen, decided, exam, recruited
from tests.support.infra import Infra
from tests.support.kafka import Partner, Tap, for_participant
from tests.support.processes import ServiceProcess

EVENTS = "journey.qualification.events"
KNOWLEDGE_TEST = CompensationMeasure.KNOWLEDGE_TEST


async def test_redelivered_and_repeated_facts_plan_no_twin_and_count_no_attempt_twice(
    infra: Infra, partner: Partner, stages: OtherStages, rows: Rows, qualification: ServiceProcess
) -> None:
    pid = uuid.uuid4()
    planned = for_participant(pid, MeasurePlanned.ce_type())
    async with Tap(infra.kafka, EVENTS) as events:
        ce_id = await stages.publish(recruited(pid))
        await stages.publish(recruited(pid), ce_id=ce_id)  # a redelivery
        await stages.publish(recruited(pid))  # the same fact again, under a new id
        await events.wait_for(planned)
        await stages.publish(decided(pid, RecognitionOutcome.COMPENSATION_REQUIRED, KNOWLEDGE_TEST))
        for _ in range(2):
            await stages.publish(chosen(pid, KNOWLEDGE_TEST))
        command_id = await partner.send(exam(pid, 1, ExamResult.FAILED, part=ExamPart.ORAL))
        await partner.send(exam(pid, 1, ExamResult.FAILED, part=ExamPart.ORAL), ce_id=command_id)
        found_failed = await events.wait_for(for_participant(pid, ExamFailed.ce_type()), settle_s=2)
        found_planned = await events.wait_for(planned, count=2, settle_s=1)

    assert [r.body["measure_kind"] for r in found_planned] == ["language_course", "knowledge_test_preparation"]
    assert len(found_failed) == 1
    measures = await rows.fetch("SELECT kind FROM qualification.measures WHERE participant_id = $1", pid)
    assert sorted(m["kind"] for m in measures) == ["knowledge_test_preparation", "language_course"]
    [record] = await rows.fetch("SELECT attempts FROM qualification.exams WHERE participant_id = $1", pid)
    assert record["attempts"] == 1


async def test_erasure_deletes_every_row_about_the_participant(
    infra: Infra, partner: Partner, stages: OtherStages, rows: Rows, qualification: ServiceProcess
) -> None:
    pid = uuid.uuid4()
    async with Tap(infra.kafka, EVENTS) as events:
        await stages.publish(recruited(pid))
        await events.wait_for(for_participant(pid, MeasurePlanned.ce_type()))
        await stages.publish(decided(pid, RecognitionOutcome.COMPENSATION_REQUIRED, KNOWLEDGE_TEST))
        await stages.publish(chosen(pid, KNOWLEDGE_TEST))
        await events.wait_for(for_participant(pid, MeasurePlanned.ce_type()), count=2)
        await partner.send(exam(pid, 1, ExamResult.FAILED, part=ExamPart.ORAL))
        await partner.send(certificate(pid))
        await events.wait_for(for_participant(pid, LanguageTargetReached.ce_type()))
    held = await rows.held_about(pid)
    assert all(held[table] > 0 for table in ("participants", "measures", "certificates", "exams", "outbox")), held

    await rows.wait_until(rows.unpublished, pid, equals=0)  # erasure keeps events still to be relayed
    await stages.publish(ParticipantErased(participant_id=pid, basis=ErasureBasis.DATA_SUBJECT_REQUEST, erased_on=DAY))
    await rows.wait_until(rows.held_about, pid, equals=dict.fromkeys((*TABLES, "outbox"), 0))
