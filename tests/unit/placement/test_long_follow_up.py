"""Long follow-up: retention checks at the months a deployment configures (6, 12, 24, 36 by default), recorded at
any month the contract knows, with the district compared with the district of the start and marked when they came
after the participant left the programme while employed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import partial

import pytest
from pydantic import ValidationError

from services.placement import commands
from services.placement.app import build_spec
from services.placement.domain import employment, follow_ups, life_cycle, retention
from services.placement.domain.case import Placement
from services.placement.settings import PlacementSettings
from shared.contracts.placement import (
    RecordRetentionCheck,
    RetentionCheckDue,
    RetentionCheckOverdue,
    RetentionMonths,
    StartEmployment,
)
from shared.contracts.recruitment import IntakeRecorded, ParticipationCompleted, ParticipationResult
from shared.contracts.topics import Kind, Stage, topic
from shared.decision import Drop, Due
from shared.refusals import InvalidValue, NotAllowed
from tests.unit.placement.cases import OFFER, PID, RECRUITED, WITHDRAWN, employed, placed, start

START_DISTRICT, OTHER_DISTRICT = "10041", "10042"
COMPLETED = ParticipationCompleted(
    participant_id=PID, result=ParticipationResult.EMPLOYED_RECOGNITION_PENDING, completed_on=date(2026, 6, 30)
)


def months_of(timers: tuple[Due | Drop, ...]) -> set[int]:
    """The months of the retention checks set to fall due."""
    return {int(t.data["months"]) for t in timers if isinstance(t, Due) and t.kind == follow_ups.CHECK_DUE}


def employed_in(district: str | None) -> Placement:
    """Employed since 2026-03-02, having lived in `district` at the start."""
    return employment.start_employment(replace(placed(), district=district), start()).state


def check_of(
    months: RetentionMonths,
    checked_on: date,
    district: str | None = None,
    still_in_district: bool | None = None,
) -> RecordRetentionCheck:
    return RecordRetentionCheck(
        participant_id=PID,
        months=months,
        still_employed=True,
        checked_on=checked_on,
        district=district,
        still_in_district=still_in_district,
    )


def test_the_settings_default_to_checks_at_6_12_24_and_36_months(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RETENTION_MONTHS", raising=False)
    assert PlacementSettings().retention_months == (6, 12, 24, 36)


def test_the_settings_read_the_months_comma_separated_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RETENTION_MONTHS", "24, 6,12,6")
    assert PlacementSettings().retention_months == (6, 12, 24)


@pytest.mark.parametrize("value", ["6,18", "", "six", "0"])
def test_the_settings_refuse_a_month_the_contract_does_not_know(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("RETENTION_MONTHS", value)
    with pytest.raises(ValidationError):
        PlacementSettings()


def test_the_service_starts_employments_with_the_months_of_its_settings() -> None:
    commands_topic = build_spec((6, 12)).consumes[topic(Stage.PLACEMENT, Kind.COMMAND)]
    [handler] = [route.handler for route in commands_topic if route.model is StartEmployment]
    assert isinstance(handler, partial) and handler.func is commands.start_employment
    assert handler.keywords == {"retention_months": (6, 12)}


def test_a_start_sets_due_and_overdue_dates_only_for_the_configured_months() -> None:
    decision = employment.start_employment(placed(), start(), months=(6, 12))
    assert months_of(decision.timers) == {6, 12} and len(decision.timers) == 4
    assert months_of(employment.start_employment(placed(), start()).timers) == {6, 12, 24, 36}


def test_the_24_and_36_month_checks_fall_due_and_are_overdue_two_and_three_years_after_the_start() -> None:
    assert retention.check_falls_due(employed(), OFFER, 24).events == (
        RetentionCheckDue(participant_id=PID, months=24, due_on=date(2028, 3, 2)),
    )
    assert retention.check_is_overdue(employed(), OFFER, 36).events == (
        RetentionCheckOverdue(participant_id=PID, months=36, due_on=date(2029, 3, 2)),
    )


def test_a_24_month_check_is_recorded_even_when_the_deployment_raises_only_6_and_12() -> None:
    placement = employment.start_employment(placed(), start(), months=(6, 12)).state
    decision = retention.record_retention_check(placement, check_of(24, date(2028, 3, 5)))
    assert decision.state.checks[24].due_on == date(2028, 3, 2)
    assert decision.timers == follow_ups.drop_for(PID, OFFER, (24,))


def test_a_36_month_check_before_its_day_is_refused() -> None:
    with pytest.raises(NotAllowed, match="not due until 2029-03-02"):
        retention.record_retention_check(employed(), check_of(36, date(2029, 3, 1)))


def test_the_work_starts_in_the_district_the_participant_lives_in() -> None:
    assert employed_in(START_DISTRICT).employment.start_district == START_DISTRICT


def test_an_intake_naming_a_district_moves_the_participant_but_not_the_start_of_an_employment() -> None:
    intake = IntakeRecorded.model_validate(
        {**RECRUITED.model_dump(), "participant_id": PID, "recorded_on": date(2026, 5, 1), "district": OTHER_DISTRICT}
    )
    moved = life_cycle.intake_recorded(employed_in(START_DISTRICT), intake).state
    assert moved.district == OTHER_DISTRICT and moved.employment.start_district == START_DISTRICT
    silent = intake.model_copy(update={"district": None})
    assert life_cycle.intake_recorded(moved, silent).state == moved


@pytest.mark.parametrize(("district", "still"), [(START_DISTRICT, True), (OTHER_DISTRICT, False)])
def test_still_in_district_is_computed_from_the_district_of_the_start(district: str, still: bool) -> None:
    decision = retention.record_retention_check(employed_in(START_DISTRICT), check_of(24, date(2028, 3, 2), district))
    [recorded] = decision.events
    assert recorded.model_dump()["district"] == district and recorded.model_dump()["still_in_district"] is still
    assert decision.state.checks[24].still_in_district is still and decision.state.checks[24].district == district


def test_without_a_district_of_the_start_the_partners_word_is_kept() -> None:
    decision = retention.record_retention_check(employed_in(None), check_of(12, date(2027, 3, 2), OTHER_DISTRICT, True))
    assert decision.state.checks[12].still_in_district is True
    assert retention.still_in_district(None, None, None) is None
    assert retention.still_in_district(START_DISTRICT, None, False) is False  # no district given: their word


def test_a_still_in_district_that_contradicts_the_districts_is_refused() -> None:
    with pytest.raises(InvalidValue) as refused:
        retention.record_retention_check(
            employed_in(START_DISTRICT), check_of(24, date(2028, 3, 2), START_DISTRICT, False)
        )
    assert refused.value.field == "still_in_district"


def test_a_check_after_the_participant_completed_while_employed_says_so() -> None:
    completed = life_cycle.complete(employed(), COMPLETED).state
    decision = retention.record_retention_check(completed, check_of(24, date(2028, 3, 2)))
    [recorded] = decision.events
    assert recorded.model_dump()["after_programme"] is True and decision.state.checks[24].after_programme


def test_a_check_after_a_withdrawal_while_employed_says_so_and_one_before_leaving_does_not() -> None:
    left = life_cycle.withdraw(employed(), WITHDRAWN).state  # withdrawn on 2026-06-01
    assert retention.after_programme(left.left_programme_on, date(2026, 9, 2))
    assert not retention.after_programme(left.left_programme_on, date(2026, 5, 31))
    [recorded] = retention.record_retention_check(employed(), check_of(6, date(2026, 9, 2))).events
    assert recorded.model_dump()["after_programme"] is False
