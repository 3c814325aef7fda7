"""The receipt deadline (1 month; 2 weeks on the fast track, §14a BQFG / §81a AufenthG): set on submission, dropped
when the authority confirms receipt or the case closes, and overdue only while the case still waits for it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from services.recognition import domain
from services.recognition.domain import Case, DueDate, Track
from shared.contracts.enums import RecognitionTrack
from shared.contracts.recognition import ApplicationSubmitted, ReceiptOverdue, SubmitApplication
from shared.decision import Drop, Due, timer_id
from tests.unit.recognition.steps import (
    CLOSED_AT,
    DOCTOR,
    NURSE,
    PID,
    application,
    complete,
    counselling,
    opened,
    receipt,
    submitted,
    withdrawal,
)


def submitted_on(day: date, track: Track = Track.STANDARD) -> SubmitApplication:
    return application(NURSE, track).model_copy(update={"submitted_on": day})


def winter_midnight_after(day: date) -> datetime:
    """Midnight at the end of a winter `day` in Germany (CET, UTC+1), written out."""
    return datetime(day.year, day.month, day.day, 23, tzinfo=UTC)


def receipt_due(submitted: date, due: date, track: Track = Track.STANDARD) -> Due:
    data = {"submitted_on": submitted.isoformat(), "receipt_due_on": due.isoformat(), "track": track.value}
    return Due(PID, DueDate.RECEIPT, due.isoformat(), winter_midnight_after(due), data)


def test_a_submission_sets_the_receipt_due_date_one_month_on_until_its_end_in_german_time() -> None:
    decision = domain.submit(opened(), submitted_on(date(2025, 2, 3)))

    assert decision.timers == (receipt_due(date(2025, 2, 3), date(2025, 3, 3)),)
    [due] = decision.timers
    assert isinstance(due, Due) and timer_id(due.kind, PID, due.key) == f"receipt_due:{PID}:2025-03-03"
    [event] = decision.events
    assert isinstance(event, ApplicationSubmitted) and event.receipt_due_on == date(2025, 3, 3)


def test_the_month_ends_on_the_last_day_of_a_shorter_month() -> None:
    decision = domain.submit(opened(), submitted_on(date(2025, 1, 31)))

    assert decision.timers == (receipt_due(date(2025, 1, 31), date(2025, 2, 28)),)


def test_the_fast_track_sets_two_weeks_and_a_recognition_partnership_the_standard_month() -> None:
    fast = domain.submit(opened(), submitted_on(date(2025, 1, 31), Track.FAST_TRACK_81A))
    partnership = domain.submit(opened(), submitted_on(date(2025, 1, 31), Track.RECOGNITION_PARTNERSHIP_16D))

    assert fast.timers == (receipt_due(date(2025, 1, 31), date(2025, 2, 14), Track.FAST_TRACK_81A),)
    assert partnership.timers == (receipt_due(date(2025, 1, 31), date(2025, 2, 28), Track.RECOGNITION_PARTNERSHIP_16D),)


def test_a_submission_after_counselling_sets_it_too() -> None:
    counselled = domain.record_counselling(opened(), counselling()).state

    assert domain.submit(counselled, submitted_on(date(2025, 2, 3))).timers == (
        receipt_due(date(2025, 2, 3), date(2025, 3, 3)),
    )


def test_a_confirmed_receipt_drops_the_receipt_due_date() -> None:
    decision = domain.confirm_receipt(submitted(), receipt())

    assert decision.timers == (Drop(PID, DueDate.RECEIPT),)


def test_a_withdrawal_while_waiting_for_the_receipt_drops_every_due_date() -> None:
    assert domain.close(submitted(), withdrawal(), CLOSED_AT).timers == (Drop(PID),)


def test_a_missed_receipt_is_overdue_while_the_case_waits_for_it() -> None:
    case = submitted(DOCTOR, Track.FAST_TRACK_81A)

    decision = domain.receipt_overdue(case, date(2025, 2, 3), date(2025, 2, 17), Track.FAST_TRACK_81A)

    assert decision.events == (
        ReceiptOverdue(
            participant_id=PID,
            submitted_on=date(2025, 2, 3),
            receipt_due_on=date(2025, 2, 17),
            track=RecognitionTrack.FAST_TRACK_81A,
        ),
    )
    assert decision.state == case and decision.timers == ()


def test_a_receipt_confirmed_or_a_case_closed_or_further_on_raises_nothing() -> None:
    case = submitted()
    later: tuple[Case, ...] = (
        domain.confirm_receipt(case, receipt()).state,
        domain.close(case, withdrawal(), CLOSED_AT).state,
        complete(),
    )
    for state in later:
        assert domain.receipt_overdue(state, date(2025, 2, 3), date(2025, 3, 3), Track.STANDARD).events == ()
