"""Recognition's legal periods, counted with `shared.calendar` (tested in tests/unit/shared/test_calendar.py)."""

from __future__ import annotations

from datetime import date

from services.recognition.domain import Track, decision_due_on, licence_warning_on, receipt_due_on
from shared.contracts.enums import Route


def test_receipt_due_one_month_after_submission_clamped_to_the_end_of_a_shorter_month() -> None:
    assert receipt_due_on(date(2025, 2, 3), Track.STANDARD) == date(2025, 3, 3)
    assert receipt_due_on(date(2025, 1, 31), Track.STANDARD) == date(2025, 2, 28)
    assert receipt_due_on(date(2024, 1, 31), Track.STANDARD) == date(2024, 2, 29)


def test_fast_track_receipt_due_two_weeks_after_submission() -> None:
    assert receipt_due_on(date(2025, 2, 3), Track.FAST_TRACK_81A) == date(2025, 2, 17)
    assert receipt_due_on(date(2025, 1, 31), Track.FAST_TRACK_81A) == date(2025, 2, 14)


def test_recognition_partnership_runs_the_standard_receipt_month() -> None:
    assert receipt_due_on(date(2025, 1, 31), Track.RECOGNITION_PARTNERSHIP_16D) == date(2025, 2, 28)


NURSE, DOCTOR, REGULATED = Route.NURSE, Route.DOCTOR, Route.REGULATED


def test_decision_due_three_months_after_file_complete() -> None:
    assert decision_due_on(date(2025, 3, 10), REGULATED, Track.STANDARD, "PH") == date(2025, 6, 10)


def test_fast_track_decision_due_two_months_after_file_complete() -> None:
    assert decision_due_on(date(2025, 3, 10), NURSE, Track.FAST_TRACK_81A, "PH") == date(2025, 5, 10)


def test_recognition_partnership_runs_the_standard_three_months() -> None:
    assert decision_due_on(date(2025, 3, 10), NURSE, Track.RECOGNITION_PARTNERSHIP_16D, "AT") == date(2025, 6, 10)


def test_doctors_and_nurses_trained_in_a_third_country_wait_four_months_and_its_end_is_clamped() -> None:
    assert decision_due_on(date(2025, 3, 10), DOCTOR, Track.STANDARD, "PH") == date(2025, 7, 10)
    assert decision_due_on(date(2025, 10, 31), NURSE, Track.STANDARD, None) == date(2026, 2, 28)


def test_a_berufserlaubnis_is_announced_as_ending_eight_weeks_before_its_last_day() -> None:
    assert licence_warning_on(date(2027, 3, 31)) == date(2027, 2, 3)
