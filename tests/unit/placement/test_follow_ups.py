"""Placement's follow-up dates: calendar months with end-of-month clamping, grace and notice periods, and due
dates that begin at midnight German time."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.placement.domain.employment import authority_notice_due_on
from services.placement.domain.follow_ups import (
    CHECK_DUE,
    retention_due_on,
    retention_overdue_on,
    set_for,
)
from shared.calendar import add_months
from tests.unit.placement.cases import OFFER, PID


@pytest.mark.parametrize(
    ("started", "months", "due"),
    [
        (date(2026, 3, 2), 6, date(2026, 9, 2)),
        (date(2026, 3, 2), 12, date(2027, 3, 2)),
        (date(2025, 7, 15), 6, date(2026, 1, 15)),  # across the turn of the year
        (date(2025, 12, 31), 12, date(2026, 12, 31)),
    ],
)
def test_retention_checks_fall_due_6_and_12_calendar_months_after_the_start(
    started: date, months: int, due: date
) -> None:
    assert retention_due_on(started, months) == due


@pytest.mark.parametrize(
    ("started", "months", "due"),
    [
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # leap year
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 3, 31), 6, date(2026, 9, 30)),
        (date(2025, 12, 31), 6, date(2026, 6, 30)),
    ],
)
def test_a_start_late_in_the_month_is_clamped_to_the_last_day_of_the_due_month(
    started: date, months: int, due: date
) -> None:
    assert retention_due_on(started, months) == due


def test_adding_no_months_keeps_the_day() -> None:
    assert add_months(date(2026, 1, 31), 0) == date(2026, 1, 31)


def test_a_retention_check_is_overdue_four_weeks_after_it_fell_due() -> None:
    assert retention_overdue_on(date(2026, 9, 2)) == date(2026, 9, 30)


def test_the_authority_must_be_told_within_four_weeks_of_the_end() -> None:
    assert authority_notice_due_on(date(2026, 10, 31)) == date(2026, 11, 28)


def test_a_due_date_begins_at_midnight_german_time() -> None:
    """Since the calendar became the shared one: before, placement's due dates began at midnight UTC."""
    due_6, _, due_12, *_ = set_for(PID, OFFER, date(2026, 3, 2))

    assert due_6.kind == CHECK_DUE and due_6.at == datetime(2026, 9, 1, 22, tzinfo=UTC)  # summer time, UTC+2
    assert due_12.kind == CHECK_DUE and due_12.at == datetime(2027, 3, 1, 23, tzinfo=UTC)  # winter time, UTC+1
