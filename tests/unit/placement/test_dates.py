"""Placement's follow-up dates: calendar months with end-of-month clamping, grace and notice periods."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.placement.domain import (
    add_months,
    authority_notice_due_on,
    retention_due_on,
    retention_overdue_on,
    start_of,
)


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
    assert add_months(started, months) == due


def test_adding_no_months_keeps_the_day() -> None:
    assert add_months(date(2026, 1, 31), 0) == date(2026, 1, 31)


def test_a_retention_check_is_overdue_four_weeks_after_it_fell_due() -> None:
    assert retention_overdue_on(date(2026, 9, 2)) == date(2026, 9, 30)


def test_the_authority_must_be_told_within_four_weeks_of_the_end() -> None:
    assert authority_notice_due_on(date(2026, 10, 31)) == date(2026, 11, 28)


def test_a_due_date_begins_at_midnight_utc() -> None:
    assert start_of(date(2026, 9, 2)) == datetime(2026, 9, 2, tzinfo=UTC)
