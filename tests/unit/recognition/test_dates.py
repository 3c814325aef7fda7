"""Recognition's legal periods, counted with `shared.calendar` (tested in tests/unit/shared/test_calendar.py)."""

from __future__ import annotations

from datetime import date

from services.recognition.domain import Track, decision_due_on, licence_warning_on, receipt_due_on


def test_receipt_due_one_month_after_submission_clamped_to_the_end_of_a_shorter_month() -> None:
    assert receipt_due_on(date(2025, 2, 3), Track.STANDARD) == date(2025, 3, 3)
    assert receipt_due_on(date(2025, 1, 31), Track.STANDARD) == date(2025, 2, 28)
    assert receipt_due_on(date(2024, 1, 31), Track.STANDARD) == date(2024, 2, 29)


def test_fast_track_receipt_due_two_weeks_after_submission() -> None:
    assert receipt_due_on(date(2025, 2, 3), Track.FAST_TRACK_81A) == date(2025, 2, 17)
    assert receipt_due_on(date(2025, 1, 31), Track.FAST_TRACK_81A) == date(2025, 2, 14)


def test_recognition_partnership_runs_the_standard_receipt_month() -> None:
    assert receipt_due_on(date(2025, 1, 31), Track.RECOGNITION_PARTNERSHIP_16D) == date(2025, 2, 28)


def test_decision_due_three_months_after_file_complete() -> None:
    assert decision_due_on(date(2025, 3, 10), Track.STANDARD) == date(2025, 6, 10)


def test_fast_track_decision_due_two_months_after_file_complete() -> None:
    assert decision_due_on(date(2025, 3, 10), Track.FAST_TRACK_81A) == date(2025, 5, 10)


def test_recognition_partnership_runs_the_standard_three_months() -> None:
    assert decision_due_on(date(2025, 3, 10), Track.RECOGNITION_PARTNERSHIP_16D) == date(2025, 6, 10)


def test_a_berufserlaubnis_is_announced_as_ending_eight_weeks_before_its_last_day() -> None:
    assert licence_warning_on(date(2027, 3, 31)) == date(2027, 2, 3)
