"""The licence an employment relies on: the case keeps recognition's latest grant, and an employment that goes on
after its Berufserlaubnis ended is marked and announced, once; a superseded permit's end changes nothing."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

import pytest

from services.placement.domain import employment, licences, life_cycle, offers
from services.placement.domain.case import Licence, Placement
from shared.contracts.placement import EmploymentPermitExpired, RoleLevel
from shared.contracts.recognition import LicenceKind
from shared.decision import Decision
from tests.unit.placement.cases import (
    OFFER,
    OTHER,
    PERMIT_UNTIL,
    PID,
    STARTED,
    WITHDRAWN,
    confirm,
    end,
    expired,
    granted,
    pending,
    record,
    retract,
    searching,
    start,
)

PERMIT = Licence(LicenceKind.BERUFSERLAUBNIS, PERMIT_UNTIL)
APPROBATION = Licence(LicenceKind.APPROBATION)


def with_permit(placement: Placement, until: date = PERMIT_UNTIL) -> Placement:
    return licences.licence_granted(placement, granted(valid_until=until)).state


def placed_as(role: RoleLevel) -> Placement:
    return offers.confirm_placement(pending(), confirm(role=role)).state


def doctor_placed() -> Placement:
    """A doctor under a Berufserlaubnis, contract signed, not started yet."""
    return with_permit(offers.confirm_placement(pending(), confirm(role=RoleLevel.UNDER_BERUFSERLAUBNIS)).state)


def doctor_employed() -> Placement:
    return employment.start_employment(doctor_placed(), start()).state


def permit_expired_event() -> EmploymentPermitExpired:
    return EmploymentPermitExpired(
        participant_id=PID,
        employer_id="care-home-example",
        started_on=STARTED,
        licence=LicenceKind.BERUFSERLAUBNIS,
        valid_until=PERMIT_UNTIL,
    )


def test_a_granted_licence_is_kept_on_the_case_and_announces_nothing() -> None:
    decision = licences.licence_granted(searching(), granted())

    assert decision.state.licence == PERMIT
    assert decision.events == () and decision.timers == ()


def test_a_permanent_licence_supersedes_the_berufserlaubnis() -> None:
    after = licences.licence_granted(with_permit(searching()), granted(LicenceKind.APPROBATION, None)).state
    assert after.licence == APPROBATION


def test_a_new_berufserlaubnis_replaces_the_one_it_extends() -> None:
    after = with_permit(with_permit(searching()), date(2027, 9, 30))
    assert after.licence == Licence(LicenceKind.BERUFSERLAUBNIS, date(2027, 9, 30))


def test_an_employment_under_an_expired_berufserlaubnis_is_marked_and_the_coordinator_told() -> None:
    decision = licences.licence_expired(doctor_employed(), expired())

    assert decision.events == (permit_expired_event(),)
    assert decision.timers == ()
    assert decision.state.offers[OFFER].permit_expired_on == date(2027, 4, 1)  # the first day without it
    assert decision.state.licence == Licence(LicenceKind.BERUFSERLAUBNIS, PERMIT_UNTIL, expired=True)
    assert decision.state.status is doctor_employed().status  # the employment goes on; only the coordinator knows


def test_the_same_expiry_told_twice_marks_and_announces_once() -> None:
    once = licences.licence_expired(doctor_employed(), expired()).state
    assert licences.licence_expired(once, expired()) == Decision(once)


def test_the_end_of_a_berufserlaubnis_superseded_by_an_approbation_changes_nothing() -> None:
    superseded = licences.licence_granted(doctor_employed(), granted(LicenceKind.APPROBATION, None)).state
    assert licences.licence_expired(superseded, expired()) == Decision(superseded)


def test_the_end_of_a_berufserlaubnis_since_extended_changes_nothing() -> None:
    extended = with_permit(doctor_employed(), date(2027, 9, 30))
    assert licences.licence_expired(extended, expired()) == Decision(extended)


@pytest.mark.parametrize(
    "stage",
    [
        lambda: with_permit(searching()),
        lambda: with_permit(pending()),
        doctor_placed,
        lambda: employment.end_employment(doctor_employed(), end(date(2026, 10, 31))).state,
        lambda: life_cycle.withdraw(doctor_placed(), WITHDRAWN).state,
        lambda: offers.retract_offer(doctor_employed(), retract()).state,
    ],
    ids=["searching", "offer_pending", "placed", "ended", "withdrawn", "retracted"],
)
def test_with_no_employment_going_on_an_expiry_is_kept_but_announces_nothing(stage: Callable[[], Placement]) -> None:
    decision = licences.licence_expired(stage(), expired())

    assert decision.events == ()
    assert decision.state.licence == Licence(LicenceKind.BERUFSERLAUBNIS, PERMIT_UNTIL, expired=True)
    assert all(o.permit_expired_on is None for o in decision.state.offers.values())


def test_work_as_an_assistant_relies_on_no_licence_and_is_not_marked() -> None:
    assistant = employment.start_employment(with_permit(placed_as(RoleLevel.ASSISTANT_PENDING_RECOGNITION)), start())
    decision = licences.licence_expired(assistant.state, expired())

    assert decision.events == ()
    assert decision.state.offers[OFFER].permit_expired_on is None


def test_a_case_that_knows_no_licence_trusts_recognition_that_the_permit_ended() -> None:
    """Cases from before placement kept licences: recognition raises the fact only for the latest licence."""
    unknown = employment.start_employment(placed_as(RoleLevel.UNDER_BERUFSERLAUBNIS), start()).state
    assert unknown.licence is None

    assert licences.licence_expired(unknown, expired()).events == (permit_expired_event(),)


def test_work_started_after_the_berufserlaubnis_ended_is_marked_at_the_start() -> None:
    lapsed = licences.licence_expired(doctor_placed(), expired()).state
    decision = employment.start_employment(lapsed, start())

    assert [type(e).__name__ for e in decision.events] == ["EmploymentStarted", "EmploymentPermitExpired"]
    assert decision.events[1] == permit_expired_event()
    assert decision.state.offers[OFFER].permit_expired_on == date(2027, 4, 1)
    assert len(decision.timers) == 8  # the retention follow-ups are set as for any start


def test_work_started_under_a_renewed_berufserlaubnis_is_not_marked() -> None:
    renewed = with_permit(licences.licence_expired(doctor_placed(), expired()).state, date(2027, 9, 30))
    assert [type(e).__name__ for e in employment.start_employment(renewed, start()).events] == ["EmploymentStarted"]


def test_the_licence_stays_on_the_case_whatever_happens_to_offers_and_employments() -> None:
    moves: list[Callable[[Placement], Placement]] = [
        lambda p: offers.retract_offer(p, retract()).state,  # back to searching, the employment forgotten
        lambda p: offers.record_offer(p, record(OTHER)).state,
        lambda p: offers.confirm_placement(p, confirm(OTHER)).state,
        lambda p: employment.start_employment(p, start()).state,
        lambda p: employment.end_employment(p, end()).state,
        lambda p: offers.record_offer(p, record(uuid.uuid4())).state,  # a fresh search after the end
    ]
    placement = doctor_employed()
    for move in moves:
        placement = move(placement)
        assert placement.licence == PERMIT
