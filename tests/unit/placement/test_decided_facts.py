"""What each placement operation decides besides the new case: the events, with their values, and the retention
follow-ups it sets or drops."""

from __future__ import annotations

from datetime import date

from services.placement.domain import employment, follow_ups, life_cycle, offers, retention
from services.placement.domain.follow_ups import CHECK_DUE, CHECK_OVERDUE
from shared.calendar import start_of
from shared.contracts.placement import (
    EmploymentEnded,
    EmploymentEndReason,
    EmploymentStarted,
    OfferRecorded,
    OfferRetracted,
    PlacementConfirmed,
    PlacementStatus,
    RetentionCheckDue,
    RetentionCheckOverdue,
    RetentionCheckRecorded,
    RetractionReason,
    RoleLevel,
)
from shared.decision import Drop, Due
from tests.unit.placement.cases import (
    OFFER,
    OTHER,
    PID,
    STARTED,
    WITHDRAWN,
    check,
    confirm,
    employed,
    end,
    ended,
    pending,
    placed,
    record,
    retract,
    searching,
    start,
    withdrawn,
)


def drops(offer_id: str, *months: int) -> tuple[Drop, ...]:
    return tuple(Drop(PID, kind, f"{offer_id}:{m}") for m in months for kind in (CHECK_DUE, CHECK_OVERDUE))


def test_recording_an_offer_repeats_the_offer_as_offer_recorded() -> None:
    decision = offers.record_offer(searching(), record())

    assert decision.events == (
        OfferRecorded(
            participant_id=PID,
            offer_id=OFFER,
            employer_id="care-home-example",
            role_level=RoleLevel.SKILLED_WORKER,
            in_region=False,
            offered_on=date(2025, 11, 3),
        ),
    )
    assert decision.timers == ()
    assert decision.state.offers[OFFER].employer_id == "care-home-example"


def test_retracting_a_pending_offer_reports_where_the_case_stands_and_drops_nothing() -> None:
    decision = offers.retract_offer(pending(OFFER, OTHER), retract(OFFER))

    assert decision.events == (
        OfferRetracted(
            participant_id=PID,
            offer_id=OFFER,
            retracted_on=date(2025, 11, 20),
            reason=RetractionReason.OTHER,
            status=PlacementStatus.OFFER_PENDING,
        ),
    )
    assert decision.timers == ()
    retracted = decision.state.offers[OFFER]
    assert retracted.retracted_on == date(2025, 11, 20) and retracted.retraction_reason is RetractionReason.OTHER


def test_retracting_the_employment_reports_searching_and_drops_every_checks_follow_ups() -> None:
    decision = offers.retract_offer(employed(), retract())

    [retracted] = decision.events
    assert isinstance(retracted, OfferRetracted) and retracted.status is PlacementStatus.SEARCHING
    assert decision.timers == drops(str(OFFER), 6, 12, 24, 36)


def test_a_side_offer_falling_through_drops_none_of_the_employments_follow_ups() -> None:
    decision = offers.retract_offer(employed(OFFER, OTHER), retract(OTHER))

    [retracted] = decision.events
    assert isinstance(retracted, OfferRetracted) and retracted.status is PlacementStatus.EMPLOYED
    assert decision.timers == ()


def test_confirming_names_the_offers_employer_and_the_contracts_terms() -> None:
    decision = offers.confirm_placement(pending(), confirm())

    assert decision.events == (
        PlacementConfirmed(
            participant_id=PID,
            offer_id=OFFER,
            employer_id="care-home-example",
            contract_signed_on=date(2025, 11, 14),
            starts_on=date(2026, 3, 1),
            role_level=RoleLevel.ASSISTANT_PENDING_RECOGNITION,
            in_region=True,
        ),
    )
    assert decision.timers == ()
    confirmed = decision.state.offers[OFFER]
    assert confirmed.role_level is RoleLevel.ASSISTANT_PENDING_RECOGNITION and confirmed.in_region is True
    assert confirmed.contract_signed_on == date(2025, 11, 14) and confirmed.starts_on == date(2026, 3, 1)


def test_the_start_reports_the_employer_and_the_contracts_terms_not_the_offers() -> None:
    decision = employment.start_employment(placed(), start())

    assert decision.events == (
        EmploymentStarted(
            participant_id=PID,
            employer_id="care-home-example",
            role_level=RoleLevel.ASSISTANT_PENDING_RECOGNITION,
            in_region=True,
            started_on=STARTED,
        ),
    )


def test_the_start_sets_each_checks_due_date_and_its_overdue_date_four_weeks_later() -> None:
    decision = employment.start_employment(placed(), start(date(2026, 3, 2)))

    def data(months: int, due_on: str) -> dict[str, str]:
        return {"offer_id": str(OFFER), "months": str(months), "due_on": due_on}

    assert decision.timers == (
        Due(PID, CHECK_DUE, f"{OFFER}:6", start_of(date(2026, 9, 2)), data(6, "2026-09-02")),
        Due(PID, CHECK_OVERDUE, f"{OFFER}:6", start_of(date(2026, 9, 30)), data(6, "2026-09-02")),
        Due(PID, CHECK_DUE, f"{OFFER}:12", start_of(date(2027, 3, 2)), data(12, "2027-03-02")),
        Due(PID, CHECK_OVERDUE, f"{OFFER}:12", start_of(date(2027, 3, 30)), data(12, "2027-03-02")),
        Due(PID, CHECK_DUE, f"{OFFER}:24", start_of(date(2028, 3, 2)), data(24, "2028-03-02")),
        Due(PID, CHECK_OVERDUE, f"{OFFER}:24", start_of(date(2028, 3, 30)), data(24, "2028-03-02")),
        Due(PID, CHECK_DUE, f"{OFFER}:36", start_of(date(2029, 3, 2)), data(36, "2029-03-02")),
        Due(PID, CHECK_OVERDUE, f"{OFFER}:36", start_of(date(2029, 3, 30)), data(36, "2029-03-02")),
    )


def test_follow_up_keys_keep_the_timer_ids_already_stored() -> None:
    """`kind:participant:offer:months`, as before the due dates were the domain's: stored rows still match."""
    [due, *_] = employment.start_employment(placed(), start()).timers
    assert isinstance(due, Due)
    assert f"{due.kind}:{due.participant_id}:{due.key}" == f"retention_check_due:{PID}:{OFFER}:6"


def test_recording_a_check_repeats_it_and_drops_that_checks_follow_ups_only() -> None:
    decision = retention.record_retention_check(employed(), check(6, date(2026, 9, 4)))

    assert decision.events == (
        RetentionCheckRecorded(
            participant_id=PID, months=6, still_employed=True, still_in_region=None, checked_on=date(2026, 9, 4)
        ),
    )
    assert decision.timers == drops(str(OFFER), 6)
    recorded = decision.state.checks[6]
    assert (recorded.offer_id, recorded.due_on, recorded.checked_on) == (OFFER, date(2026, 9, 2), date(2026, 9, 4))


def test_the_end_names_the_day_the_authority_must_be_told_by_drops_the_follow_ups_and_sets_the_reminder() -> None:
    decision = employment.end_employment(employed(), end(date(2026, 10, 31)))

    assert decision.events == (
        EmploymentEnded(
            participant_id=PID,
            ended_on=date(2026, 10, 31),
            reason=EmploymentEndReason.RESIGNED,
            authority_notice_due_on=date(2026, 11, 28),
        ),
    )
    reminder = Due(
        PID, "end_notice_due", str(OFFER), start_of(date(2026, 11, 21)),
        {"offer_id": str(OFFER), "notice_due_on": "2026-11-28"},
    )  # fmt: skip
    assert decision.timers == (*drops(str(OFFER), 6, 12, 24, 36), reminder)
    assert decision.state.offers[OFFER].ended_on == date(2026, 10, 31)
    assert decision.state.offers[OFFER].end_reason is EmploymentEndReason.RESIGNED


def test_a_withdrawal_announces_nothing_and_drops_the_current_employments_follow_ups() -> None:
    decision = life_cycle.withdraw(placed(), WITHDRAWN)

    assert decision.events == ()
    assert decision.timers == drops(str(OFFER), 6, 12, 24, 36)


def test_a_withdrawal_before_any_contract_drops_nothing() -> None:
    assert life_cycle.withdraw(pending(), WITHDRAWN).timers == ()


def test_a_due_check_is_raised_with_its_due_day() -> None:
    decision = retention.check_falls_due(employed(), OFFER, 6)

    assert decision.events == (RetentionCheckDue(participant_id=PID, months=6, due_on=date(2026, 9, 2)),)
    assert decision.state == employed() and decision.timers == ()


def test_an_overdue_check_is_raised_with_the_day_it_fell_due() -> None:
    decision = retention.check_is_overdue(employed(), OFFER, 12)

    assert decision.events == (RetentionCheckOverdue(participant_id=PID, months=12, due_on=date(2027, 3, 2)),)
    assert decision.state == employed() and decision.timers == ()


def test_a_check_no_longer_awaited_is_not_raised() -> None:
    recorded = retention.record_retention_check(employed(), check(6, date(2026, 9, 2))).state
    stale = [
        (recorded, OFFER, 6),
        (ended(), OFFER, 12),
        (withdrawn(), OFFER, 12),
        (employed(), OTHER, 12),  # a follow-up of an earlier employment
        (offers.retract_offer(employed(), retract()).state, OFFER, 6),
    ]
    for placement, offer_id, months in stale:
        assert retention.check_falls_due(placement, offer_id, months).events == ()
        assert retention.check_is_overdue(placement, offer_id, months).events == ()


def test_every_follow_up_the_start_sets_is_one_the_end_drops() -> None:
    set_ = {(t.kind, t.key) for t in employment.start_employment(placed(), start()).timers}
    dropped = {(t.kind, t.key) for t in employment.end_employment(employed(), end()).timers if isinstance(t, Drop)}
    assert (
        set_ == dropped == {(k, follow_ups.key(OFFER, m)) for k in (CHECK_DUE, CHECK_OVERDUE) for m in (6, 12, 24, 36)}
    )
