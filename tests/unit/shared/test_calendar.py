"""Calendar arithmetic for legal due dates: calendar months with end-of-month clamping, days ending at German
midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from shared.calendar import add_months, german_date, passed, start_of


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 11, 30), 3, date(2026, 2, 28)),  # no 30 February: the month's last day
        (date(2023, 11, 30), 3, date(2024, 2, 29)),  # leap year
        (date(2025, 8, 31), 2, date(2025, 10, 31)),
        (date(2025, 5, 31), 1, date(2025, 6, 30)),
        (date(2025, 12, 31), 2, date(2026, 2, 28)),
        (date(2025, 11, 15), 3, date(2026, 2, 15)),  # across the year end
        (date(2025, 10, 1), 24, date(2027, 10, 1)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2025, 1, 31), 0, date(2025, 1, 31)),
    ],
)
def test_months_are_calendar_months_clamped_to_the_months_end(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_a_clamped_date_does_not_drift_when_months_are_added_in_one_go() -> None:
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert add_months(date(2025, 11, 30), 4) == date(2026, 3, 30)


def test_a_due_day_passes_at_midnight_german_time_in_summer_and_winter() -> None:
    assert passed(date(2025, 6, 10)) == datetime(2025, 6, 10, 22, 0, tzinfo=UTC)  # CEST, UTC+2
    assert passed(date(2025, 1, 10)) == datetime(2025, 1, 10, 23, 0, tzinfo=UTC)  # CET, UTC+1
    assert start_of(date(2025, 1, 10)) == datetime(2025, 1, 9, 23, 0, tzinfo=UTC)


def test_the_german_day_of_a_late_utc_evening_is_the_next_day() -> None:
    assert german_date(datetime(2025, 6, 10, 22, 30, tzinfo=UTC)) == date(2025, 6, 11)
