"""Due dates on the real broker and database: overdue decisions and an ending Berufserlaubnis, each raised once."""

from __future__ import annotations

from datetime import date, timedelta

from shared.contracts.enums import Profession, RecognitionOutcome
from shared.contracts.recognition import (
    DeadlineExtended,
    DecisionOverdue,
    ExtendDeadline,
    ExtensionReason,
    GrantLicence,
    LicenceExpired,
    LicenceExpiring,
    LicenceGranted,
    LicenceKind,
    RecognitionDecided,
    RecordDecision,
)
from shared.contracts.recruitment import ParticipantWithdrawn, WithdrawalReason
from tests.integration.recognition.journey import (
    EVENTS,
    case_row,
    complete_case,
    eventually,
    handled,
    let_time_pass,
    name,
    publish_fact,
    qualification_completed,
    tell,
    timers,
)
from tests.support.infra import Infra
from tests.support.kafka import Partner, Tap, for_participant
from tests.support.processes import ServiceProcess

OVERDUE = DecisionOverdue.ce_type()


async def test_a_missed_decision_deadline_raises_decision_overdue_exactly_once(
    infra: Infra, partner: Partner, recognition: ServiceProcess
) -> None:
    async with Tap(infra.kafka, EVENTS) as events:
        pid, due = await complete_case(partner, events, date(2025, 1, 10))
        overdue = await events.wait_for(for_participant(pid, OVERDUE), settle_s=3)  # six more sweeps

    assert due == date(2025, 5, 10)  # a nurse trained in the Philippines: four months
    assert [r.body["decision_due_on"] for r in overdue] == ["2025-05-10"]
    [timer] = await timers(infra, pid, "decision_due")
    assert timer["timer_id"] == f"decision_due:{pid}:2025-05-10" and timer["fired_at"] is not None


async def test_an_extension_moves_the_deadline_and_a_missed_new_deadline_is_overdue_once_more(
    infra: Infra, partner: Partner, recognition: ServiceProcess
) -> None:
    async with Tap(infra.kafka, EVENTS) as events:
        pid, due = await complete_case(partner, events, date(2024, 1, 10))
        await events.wait_for(for_participant(pid, OVERDUE))
        await partner.send(
            ExtendDeadline(
                participant_id=pid, new_decision_due_on=date(2024, 6, 10), reason=ExtensionReason.DOCUMENT_VERIFICATION
            )
        )
        [extended] = await events.wait_for(for_participant(pid, DeadlineExtended.ce_type()))
        overdue = await events.wait_for(for_participant(pid, OVERDUE), count=2, settle_s=3)

    assert extended.body["previous_decision_due_on"] == due.isoformat() == "2024-05-10"
    assert extended.body["decision_due_on"] == "2024-06-10"
    assert [r.body["decision_due_on"] for r in overdue] == ["2024-05-10", "2024-06-10"]
    row = await case_row(infra, pid)
    assert row is not None and row["decision_due_on"] == date(2024, 6, 10) and row["extended"]


async def test_an_extension_before_the_deadline_cancels_the_old_timer_and_sets_a_new_one(
    infra: Infra, partner: Partner, recognition: ServiceProcess
) -> None:
    today = date.today()
    async with Tap(infra.kafka, EVENTS) as events:
        pid, due = await complete_case(partner, events, today)
        later = due + timedelta(days=45)
        await partner.send(ExtendDeadline(participant_id=pid, new_decision_due_on=later, reason=ExtensionReason.OTHER))
        await events.wait_for(for_participant(pid, DeadlineExtended.ce_type()))

    old, new = sorted(await timers(infra, pid, "decision_due"), key=lambda t: t["due_at"])
    assert old["timer_id"].endswith(due.isoformat()) and old["cancelled_at"] is not None
    assert new["timer_id"].endswith(later.isoformat()) and new["cancelled_at"] is None and new["fired_at"] is None
    assert new["due_at"].date() == later  # its end, midnight German time, is still that day in UTC


async def test_a_decision_in_time_or_a_withdrawal_cancels_the_overdue_timer(
    infra: Infra, partner: Partner, recognition: ServiceProcess
) -> None:
    today = date.today()
    async with Tap(infra.kafka, EVENTS) as events:
        decided, _ = await complete_case(partner, events, today)
        withdrawn, _ = await complete_case(partner, events, today)
        forgotten, _ = await complete_case(partner, events, today)  # neither: the control
        await partner.send(
            RecordDecision(participant_id=decided, outcome=RecognitionOutcome.FULL_EQUIVALENCE, decided_on=today)
        )
        await events.wait_for(for_participant(decided, RecognitionDecided.ce_type()))
        withdrawal = await publish_fact(
            partner,
            ParticipantWithdrawn(participant_id=withdrawn, reason=WithdrawalReason.MOVED_AWAY, withdrawn_on=today),
        )
        await eventually(lambda: handled(infra, withdrawal))
        for pid in (decided, withdrawn, forgotten):
            await let_time_pass(infra, pid)
        found = await events.wait_for(
            lambda r: r.ce_type == OVERDUE and r.key in {str(decided), str(withdrawn), str(forgotten)}, settle_s=3
        )

    assert [r.key for r in found] == [str(forgotten)]
    closed = await case_row(infra, withdrawn)
    assert closed is not None and closed["state"] == "closed"
    for pid in (decided, withdrawn):
        [timer] = await timers(infra, pid, "decision_due")
        assert timer["cancelled_at"] is not None and timer["fired_at"] is None


async def test_a_berufserlaubnis_ending_is_announced_then_reported_once_each_unless_superseded(
    infra: Infra, partner: Partner, recognition: ServiceProcess
) -> None:
    today = date.today()
    async with Tap(infra.kafka, EVENTS) as events:
        lapsing, _ = await complete_case(partner, events, today, profession=Profession.DOCTOR)
        superseded, _ = await complete_case(partner, events, today, profession=Profession.DOCTOR)
        await partner.send(
            GrantLicence(
                participant_id=lapsing,
                licence=LicenceKind.BERUFSERLAUBNIS,
                granted_on=date(2024, 9, 2),
                valid_until=date(2025, 6, 30),
            )
        )
        await partner.send(
            GrantLicence(
                participant_id=superseded,
                licence=LicenceKind.BERUFSERLAUBNIS,
                granted_on=today,
                valid_until=today + timedelta(days=365),
            )
        )
        await partner.send(
            RecordDecision(participant_id=superseded, outcome=RecognitionOutcome.FULL_EQUIVALENCE, decided_on=today)
        )
        await events.wait_for(for_participant(superseded, RecognitionDecided.ce_type()))
        await tell(partner, infra, qualification_completed(superseded))  # B2 and the medical language exam
        await partner.send(GrantLicence(participant_id=superseded, licence=LicenceKind.APPROBATION, granted_on=today))
        await events.wait_for(for_participant(superseded, LicenceGranted.ce_type()), count=2)
        await let_time_pass(infra, superseded)
        ending = {LicenceExpiring.ce_type(), LicenceExpired.ce_type()}
        lapsed = await events.wait_for(lambda r: r.key == str(lapsing) and r.ce_type in ending, count=2, settle_s=3)
        kept = await events.wait_for(lambda r: r.key == str(superseded) and r.ce_type in ending, timeout_s=0.5)

    assert [name(r) for r in lapsed] == ["LicenceExpiring", "LicenceExpired"]
    assert all(r.body["licence"] == "berufserlaubnis" and r.body["valid_until"] == "2025-06-30" for r in lapsed)
    assert kept == []
    superseded_timers = await timers(infra, superseded, "licence_expiring", "licence_expired")
    assert len(superseded_timers) == 2 and all(t["cancelled_at"] is not None for t in superseded_timers)
    row = await case_row(infra, lapsing)
    assert row is not None and row["state"] == "complete" and row["licence"] == "berufserlaubnis"
