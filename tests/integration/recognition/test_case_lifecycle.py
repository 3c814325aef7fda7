"""A recognition case from recruitment to licence, on the real broker and database."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from shared.contracts.enums import (
    CefrLevel,
    CompensationMeasure,
    Profession,
    RecognitionOutcome,
    RecognitionTrack,
    Residence,
)
from shared.contracts.recognition import (
    ApplicationSubmitted,
    ChooseCompensationMeasure,
    CompensationMeasureChosen,
    CompleteApplication,
    ConfirmReceipt,
    DocumentKind,
    GrantLicence,
    LicenceKind,
    RecordCounselling,
    RecordDecision,
)
from shared.contracts.recruitment import ErasureBasis, IntakeRecorded, ParticipantErased
from shared.contracts.rejections import RejectionReason
from tests.integration.recognition.journey import (
    EVENTS,
    REJECTIONS,
    case_row,
    complete_case,
    eventually,
    handled,
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


async def test_a_recruited_nurse_goes_from_an_opened_case_through_compensation_to_a_licence(
    infra: Infra, partner: Partner, recognition: ServiceProcess
) -> None:
    today = date.today()
    async with Tap(infra.kafka, EVENTS) as events:
        pid = await open_case(partner, events)
        await partner.send(RecordCounselling(participant_id=pid, held_on=today, partner_org="iq-saar-example"))
        await partner.send(submit(pid))
        await partner.send(
            ConfirmReceipt(
                participant_id=pid, received_on=today, missing_documents=frozenset({DocumentKind.CERTIFIED_TRANSLATION})
            )
        )
        await partner.send(CompleteApplication(participant_id=pid, complete_on=today))
        await partner.send(
            RecordDecision(
                participant_id=pid,
                outcome=RecognitionOutcome.COMPENSATION_REQUIRED,
                decided_on=today,
                measures_offered=frozenset({CompensationMeasure.ADAPTATION_COURSE, CompensationMeasure.KNOWLEDGE_TEST}),
            )
        )
        await partner.send(
            ChooseCompensationMeasure(participant_id=pid, measure=CompensationMeasure.KNOWLEDGE_TEST, chosen_on=today)
        )
        await events.wait_for(for_participant(pid, CompensationMeasureChosen.ce_type()))
        await tell(partner, infra, qualification_completed(pid))  # the knowledge test passed, B2 proved
        await partner.send(GrantLicence(participant_id=pid, licence=LicenceKind.NURSING_LICENCE, granted_on=today))
        found = await events.wait_for(for_participant(pid), count=9, settle_s=1)

    assert [name(r) for r in found] == [
        "RecognitionCaseOpened",
        "CounsellingHeld",
        "ApplicationSubmitted",
        "ReceiptConfirmed",
        "ApplicationCompleted",
        "RecognitionDecided",
        "CompensationMeasureChosen",
        "LicenceConditionsMet",
        "LicenceGranted",
    ]
    opened, *_, receipt, completed, decided, chosen, met, licensed = (r.body for r in found)
    assert met["licences"] == ["nursing_licence"] and met["met_on"] == today.isoformat()
    assert opened["target_profession"] == "nursing_professional"
    assert receipt["missing_documents"] == ["certified_translation"]
    assert date.fromisoformat(completed["decision_due_on"]) > today
    assert decided["measures_offered"] == ["adaptation_course", "knowledge_test"]
    assert chosen["measure"] == "knowledge_test" and chosen["previous_measure"] is None
    assert licensed["licence"] == "nursing_licence" and licensed["valid_until"] is None
    assert all(r.headers["ce_source"] == "/journey/recognition" for r in found)
    row = await case_row(infra, pid)
    assert row is not None and row["state"] == "licensed" and row["measure"] == "knowledge_test"
    assert row["route"] == "nurse" and row["qualified_on"] == today and row["country_of_training"] == "PH"
    due_dates = await timers(infra, pid)
    assert [t["kind"] for t in due_dates] == ["decision_due", "receipt_due"]
    assert all(t["cancelled_at"] is not None and t["fired_at"] is None for t in due_dates)  # each met in time


async def test_the_decision_due_date_on_the_event_follows_the_track_and_ends_on_the_months_last_day(
    infra: Infra, partner: Partner, recognition: ServiceProcess
) -> None:
    async with Tap(infra.kafka, EVENTS) as events:
        assistant = Profession.NURSING_ASSISTANT  # a Land law: the BQFG's three months
        _, standard = await complete_case(partner, events, date(2025, 11, 30), profession=assistant)
        _, fast = await complete_case(partner, events, date(2025, 11, 30), track=RecognitionTrack.FAST_TRACK_81A)
        _, partnership = await complete_case(
            partner, events, date(2025, 3, 10), profession=assistant, track=RecognitionTrack.RECOGNITION_PARTNERSHIP_16D
        )
        _, nurse_from_abroad = await complete_case(partner, events, date(2025, 10, 31))

    assert standard == date(2026, 2, 28)  # three months; there is no 30 February
    assert fast == date(2026, 1, 30)  # §81a AufenthG: two months
    assert partnership == date(2025, 6, 10)  # §16d runs the standard procedure
    assert nurse_from_abroad == date(2026, 2, 28)  # trained in the Philippines: four months (PflBG, Art. 51(2))


async def test_an_intake_changes_the_target_profession_only_until_the_application_is_submitted(
    infra: Infra, partner: Partner, recognition: ServiceProcess
) -> None:
    async def intake(pid: UUID, profession: Profession) -> None:
        ce_id = await publish_fact(
            partner,
            IntakeRecorded(
                participant_id=pid,
                recorded_on=date(2025, 1, 20),
                target_profession=profession,
                isco_code=None,
                country_of_training="PH",
                language_level=CefrLevel.B1,
                residence=Residence.ABROAD,
                region="DE-SL",
            ),
        )
        await eventually(lambda: handled(infra, ce_id))

    async with Tap(infra.kafka, EVENTS) as events:
        pid = await open_case(partner, events)
        await intake(pid, Profession.DOCTOR)
        before_submission = await case_row(infra, pid)
        await partner.send(submit(pid, Profession.DOCTOR))
        await events.wait_for(for_participant(pid, ApplicationSubmitted.ce_type()))
        await intake(pid, Profession.HOME_CARE)

    after_submission = await case_row(infra, pid)
    assert before_submission is not None and before_submission["target_profession"] == "doctor"
    assert after_submission is not None and after_submission["target_profession"] == "doctor"


async def test_erasure_deletes_the_case_and_its_timers_and_later_commands_find_no_case(
    infra: Infra, partner: Partner, recognition: ServiceProcess
) -> None:
    async with Tap(infra.kafka, EVENTS) as events, Tap(infra.kafka, REJECTIONS) as rejections:
        pid, _ = await complete_case(partner, events, date.today())
        assert await case_row(infra, pid) is not None and len(await timers(infra, pid)) == 2
        erasure = await publish_fact(
            partner,
            ParticipantErased(participant_id=pid, basis=ErasureBasis.DATA_SUBJECT_REQUEST, erased_on=date.today()),
        )

        await eventually(lambda: handled(infra, erasure))
        await partner.send(RecordCounselling(participant_id=pid, held_on=date.today(), partner_org="iq-example"))
        [rejection] = await rejections.wait_for(for_participant(pid))

    assert await case_row(infra, pid) is None
    assert await timers(infra, pid) == []
    assert rejection.body["reason"] == RejectionReason.UNKNOWN_PARTICIPANT
