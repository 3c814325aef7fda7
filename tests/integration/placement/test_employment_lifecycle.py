"""Offer, contract, start, retention follow-ups, retraction and end, against the real broker and database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from shared.contracts.placement import (
    EmploymentEndReason,
    EndEmployment,
    RecordRetentionCheck,
    RetractionReason,
    RetractOffer,
)
from tests.integration.placement.helpers import (
    PlacementRows,
    RecruitmentFacts,
    by_check,
    employed,
    named,
    names,
    record_offer,
)
from tests.support.infra import Infra
from tests.support.kafka import Partner, Tap, for_participant
from tests.support.processes import ServiceProcess

EVENTS = "journey.placement.events"


def today() -> date:
    return datetime.now(UTC).date()


async def test_offer_confirm_and_start_emit_their_facts_and_a_due_six_month_check_is_recorded(
    infra: Infra,
    partner: Partner,
    recruitment_facts: RecruitmentFacts,
    rows: PlacementRows,
    placement: ServiceProcess,
) -> None:
    pid = await recruitment_facts.recruited()
    started_on = today() - timedelta(days=200)  # the 6-month check is due, not yet overdue
    async with Tap(infra.kafka, EVENTS) as events:
        offer_id = await employed(partner, pid, started_on)
        [due] = await events.wait_for(named(pid, "RetentionCheckDue", months=6))
        await partner.send(
            RecordRetentionCheck(
                participant_id=pid, months=6, still_employed=True, still_in_region=True, checked_on=today()
            )
        )
        found = await events.wait_for(for_participant(pid), count=5, settle_s=2)

    assert names(found) == [
        "OfferRecorded",
        "PlacementConfirmed",
        "EmploymentStarted",
        "RetentionCheckDue",
        "RetentionCheckRecorded",
    ]
    recorded, confirmed, started = found[0].body, found[1].body, found[2].body
    assert recorded["offer_id"] == str(offer_id) and recorded["employer_id"] == "care-home-example"
    assert confirmed["employer_id"] == "care-home-example" and confirmed["starts_on"] == "2031-03-01"
    assert started["started_on"] == started_on.isoformat()
    assert started["role_level"] == "assistant_pending_recognition"  # the contract's terms, not the offer's
    assert found[4].body["months"] == 6 and found[4].body["still_employed"] is True
    assert due.headers["ce_source"] == "/journey/placement"
    timers = by_check(await rows.timers(pid))
    assert timers["retention_check_due", 6]["fired_at"] is not None
    assert timers["retention_check_overdue", 6]["cancelled_at"] is not None
    for kind in ("retention_check_due", "retention_check_overdue"):
        for months in (12, 24, 36):
            assert timers[kind, months]["fired_at"] is None and timers[kind, months]["cancelled_at"] is None
    assert await rows.status(pid) == "employed"


async def test_a_twelve_month_check_not_recorded_in_time_is_raised_overdue_exactly_once(
    infra: Infra,
    partner: Partner,
    recruitment_facts: RecruitmentFacts,
    rows: PlacementRows,
    placement_6_12: ServiceProcess,
) -> None:
    """The service runs with `RETENTION_MONTHS=6,12`: only those follow-ups are set, so only they are raised."""
    pid = await recruitment_facts.recruited()
    three_years_ago = date(today().year - 3, today().month, 1)  # both checks and grace periods have passed
    async with Tap(infra.kafka, EVENTS) as events:
        await employed(partner, pid, three_years_ago)
        [overdue] = await events.wait_for(named(pid, "RetentionCheckOverdue", months=12), settle_s=3)
        await partner.send(RecordRetentionCheck(participant_id=pid, months=12, still_employed=True, checked_on=today()))
        await events.wait_for(named(pid, "RetentionCheckRecorded", months=12))
        found = await events.wait_for(for_participant(pid), settle_s=2)

    follow_ups = [(n, r.body["months"]) for n, r in zip(names(found), found, strict=True) if "Retention" in n]
    assert sorted(follow_ups) == [
        ("RetentionCheckDue", 6),
        ("RetentionCheckDue", 12),
        ("RetentionCheckOverdue", 6),
        ("RetentionCheckOverdue", 12),
        ("RetentionCheckRecorded", 12),
    ]
    assert overdue.body["due_on"] == three_years_ago.replace(year=three_years_ago.year + 1).isoformat()
    assert all(t["fired_at"] is not None for t in await rows.timers(pid))


async def test_an_offer_retracted_after_the_start_sends_the_case_back_to_searching_and_stops_follow_ups(
    infra: Infra,
    partner: Partner,
    recruitment_facts: RecruitmentFacts,
    rows: PlacementRows,
    placement: ServiceProcess,
) -> None:
    pid = await recruitment_facts.recruited()
    async with Tap(infra.kafka, EVENTS) as events:
        offer_id = await employed(partner, pid, date(2031, 3, 2))
        await events.wait_for(named(pid, "EmploymentStarted"))
        await partner.send(
            RetractOffer(
                participant_id=pid,
                offer_id=offer_id,
                retracted_on=date(2031, 3, 20),
                reason=RetractionReason.PERMIT_REFUSED,
            )
        )
        [retracted] = await events.wait_for(named(pid, "OfferRetracted"))
        await partner.send(record_offer(pid))  # searching again: a new offer is welcome
        await events.wait_for(named(pid, "OfferRecorded"), count=2)

    assert retracted.body["status"] == "searching" and retracted.body["reason"] == "permit_refused"
    timers = await rows.timers(pid)
    assert len(timers) == 8  # due and overdue at 6, 12, 24 and 36 months
    assert all(t["cancelled_at"] is not None and t["fired_at"] is None for t in timers)
    assert await rows.status(pid) == "offer_pending"


async def test_the_end_of_an_employment_names_the_day_the_authority_must_be_told_by(
    infra: Infra,
    partner: Partner,
    recruitment_facts: RecruitmentFacts,
    rows: PlacementRows,
    placement: ServiceProcess,
) -> None:
    pid = await recruitment_facts.recruited()
    async with Tap(infra.kafka, EVENTS) as events:
        await employed(partner, pid, date(2031, 3, 2))
        await partner.send(
            EndEmployment(participant_id=pid, ended_on=date(2031, 10, 31), reason=EmploymentEndReason.RESIGNED)
        )
        [ended] = await events.wait_for(named(pid, "EmploymentEnded"))

    assert ended.body["ended_on"] == "2031-10-31"
    assert ended.body["authority_notice_due_on"] == "2031-11-28"  # 4 weeks, §4a(5) AufenthG
    timers = await rows.timers(pid)
    assert all(t["cancelled_at"] is not None for t in timers if t["kind"].startswith("retention"))
    [reminder] = [t for t in timers if t["kind"] == "end_notice_due"]  # citizenship unknown: counts as not EU
    assert reminder["fired_at"] is None and reminder["cancelled_at"] is None
    assert await rows.status(pid) == "ended"
