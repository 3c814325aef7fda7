"""The participant's life cycle as placement sees it: leaving the programme while employed keeps the employment
and its follow-ups; a withdrawal otherwise closes the case; a reactivation reopens it; repeated facts change
nothing."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

import pytest

from services.placement.domain import employment, end_notice, life_cycle, offers, retention
from services.placement.domain.case import CaseStatus, Placement
from shared.contracts.recruitment import (
    ParticipantReactivated,
    ParticipantStatus,
    ParticipationCompleted,
    ParticipationResult,
)
from shared.decision import Decision
from tests.unit.placement.cases import (
    OFFER,
    PID,
    WITHDRAWN,
    check,
    employed,
    end,
    ended,
    pending,
    placed,
    record,
    searching,
)

COMPLETED = ParticipationCompleted(
    participant_id=PID, result=ParticipationResult.LICENSED_AND_EMPLOYED, completed_on=date(2026, 6, 30)
)
REACTIVATED = ParticipantReactivated(
    participant_id=PID, reactivated_on=date(2026, 9, 1), previous_status=ParticipantStatus.WITHDRAWN
)


def test_completion_while_employed_keeps_the_employment_and_its_follow_ups() -> None:
    decision = life_cycle.complete(employed(), COMPLETED)

    assert decision.state.status is CaseStatus.EMPLOYED and decision.state.current_offer == OFFER
    assert decision.state.left_programme_on == date(2026, 6, 30)
    assert decision.events == () and decision.timers == ()  # nothing dropped: the checks still fall due
    assert retention.check_outstanding(decision.state, OFFER, 24)


@pytest.mark.parametrize("stage", [searching, pending, placed, ended], ids=["searching", "pending", "placed", "ended"])
def test_completion_closes_nothing_whatever_the_case(stage: Callable[[], Placement]) -> None:
    before = stage()
    decision = life_cycle.complete(before, COMPLETED)
    assert decision.state.status is before.status and decision.timers == ()


def test_a_withdrawal_while_employed_keeps_the_employment_and_its_follow_ups() -> None:
    decision = life_cycle.withdraw(employed(), WITHDRAWN)

    assert decision.state.status is CaseStatus.EMPLOYED and decision.state.left_programme_on == date(2026, 6, 1)
    assert decision.events == () and decision.timers == ()


def test_after_leaving_while_employed_checks_and_the_end_are_still_taken() -> None:
    left = life_cycle.withdraw(employed(), WITHDRAWN).state
    assert employment.end_employment(left, end()).state.status is CaseStatus.ENDED


def test_a_withdrawal_while_not_employed_closes_the_case_as_before_but_keeps_the_end_notice_reminder() -> None:
    decision = life_cycle.withdraw(ended(), WITHDRAWN)
    assert decision.state.status is CaseStatus.WITHDRAWN
    assert all(t.kind != end_notice.NOTICE_DUE for t in decision.timers)  # the employer's duty outlives the case
    assert end_notice.notice_falls_due(decision.state, OFFER).events != ()


def test_a_repeated_fact_under_another_id_changes_nothing() -> None:
    completed = life_cycle.complete(employed(), COMPLETED).state
    assert life_cycle.complete(completed, COMPLETED) == Decision(completed)
    later = COMPLETED.model_copy(update={"completed_on": date(2026, 7, 31)})
    assert life_cycle.complete(completed, later).state.left_programme_on == date(2026, 6, 30)  # the first day stays
    left = life_cycle.withdraw(employed(), WITHDRAWN).state
    assert life_cycle.withdraw(left, WITHDRAWN) == Decision(left)
    assert life_cycle.reactivate(searching(), REACTIVATED) == Decision(searching())


def test_a_completion_after_the_case_was_closed_leaves_it_closed() -> None:
    closed = life_cycle.withdraw(searching(), WITHDRAWN).state
    assert life_cycle.complete(closed, COMPLETED) == Decision(closed)


def test_a_reactivation_reopens_a_closed_case_searching_without_its_old_employment() -> None:
    closed = life_cycle.withdraw(placed(), WITHDRAWN).state
    decision = life_cycle.reactivate(closed, REACTIVATED)

    assert decision.state.status is CaseStatus.SEARCHING and decision.state.current_offer is None
    assert decision.state.left_programme_on is None and decision.state.offers == closed.offers
    assert offers.record_offer(decision.state, record(uuid.uuid4())).state.status is CaseStatus.OFFER_PENDING


def test_a_reactivation_of_an_employed_participant_only_clears_the_day_they_left() -> None:
    left = life_cycle.complete(employed(), COMPLETED).state
    back = life_cycle.reactivate(left, REACTIVATED).state
    assert back == employed()
    [recorded] = retention.record_retention_check(back, check(24, date(2028, 3, 2))).events
    assert recorded.model_dump()["after_programme"] is False
