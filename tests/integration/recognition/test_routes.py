"""The routes of the law on the real broker and database: a statement of comparability, vocational training to a
nurse's licence, a licence that waits for qualification's `QualificationCompleted` or is barred by its
`ExamFinallyFailed`, and the day for the missing documents passing."""

from __future__ import annotations

import uuid
from datetime import date

from shared.contracts.enums import CompensationMeasure, Profession, RecognitionOutcome
from shared.contracts.recognition import (
    ChooseCompensationMeasure,
    CompensationMeasureChosen,
    CompleteApplication,
    CompleteTraining,
    ConfirmReceipt,
    DocumentKind,
    DocumentsOverdue,
    GrantLicence,
    LicenceConditionsMet,
    LicenceGranted,
    LicenceKind,
    ReceiptConfirmed,
    RecognitionDecided,
    RecordComparabilityStatement,
    RecordDecision,
    StartTraining,
)
from shared.contracts.rejections import RejectionReason
from tests.integration.recognition.journey import (
    EVENTS,
    REJECTIONS,
    case_row,
    complete_case,
    exam_finally_failed,
    let_time_pass,
    name,
    open_case,
    publish_fact,
    qualification_completed,
    submit,
    tell,
    timers,
)
from tests.support.infra import Infra
from tests.support.kafka import Partner, Tap, for_participant
from tests.support.processes import ServiceProcess


async def test_a_statement_of_comparability_closes_the_stage_and_no_licence_follows(
    infra: Infra, partner: Partner, recognition: ServiceProcess
) -> None:
    today = date.today()
    async with Tap(infra.kafka, EVENTS) as events, Tap(infra.kafka, REJECTIONS) as rejections:
        pid = await open_case(partner, events, Profession.OTHER)
        await partner.send(RecordComparabilityStatement(participant_id=pid, issued_on=today, occupation="27104"))
        await partner.send(GrantLicence(participant_id=pid, licence=LicenceKind.OTHER, granted_on=today))
        [rejection] = await rejections.wait_for(for_participant(pid))
        found = await events.wait_for(for_participant(pid), count=2, settle_s=1)

    assert [name(r) for r in found] == ["RecognitionCaseOpened", "ComparabilityStated"]
    assert found[1].body == {"participant_id": str(pid), "issued_on": today.isoformat(), "occupation": "27104"}
    assert rejection.body["reason"] == RejectionReason.NOT_ALLOWED_IN_STATE
    assert (
        rejection.body["message"]
        == "cannot grant licence other: the statement_of_comparability route ends in no licence"
    )
    row = await case_row(infra, pid)
    assert row is not None and (row["state"], row["route"], row["occupation"]) == (
        "comparability_stated",
        "statement_of_comparability",
        "27104",
    )


async def test_vocational_training_in_nursing_ends_in_the_nursing_licence(
    infra: Infra, partner: Partner, recognition: ServiceProcess
) -> None:
    async with Tap(infra.kafka, EVENTS) as events:
        pid = await open_case(partner, events)
        await partner.send(
            StartTraining(
                participant_id=pid,
                school_id="nursing-school-x",
                profession=Profession.NURSING_PROFESSIONAL,
                occupation="81302",
                starts_on=date(2022, 9, 1),
                expected_end_on=date(2025, 8, 31),
            )
        )
        await partner.send(CompleteTraining(participant_id=pid, completed_on=date(2025, 7, 15)))
        await partner.send(
            GrantLicence(participant_id=pid, licence=LicenceKind.NURSING_LICENCE, granted_on=date(2025, 8, 1))
        )
        found = await events.wait_for(for_participant(pid), count=4, settle_s=1)

    assert [name(r) for r in found] == [
        "RecognitionCaseOpened",
        "TrainingStarted",
        "TrainingCompleted",
        "LicenceGranted",
    ]
    completed, licensed = found[2].body, found[3].body
    assert completed["profession"] == "nursing_professional" and completed["completed_on"] == "2025-07-15"
    assert licensed["licence"] == "nursing_licence"
    row = await case_row(infra, pid)
    assert row is not None and (row["state"], row["route"], row["training_profession"]) == (
        "licensed",
        "vocational_training",
        "nursing_professional",
    )


async def test_a_licence_waits_for_qualification_completed_and_a_stranger_s_fact_is_left_alone(
    infra: Infra, partner: Partner, recognition: ServiceProcess
) -> None:
    today = date.today()
    async with Tap(infra.kafka, EVENTS) as events, Tap(infra.kafka, REJECTIONS) as rejections:
        pid, _ = await complete_case(partner, events, today)
        await partner.send(
            RecordDecision(participant_id=pid, outcome=RecognitionOutcome.FULL_EQUIVALENCE, decided_on=today)
        )
        await events.wait_for(for_participant(pid, RecognitionDecided.ce_type()))
        await partner.send(GrantLicence(participant_id=pid, licence=LicenceKind.NURSING_LICENCE, granted_on=today))
        [refused] = await rejections.wait_for(for_participant(pid))
        await publish_fact(partner, qualification_completed(pid))
        [met] = await events.wait_for(for_participant(pid, LicenceConditionsMet.ce_type()))  # as partners wait
        await partner.send(GrantLicence(participant_id=pid, licence=LicenceKind.NURSING_LICENCE, granted_on=today))
        [granted] = await events.wait_for(for_participant(pid, LicenceGranted.ce_type()))
        stranger = uuid.uuid4()
        await tell(partner, infra, qualification_completed(stranger))
        not_refused = await rejections.wait_for(for_participant(stranger), timeout_s=0.5)

    assert refused.body["reason"] == RejectionReason.NOT_ALLOWED_IN_STATE
    assert refused.body["message"].startswith(
        "cannot grant licence: waits for QualificationCompleted: the language is not proved yet; the case is decided"
    )
    assert met.body == {"participant_id": str(pid), "licences": ["nursing_licence"], "met_on": today.isoformat()}
    assert granted.body["licence"] == "nursing_licence"
    row = await case_row(infra, pid)
    assert row is not None and row["state"] == "licensed" and row["qualified_on"] == today
    assert not_refused == [] and await case_row(infra, stranger) is None


async def test_an_exam_finally_failed_bars_the_licence_and_a_change_of_measure(
    infra: Infra, partner: Partner, recognition: ServiceProcess
) -> None:
    today = date.today()
    async with Tap(infra.kafka, EVENTS) as events, Tap(infra.kafka, REJECTIONS) as rejections:
        pid, _ = await complete_case(partner, events, today)
        await partner.send(
            RecordDecision(
                participant_id=pid,
                outcome=RecognitionOutcome.COMPENSATION_REQUIRED,
                decided_on=today,
                measures_offered=frozenset({CompensationMeasure.ADAPTATION_COURSE, CompensationMeasure.KNOWLEDGE_TEST}),
            )
        )
        await partner.send(
            ChooseCompensationMeasure(
                participant_id=pid, measure=CompensationMeasure.ADAPTATION_COURSE, chosen_on=today
            )
        )
        await partner.send(
            ChooseCompensationMeasure(participant_id=pid, measure=CompensationMeasure.KNOWLEDGE_TEST, chosen_on=today)
        )
        choices = await events.wait_for(for_participant(pid, CompensationMeasureChosen.ce_type()), count=2)
        await tell(partner, infra, exam_finally_failed(pid, date(2026, 3, 12)))
        await partner.send(GrantLicence(participant_id=pid, licence=LicenceKind.NURSING_LICENCE, granted_on=today))
        await partner.send(
            ChooseCompensationMeasure(
                participant_id=pid, measure=CompensationMeasure.ADAPTATION_COURSE, chosen_on=today
            )
        )
        refusals = await rejections.wait_for(for_participant(pid), count=2)

    assert [(r.body["measure"], r.body["previous_measure"]) for r in choices] == [
        ("adaptation_course", None),
        ("knowledge_test", "adaptation_course"),
    ]
    assert [r.body["reason"] for r in refusals] == [RejectionReason.NOT_ALLOWED_IN_STATE] * 2
    licence_refused, change_refused = (r.body["message"] for r in refusals)
    assert licence_refused.startswith("cannot grant licence: the knowledge_test (practical) was finally failed on 2026")
    assert change_refused.startswith("cannot choose compensation measure: the knowledge_test (practical) was finally")
    row = await case_row(infra, pid)
    assert row is not None and (row["state"], row["measure"], row["finally_failed"], row["finally_failed_on"]) == (
        "measure_chosen",
        "knowledge_test",
        "knowledge_test (practical)",
        date(2026, 3, 12),
    )


async def test_missing_documents_not_in_by_their_day_raise_documents_overdue_once_unless_the_file_is_complete(
    infra: Infra, partner: Partner, recognition: ServiceProcess
) -> None:
    missing = frozenset({DocumentKind.CERTIFIED_TRANSLATION, DocumentKind.PROOF_OF_EXPERIENCE})
    async with Tap(infra.kafka, EVENTS) as events:
        late, completed = await open_case(partner, events), await open_case(partner, events)
        for pid in (late, completed):
            await partner.send(submit(pid))
            await partner.send(
                ConfirmReceipt(
                    participant_id=pid,
                    received_on=date.today(),
                    missing_documents=missing,
                    documents_due_on=date(2099, 3, 20),
                )
            )
            await events.wait_for(for_participant(pid, ReceiptConfirmed.ce_type()))
        await partner.send(CompleteApplication(participant_id=completed, complete_on=date.today()))
        await events.wait_for(for_participant(completed, "journey.recognition.ApplicationCompleted.v1"))
        for pid in (late, completed):
            await let_time_pass(infra, pid)
        overdue = await events.wait_for(
            lambda r: r.ce_type == DocumentsOverdue.ce_type() and r.key in {str(late), str(completed)}, settle_s=3
        )

    assert [r.body for r in overdue] == [
        {
            "participant_id": str(late),
            "documents_due_on": "2099-03-20",
            "missing_documents": ["certified_translation", "proof_of_experience"],
        }
    ]
    [fired] = await timers(infra, late, "documents_due")
    assert fired["timer_id"] == f"documents_due:{late}:2099-03-20" and fired["fired_at"] is not None
    [cancelled] = await timers(infra, completed, "documents_due")
    assert cancelled["cancelled_at"] is not None and cancelled["fired_at"] is None
    row = await case_row(infra, late)
    assert row is not None and row["state"] == "receipt_confirmed" and row["documents_due_on"] == date(2099, 3, 20)
