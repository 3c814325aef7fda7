"""How a measure moves from planned to done, and how exam attempts are counted and limited."""

from __future__ import annotations

import pytest

from services.qualification.domain.exams import (
    DEFAULT_EXAM_ATTEMPTS,
    NURSING_EXAM_ATTEMPTS,
    ExamRecord,
    attempt_limit,
    check_exam_measure,
    measure_after_exam,
    sit_exam,
)
from services.qualification.domain.measures import MeasureStatus, complete, drop, enrol, is_done, is_open
from shared.contracts.enums import Profession
from shared.contracts.qualification import ExamKind, ExamResult, MeasureKind
from shared.refusals import AlreadyExists, NotAllowed

COURSE = MeasureKind.LANGUAGE_COURSE
PREPARATION = MeasureKind.KNOWLEDGE_TEST_PREPARATION
KNOWLEDGE = ExamKind.KNOWLEDGE_TEST
PASSED, FAILED = ExamResult.PASSED, ExamResult.FAILED


def test_a_measure_is_enrolled_in_then_completed() -> None:
    assert enrol(COURSE, MeasureStatus.PLANNED) is MeasureStatus.ENROLLED
    assert complete(COURSE, MeasureStatus.ENROLLED) is MeasureStatus.COMPLETED


def test_a_measure_not_enrolled_in_cannot_be_completed() -> None:
    with pytest.raises(NotAllowed, match="only an enrolled measure"):
        complete(COURSE, MeasureStatus.PLANNED)


@pytest.mark.parametrize("status", [MeasureStatus.ENROLLED, MeasureStatus.COMPLETED, MeasureStatus.DROPPED])
def test_only_a_planned_measure_can_be_enrolled_in(status: MeasureStatus) -> None:
    with pytest.raises(NotAllowed):
        enrol(COURSE, status)


def test_a_completed_course_is_done_but_a_completed_preparation_still_awaits_its_exam() -> None:
    assert is_done(COURSE, MeasureStatus.COMPLETED) and not is_open(COURSE, MeasureStatus.COMPLETED)
    assert not is_done(PREPARATION, MeasureStatus.COMPLETED) and is_open(PREPARATION, MeasureStatus.COMPLETED)
    assert drop(PREPARATION, MeasureStatus.COMPLETED) is MeasureStatus.DROPPED


@pytest.mark.parametrize("status", [MeasureStatus.DROPPED, MeasureStatus.PASSED, MeasureStatus.CANCELLED])
def test_a_finished_measure_cannot_be_dropped(status: MeasureStatus) -> None:
    with pytest.raises(NotAllowed):
        drop(PREPARATION, status)


def test_a_failed_first_attempt_then_a_passed_retake() -> None:
    first = sit_exam(KNOWLEDGE, ExamRecord(), 1, FAILED, limit=3)
    assert first == ExamRecord(attempts=1, passed=False)
    second = sit_exam(KNOWLEDGE, first, 2, PASSED, limit=3)
    assert second == ExamRecord(attempts=2, passed=True)
    assert measure_after_exam(PREPARATION, MeasureStatus.ENROLLED, second, 3) is MeasureStatus.PASSED


def test_an_attempt_must_be_the_next_one() -> None:
    with pytest.raises(NotAllowed, match="expected 2"):
        sit_exam(KNOWLEDGE, ExamRecord(attempts=1), 3, FAILED, limit=3)


def test_an_attempt_recorded_before_is_recognised_as_a_duplicate() -> None:
    with pytest.raises(AlreadyExists):
        sit_exam(KNOWLEDGE, ExamRecord(attempts=2), 2, PASSED, limit=3)


def test_no_attempt_after_a_pass() -> None:
    with pytest.raises(NotAllowed, match="passed already"):
        sit_exam(KNOWLEDGE, ExamRecord(attempts=1, passed=True), 2, PASSED, limit=3)


def test_no_attempt_beyond_the_limit_and_the_last_failure_closes_the_preparation() -> None:
    last = sit_exam(KNOWLEDGE, ExamRecord(attempts=2), 3, FAILED, limit=3)
    assert measure_after_exam(PREPARATION, MeasureStatus.ENROLLED, last, 3) is MeasureStatus.FAILED
    with pytest.raises(NotAllowed, match="all 3 attempts"):
        sit_exam(KNOWLEDGE, last, 4, PASSED, limit=3)


def test_a_failed_attempt_with_retakes_left_keeps_the_preparation_open() -> None:
    record = ExamRecord(attempts=1)
    assert measure_after_exam(PREPARATION, MeasureStatus.ENROLLED, record, 3) is MeasureStatus.ENROLLED


def test_nurses_may_retake_once_doctors_twice_and_language_exams_without_limit() -> None:
    assert attempt_limit(KNOWLEDGE, Profession.NURSING_PROFESSIONAL) == NURSING_EXAM_ATTEMPTS == 2
    assert attempt_limit(ExamKind.APTITUDE_TEST, Profession.DOCTOR) == DEFAULT_EXAM_ATTEMPTS == 3
    assert attempt_limit(ExamKind.FACHSPRACHPRUEFUNG, Profession.DOCTOR) is None


def test_a_language_exam_leaves_its_course_as_it_was() -> None:
    passed = ExamRecord(attempts=1, passed=True)
    assert measure_after_exam(COURSE, MeasureStatus.ENROLLED, passed, None) is MeasureStatus.ENROLLED


def test_an_exam_result_must_fit_the_measure_it_names() -> None:
    check_exam_measure(KNOWLEDGE, PREPARATION, MeasureStatus.ENROLLED)
    with pytest.raises(NotAllowed, match="cannot belong"):
        check_exam_measure(KNOWLEDGE, MeasureKind.ADAPTATION_COURSE, MeasureStatus.ENROLLED)
    with pytest.raises(NotAllowed, match="dropped"):
        check_exam_measure(KNOWLEDGE, PREPARATION, MeasureStatus.DROPPED)
