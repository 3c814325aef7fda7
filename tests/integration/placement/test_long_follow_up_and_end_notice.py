"""Issue 12 against the real broker and database: follow-ups at 24 and 36 months that go on after the participant
completed or dropped out while employed, with the district of the start; a reactivation that reopens a closed case;
the §4a(5) AufenthG notice reminder, raised or dropped by the notice; bad input rejected with its reason code while
the next valid command applies."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from shared.contracts.placement import (
    EmploymentEndReason,
    EndEmployment,
    RecordEndNotice,
    RecordRetentionCheck,
)
from shared.contracts.rejections import RejectionReason
from tests.integration.placement.helpers import (
    PlacementRows,
    RecruitmentFacts,
    by_check,
    confirm,
    employed,
    named,
    names,
    record_offer,
)
from tests.support.infra import Infra
from tests.support.kafka import Partner, Tap, for_participant
from tests.support.processes import ServiceProcess

EVENTS = "journey.placement.events"
REJECTIONS = "journey.placement.rejections"
START_DISTRICT = "10041"


def today() -> date:
    return datetime.now(UTC).date()


async def test_a_participant_who_completed_while_employed_gets_the_24_month_check_with_the_district(
    infra: Infra,
    partner: Partner,
    recruitment_facts: RecruitmentFacts,
    rows: PlacementRows,
    placement: ServiceProcess,
) -> None:
    pid = await recruitment_facts.recruited(district=START_DISTRICT)
    started_on = today() - timedelta(days=2 * 365 + 10)  # the 24-month check is due, the 36-month one is not
    async with Tap(infra.kafka, EVENTS) as events:
        await employed(partner, pid, started_on)
        await events.wait_for(named(pid, "EmploymentStarted"))
        await recruitment_facts.completed(pid, completed_on=today() - timedelta(days=30))
        await rows.eventually(lambda: rows.left_programme_on(pid), today() - timedelta(days=30))
        [due] = await events.wait_for(named(pid, "RetentionCheckDue", months=24))
        await partner.send(
            RecordRetentionCheck(
                participant_id=pid, months=24, still_employed=True, checked_on=today(), district="10042"
            )
        )
        [recorded] = await events.wait_for(named(pid, "RetentionCheckRecorded", months=24))

    assert recorded.body["after_programme"] is True
    assert recorded.body["district"] == "10042" and recorded.body["still_in_district"] is False  # moved away
    assert due.body["due_on"] >= started_on.isoformat()
    assert await rows.status(pid) == "employed"
    timers = by_check(await rows.timers(pid))
    assert timers["retention_check_due", 24]["fired_at"] is not None
    assert timers["retention_check_overdue", 24]["cancelled_at"] is not None
    for kind in ("retention_check_due", "retention_check_overdue"):  # still awaited after the programme
        assert timers[kind, 36]["fired_at"] is None and timers[kind, 36]["cancelled_at"] is None


async def test_a_withdrawal_while_employed_keeps_the_follow_ups_and_a_reactivation_reopens_a_closed_case(
    infra: Infra,
    partner: Partner,
    recruitment_facts: RecruitmentFacts,
    rows: PlacementRows,
    placement: ServiceProcess,
) -> None:
    working, closed = await recruitment_facts.recruited(), await recruitment_facts.recruited()
    offer = record_offer(closed)
    async with Tap(infra.kafka, EVENTS) as events:
        await employed(partner, working, date(2031, 3, 2))
        await partner.send(offer)
        await partner.send(confirm(closed, offer.offer_id))
        await events.wait_for(named(working, "EmploymentStarted"))
        await events.wait_for(named(closed, "PlacementConfirmed"))
        await recruitment_facts.withdrawn(working)
        await recruitment_facts.withdrawn(closed)
        await rows.eventually(lambda: rows.left_programme_on(working), date(2031, 6, 1))
        await rows.eventually(lambda: rows.status(closed), "withdrawn")
        await recruitment_facts.reactivated(closed)
        await rows.eventually(lambda: rows.status(closed), "searching")
        await partner.send(record_offer(closed))  # searching again: a new offer is welcome
        await events.wait_for(named(closed, "OfferRecorded"), count=2)

    assert await rows.status(working) == "employed"
    timers = await rows.timers(working)
    assert len(timers) == 8 and all(t["cancelled_at"] is None for t in timers)
    assert await rows.left_programme_on(closed) is None
    assert await rows.status(closed) == "offer_pending"


async def test_an_early_end_reminds_of_the_notice_when_it_is_not_recorded_in_time(
    infra: Infra,
    partner: Partner,
    recruitment_facts: RecruitmentFacts,
    rows: PlacementRows,
    placement: ServiceProcess,
) -> None:
    pid = await recruitment_facts.recruited(eu_citizen=False)
    async with Tap(infra.kafka, EVENTS) as events:
        await employed(partner, pid, date(2023, 3, 2))  # long past: the reminder's day has passed
        await partner.send(
            EndEmployment(
                participant_id=pid,
                ended_on=date(2024, 1, 10),
                reason=EmploymentEndReason.DISMISSED,
                learned_on=date(2024, 1, 15),
            )
        )
        [reminder] = await events.wait_for(named(pid, "EmploymentEndNoticeDue"), settle_s=2)
        await partner.send(RecordEndNotice(participant_id=pid, notified_on=date(2024, 2, 20)))  # late, but taken
        [recorded] = await events.wait_for(named(pid, "EndNoticeRecorded"))
        ended = (await events.wait_for(named(pid, "EmploymentEnded")))[0]

    assert ended.body["authority_notice_due_on"] == "2024-02-12"  # 4 weeks from learning of it
    assert reminder.body == {
        "participant_id": str(pid),
        "employer_id": "care-home-example",
        "ended_on": "2024-01-10",
        "notice_due_on": "2024-02-12",
    }
    assert recorded.body["notice_due_on"] == "2024-02-12" and recorded.body["notified_on"] == "2024-02-20"
    [timer] = [t for t in await rows.timers(pid) if t["kind"] == "end_notice_due"]
    assert timer["fired_at"] is not None


async def test_a_notice_recorded_before_the_reminder_drops_it(
    infra: Infra,
    partner: Partner,
    recruitment_facts: RecruitmentFacts,
    rows: PlacementRows,
    placement: ServiceProcess,
) -> None:
    pid = await recruitment_facts.recruited(eu_citizen=False)
    async with Tap(infra.kafka, EVENTS) as events:
        await employed(partner, pid, date(2031, 3, 2))
        await partner.send(
            EndEmployment(participant_id=pid, ended_on=date(2031, 10, 31), reason=EmploymentEndReason.RESIGNED)
        )
        await events.wait_for(named(pid, "EmploymentEnded"))
        await partner.send(RecordEndNotice(participant_id=pid, notified_on=date(2031, 11, 3)))
        [recorded] = await events.wait_for(named(pid, "EndNoticeRecorded"), settle_s=2)
        found = await events.wait_for(for_participant(pid))

    assert recorded.body["notice_due_on"] == "2031-11-28"
    assert "EmploymentEndNoticeDue" not in names(found)
    [timer] = [t for t in await rows.timers(pid) if t["kind"] == "end_notice_due"]
    assert timer["cancelled_at"] is not None and timer["fired_at"] is None


async def test_new_commands_with_bad_input_are_rejected_with_their_reason_and_the_next_valid_one_applies(
    infra: Infra,
    partner: Partner,
    recruitment_facts: RecruitmentFacts,
    rows: PlacementRows,
    placement: ServiceProcess,
) -> None:
    pid = await recruitment_facts.recruited(district=START_DISTRICT, eu_citizen=False)
    async with Tap(infra.kafka, EVENTS) as events, Tap(infra.kafka, REJECTIONS) as rejections:
        nothing_employed = await partner.send(
            RecordRetentionCheck(participant_id=pid, months=24, still_employed=True, checked_on=date(2033, 3, 2))
        )
        await rejections.wait_for(for_participant(pid))
        await employed(partner, pid, date(2027, 3, 2))
        no_early_end = await partner.send(RecordEndNotice(participant_id=pid, notified_on=date(2028, 1, 5)))
        contradiction = await partner.send(
            RecordRetentionCheck(
                participant_id=pid,
                months=24,
                still_employed=True,
                checked_on=date(2029, 3, 2),
                district=START_DISTRICT,
                still_in_district=False,
            )
        )
        await partner.send(
            RecordRetentionCheck(
                participant_id=pid, months=24, still_employed=True, checked_on=date(2029, 3, 2), district=START_DISTRICT
            )
        )
        [recorded] = await events.wait_for(named(pid, "RetentionCheckRecorded", months=24))
        await partner.send(
            EndEmployment(participant_id=pid, ended_on=date(2029, 6, 30), reason=EmploymentEndReason.MOVED_AWAY)
        )
        await partner.send(RecordEndNotice(participant_id=pid, notified_on=date(2029, 7, 3)))
        twice = await partner.send(RecordEndNotice(participant_id=pid, notified_on=date(2029, 7, 4)))
        await events.wait_for(named(pid, "EndNoticeRecorded"))
        refused = await rejections.wait_for(for_participant(pid), count=4)

    by_id = {r.body["rejected_id"]: r.body for r in refused}
    assert by_id[nothing_employed]["reason"] == RejectionReason.NOT_ALLOWED_IN_STATE
    assert "the placement is searching" in by_id[nothing_employed]["message"]
    assert by_id[no_early_end]["reason"] == RejectionReason.NOT_ALLOWED_IN_STATE
    assert "no employment of this participant ended early" in by_id[no_early_end]["message"]
    assert by_id[contradiction]["reason"] == RejectionReason.INVALID_PAYLOAD
    assert by_id[twice]["reason"] == RejectionReason.ALREADY_EXISTS
    assert recorded.body["still_in_district"] is True and recorded.body["after_programme"] is False
