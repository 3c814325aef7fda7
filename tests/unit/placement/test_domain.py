"""Placement's state machine: which command may do what in which state, and the case it leaves."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

import pytest

from services.placement.domain import case, employment, life_cycle, offers, retention
from services.placement.domain.case import ALLOWED, Action, CaseStatus, OfferStatus, Placement
from shared.decision import Decision
from shared.refusals import AlreadyExists, NotAllowed
from tests.unit.placement.cases import (
    OFFER,
    OTHER,
    PID,
    RECRUITED,
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

IN_STATE: dict[CaseStatus, Callable[[], Placement]] = {
    CaseStatus.SEARCHING: searching,
    CaseStatus.OFFER_PENDING: pending,
    CaseStatus.PLACED: placed,
    CaseStatus.EMPLOYED: employed,
    CaseStatus.ENDED: ended,
    CaseStatus.WITHDRAWN: withdrawn,
}

ATTEMPT: dict[Action, Callable[[Placement], Decision[Placement]]] = {
    Action.RECORD_OFFER: lambda p: offers.record_offer(p, record(uuid.uuid4())),
    Action.RETRACT_OFFER: lambda p: offers.retract_offer(p, retract()),
    Action.CONFIRM_PLACEMENT: lambda p: offers.confirm_placement(p, confirm()),
    Action.START_EMPLOYMENT: lambda p: employment.start_employment(p, start()),
    Action.RECORD_RETENTION_CHECK: lambda p: retention.record_retention_check(p, check(6, date(2026, 9, 2))),
    Action.END_EMPLOYMENT: lambda p: employment.end_employment(p, end()),
}


def test_a_recruited_participants_case_opens_searching() -> None:
    opened = case.open_case(None, RECRUITED)
    assert opened.state == Placement(PID, district=RECRUITED.district, eu_citizen=RECRUITED.eu_citizen)
    assert opened.state.status is CaseStatus.SEARCHING
    assert opened.events == () and opened.timers == ()


def test_a_replayed_recruitment_leaves_the_case_as_it_is() -> None:
    assert case.open_case(pending(), RECRUITED) == Decision(pending())


def test_an_offer_makes_the_case_offer_pending() -> None:
    assert pending().status is CaseStatus.OFFER_PENDING
    assert {o: offer.status for o, offer in pending().offers.items()} == {OFFER: OfferStatus.OPEN}


def test_offer_confirm_and_start_lead_to_employment_under_the_confirmed_offer() -> None:
    placement = employed()
    assert placement.status is CaseStatus.EMPLOYED
    assert placement.current_offer == OFFER and placement.started_on == STARTED
    assert placement.offers[OFFER].status is OfferStatus.CONFIRMED


@pytest.mark.parametrize(
    ("status", "action"),
    [(s, a) for a in Action for s in CaseStatus if s not in ALLOWED[a]],
)
def test_a_command_outside_its_allowed_states_is_refused_naming_the_state_and_what_is_allowed(
    status: CaseStatus, action: Action
) -> None:
    before = IN_STATE[status]()
    with pytest.raises(NotAllowed) as refused:
        ATTEMPT[action](before)
    assert f"the placement is {status.value}" in str(refused.value)
    assert "allowed only when " + ALLOWED[action][0].value in str(refused.value)
    assert before.status is status


def test_the_same_offer_cannot_be_recorded_twice() -> None:
    with pytest.raises(AlreadyExists, match=f"offer {OFFER} is recorded already"):
        offers.record_offer(pending(), record(OFFER))


def test_a_placement_needs_a_recorded_offer_with_that_id() -> None:
    with pytest.raises(NotAllowed, match=f"cannot confirm a placement: offer {OTHER} is not recorded"):
        offers.confirm_placement(pending(), confirm(OTHER))


def test_a_retracted_offer_cannot_be_confirmed() -> None:
    retracted = offers.retract_offer(pending(OFFER, OTHER), retract(OFFER)).state
    with pytest.raises(NotAllowed, match="is retracted"):
        offers.confirm_placement(retracted, confirm(OFFER))


def test_retracting_the_only_pending_offer_returns_to_searching() -> None:
    after = offers.retract_offer(pending(), retract()).state
    assert after.status is CaseStatus.SEARCHING
    assert after.offers[OFFER].status is OfferStatus.RETRACTED


def test_retracting_one_of_two_pending_offers_keeps_the_case_pending() -> None:
    assert offers.retract_offer(pending(OFFER, OTHER), retract(OFFER)).state.status is CaseStatus.OFFER_PENDING


@pytest.mark.parametrize("stage", [placed, employed], ids=["placed", "employed"])
def test_an_offer_retracted_after_confirmation_or_start_sends_the_case_back_to_searching(
    stage: Callable[[], Placement],
) -> None:
    after = offers.retract_offer(stage(), retract()).state
    assert after.status is CaseStatus.SEARCHING
    assert after.current_offer is None and after.started_on is None


def test_retracting_the_employment_while_another_offer_stands_leaves_that_offer_pending() -> None:
    assert offers.retract_offer(employed(OFFER, OTHER), retract(OFFER)).state.status is CaseStatus.OFFER_PENDING


def test_a_side_offer_falling_through_leaves_the_employment_as_it_is() -> None:
    after = offers.retract_offer(employed(OFFER, OTHER), retract(OTHER)).state
    assert after.status is CaseStatus.EMPLOYED and after.current_offer == OFFER


def test_an_offer_cannot_be_retracted_twice() -> None:
    once = offers.retract_offer(pending(OFFER, OTHER), retract(OFFER)).state
    with pytest.raises(NotAllowed, match="is retracted"):
        offers.retract_offer(once, retract(OFFER))


def test_a_retention_check_is_recorded_once_it_is_due() -> None:
    after = retention.record_retention_check(employed(), check(6, date(2026, 9, 2))).state
    assert after.checks.keys() == {6} and after.status is CaseStatus.EMPLOYED


def test_an_overdue_retention_check_can_still_be_recorded() -> None:
    assert retention.record_retention_check(employed(), check(12, date(2027, 6, 1))).state.checks.keys() == {12}


def test_a_retention_check_before_its_due_date_is_refused() -> None:
    with pytest.raises(NotAllowed, match="not due until 2026-09-02; checked_on 2026-09-01 is earlier"):
        retention.record_retention_check(employed(), check(6, date(2026, 9, 1)))


def test_a_retention_check_cannot_be_recorded_twice() -> None:
    once = retention.record_retention_check(employed(), check(6, date(2026, 9, 2))).state
    with pytest.raises(AlreadyExists, match="the 6-month retention check is recorded already"):
        retention.record_retention_check(once, check(6, date(2026, 9, 3)))


def test_an_employment_ends() -> None:
    assert ended().status is CaseStatus.ENDED


def test_an_employment_cannot_end_before_it_started() -> None:
    with pytest.raises(NotAllowed, match="before the employment started"):
        employment.end_employment(employed(), end(date(2026, 3, 1)))


def test_after_an_ended_employment_a_new_offer_starts_a_fresh_search() -> None:
    with_check = retention.record_retention_check(employed(), check(6, date(2026, 9, 2))).state
    before = employment.end_employment(with_check, end()).state
    after = offers.record_offer(before, record(OTHER)).state
    assert after.status is CaseStatus.OFFER_PENDING
    assert after.current_offer is None and after.started_on is None and after.checks == {}
    assert after.offers[OFFER].ended_on == date(2026, 10, 31)  # the ended employment stays, as history


@pytest.mark.parametrize("status", [s for s in CaseStatus if s not in (CaseStatus.WITHDRAWN, CaseStatus.EMPLOYED)])
def test_a_withdrawal_closes_the_case_from_any_open_state_but_employment(status: CaseStatus) -> None:
    assert life_cycle.withdraw(IN_STATE[status](), WITHDRAWN).state.status is CaseStatus.WITHDRAWN


def test_a_withdrawal_of_a_closed_case_is_not_refused_and_changes_nothing() -> None:
    assert life_cycle.withdraw(withdrawn(), WITHDRAWN) == Decision(withdrawn())


def test_a_check_is_outstanding_only_while_its_employment_runs_and_it_is_unrecorded() -> None:
    assert retention.check_outstanding(employed(), OFFER, 12)
    assert not retention.check_outstanding(employed(), OTHER, 12)
    recorded = retention.record_retention_check(employed(), check(6, date(2026, 9, 2))).state
    assert not retention.check_outstanding(recorded, OFFER, 6)
    assert retention.check_outstanding(recorded, OFFER, 12)
    assert not retention.check_outstanding(ended(), OFFER, 12)
    assert not retention.check_outstanding(offers.retract_offer(employed(), retract()).state, OFFER, 12)
    assert retention.check_outstanding(life_cycle.withdraw(employed(), WITHDRAWN).state, OFFER, 12)
