"""Placement's state machine: which command may do what in which state."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

import pytest

from services.placement import domain
from services.placement.domain import (
    ALLOWED,
    Action,
    CaseStatus,
    Duplicate,
    NotAllowed,
    OfferNotOpen,
    OfferStatus,
    Placement,
    PlacementError,
)

OFFER, OTHER = uuid.uuid4(), uuid.uuid4()
STARTED = date(2026, 3, 2)


def pending(*offers: uuid.UUID) -> Placement:
    placement = Placement()
    for offer in offers or (OFFER,):
        placement = domain.record_offer(placement, offer)
    return placement


def placed() -> Placement:
    return domain.confirm_placement(pending(), OFFER)


def employed() -> Placement:
    return domain.start_employment(placed(), STARTED)


def ended() -> Placement:
    return domain.end_employment(employed(), date(2026, 10, 31))


def withdrawn() -> Placement:
    return domain.withdraw(Placement())


IN_STATE: dict[CaseStatus, Callable[[], Placement]] = {
    CaseStatus.SEARCHING: Placement,
    CaseStatus.OFFER_PENDING: pending,
    CaseStatus.PLACED: placed,
    CaseStatus.EMPLOYED: employed,
    CaseStatus.ENDED: ended,
    CaseStatus.WITHDRAWN: withdrawn,
}

ATTEMPT: dict[Action, Callable[[Placement], Placement]] = {
    Action.RECORD_OFFER: lambda p: domain.record_offer(p, uuid.uuid4()),
    Action.RETRACT_OFFER: lambda p: domain.retract_offer(p, OFFER),
    Action.CONFIRM_PLACEMENT: lambda p: domain.confirm_placement(p, OFFER),
    Action.START_EMPLOYMENT: lambda p: domain.start_employment(p, STARTED),
    Action.RECORD_RETENTION_CHECK: lambda p: domain.record_retention_check(p, 6, date(2026, 9, 2)),
    Action.END_EMPLOYMENT: lambda p: domain.end_employment(p, date(2026, 10, 31)),
    Action.WITHDRAW: domain.withdraw,
}


def test_a_new_case_is_searching() -> None:
    assert Placement().status is CaseStatus.SEARCHING


def test_an_offer_makes_the_case_offer_pending() -> None:
    assert pending().status is CaseStatus.OFFER_PENDING
    assert pending().offers == {OFFER: OfferStatus.OPEN}


def test_offer_confirm_and_start_lead_to_employment_under_the_confirmed_offer() -> None:
    placement = employed()
    assert placement.status is CaseStatus.EMPLOYED
    assert placement.current_offer == OFFER and placement.started_on == STARTED
    assert placement.offers[OFFER] is OfferStatus.CONFIRMED


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
    with pytest.raises(Duplicate):
        domain.record_offer(pending(), OFFER)


def test_a_placement_needs_a_recorded_offer_with_that_id() -> None:
    with pytest.raises(OfferNotOpen, match="not recorded"):
        domain.confirm_placement(pending(), OTHER)


def test_a_retracted_offer_cannot_be_confirmed() -> None:
    retracted = domain.retract_offer(pending(OFFER, OTHER), OFFER)
    with pytest.raises(OfferNotOpen, match="is retracted"):
        domain.confirm_placement(retracted, OFFER)


def test_retracting_the_only_pending_offer_returns_to_searching() -> None:
    after = domain.retract_offer(pending(), OFFER)
    assert after.status is CaseStatus.SEARCHING
    assert after.offers[OFFER] is OfferStatus.RETRACTED


def test_retracting_one_of_two_pending_offers_keeps_the_case_pending() -> None:
    assert domain.retract_offer(pending(OFFER, OTHER), OFFER).status is CaseStatus.OFFER_PENDING


@pytest.mark.parametrize("stage", [placed, employed], ids=["placed", "employed"])
def test_an_offer_retracted_after_confirmation_or_start_sends_the_case_back_to_searching(
    stage: Callable[[], Placement],
) -> None:
    after = domain.retract_offer(stage(), OFFER)
    assert after.status is CaseStatus.SEARCHING
    assert after.current_offer is None and after.started_on is None


def test_retracting_the_employment_while_another_offer_stands_leaves_that_offer_pending() -> None:
    employed_with_side_offer = domain.start_employment(domain.confirm_placement(pending(OFFER, OTHER), OFFER), STARTED)
    assert domain.retract_offer(employed_with_side_offer, OFFER).status is CaseStatus.OFFER_PENDING


def test_a_side_offer_falling_through_leaves_the_employment_as_it_is() -> None:
    before = domain.start_employment(domain.confirm_placement(pending(OFFER, OTHER), OFFER), STARTED)
    after = domain.retract_offer(before, OTHER)
    assert after.status is CaseStatus.EMPLOYED and after.current_offer == OFFER


def test_an_offer_cannot_be_retracted_twice() -> None:
    with pytest.raises(OfferNotOpen, match="is retracted"):
        domain.retract_offer(domain.retract_offer(pending(OFFER, OTHER), OFFER), OFFER)


def test_a_retention_check_is_recorded_once_it_is_due() -> None:
    after = domain.record_retention_check(employed(), 6, date(2026, 9, 2))
    assert after.recorded_checks == {6} and after.status is CaseStatus.EMPLOYED


def test_an_overdue_retention_check_can_still_be_recorded() -> None:
    assert domain.record_retention_check(employed(), 12, date(2027, 6, 1)).recorded_checks == {12}


def test_a_retention_check_before_its_due_date_is_refused() -> None:
    with pytest.raises(PlacementError, match="not due until 2026-09-02"):
        domain.record_retention_check(employed(), 6, date(2026, 9, 1))


def test_a_retention_check_cannot_be_recorded_twice() -> None:
    once = domain.record_retention_check(employed(), 6, date(2026, 9, 2))
    with pytest.raises(Duplicate):
        domain.record_retention_check(once, 6, date(2026, 9, 3))


def test_an_employment_ends() -> None:
    assert ended().status is CaseStatus.ENDED


def test_an_employment_cannot_end_before_it_started() -> None:
    with pytest.raises(PlacementError, match="before the employment started"):
        domain.end_employment(employed(), date(2026, 3, 1))


def test_after_an_ended_employment_a_new_offer_starts_a_fresh_search() -> None:
    after = domain.record_offer(ended(), OTHER)
    assert after.status is CaseStatus.OFFER_PENDING
    assert after.current_offer is None and after.started_on is None and after.recorded_checks == frozenset()


@pytest.mark.parametrize("status", [s for s in CaseStatus if s is not CaseStatus.WITHDRAWN])
def test_a_withdrawal_closes_the_case_from_any_open_state(status: CaseStatus) -> None:
    assert domain.withdraw(IN_STATE[status]()).status is CaseStatus.WITHDRAWN


def test_a_check_is_outstanding_only_while_its_employment_runs_and_it_is_unrecorded() -> None:
    assert domain.check_outstanding(employed(), OFFER, 12)
    assert not domain.check_outstanding(employed(), OTHER, 12)
    assert not domain.check_outstanding(domain.record_retention_check(employed(), 6, date(2026, 9, 2)), OFFER, 6)
    assert not domain.check_outstanding(ended(), OFFER, 12)
    assert not domain.check_outstanding(domain.retract_offer(employed(), OFFER), OFFER, 12)
