"""How a measure moves from planned to done, and how exam attempts are counted and limited (every row of the
published EXAM_RULES)."""

from __future__ import annotations

import pytest

from services.qualification.domain.exams import (
    ExamRecord,
    check_exam_measure,
    check_part,
    exam_passed,
    finally_failed,
    measure_after_exam,
    sit_exam,
)
from services.qualification.domain.measures import MeasureStatus, complete, drop, enrol, is_done, is_open
from shared.contracts.enums import Profession
from shared.contracts.qualification import ExamKind, ExamPart, ExamResult, MeasureKind
from shared.contracts.routes import DEFAULT_EXAM_RULE, EXAM_RULES, ExamRule, exam_rule
from shared.refusals import AlreadyExists, InvalidValue, NotAllowed

COURSE = MeasureKind.LANGUAGE_COURSE
PREPARATION = MeasureKind.KNOWLEDGE_TEST_PREPARATION
KNOWLEDGE = ExamKind.KNOWLEDGE_TEST
PASSED, FAILED = ExamResult.PASSED, ExamResult.FAILED
ORAL, PRACTICAL = ExamPart.ORAL, ExamPart.PRACTICAL


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
    first = sit_exam(KNOWLEDGE, None, ExamRecord(), 1, FAILED, limit=3)
    assert first == ExamRecord(attempts=1, passed=False)
    second = sit_exam(KNOWLEDGE, None, first, 2, PASSED, limit=3)
    assert second == ExamRecord(attempts=2, passed=True)
    assert measure_after_exam(PREPARATION, MeasureStatus.ENROLLED, passed=True, failed=False) is MeasureStatus.PASSED


def test_an_attempt_must_be_the_next_one() -> None:
    with pytest.raises(NotAllowed, match="expected 2"):
        sit_exam(KNOWLEDGE, None, ExamRecord(attempts=1), 3, FAILED, limit=3)


def test_an_attempt_recorded_before_is_recognised_as_a_duplicate() -> None:
    with pytest.raises(AlreadyExists):
        sit_exam(KNOWLEDGE, None, ExamRecord(attempts=2), 2, PASSED, limit=3)


def test_no_attempt_after_a_pass() -> None:
    with pytest.raises(NotAllowed, match="passed already"):
        sit_exam(KNOWLEDGE, None, ExamRecord(attempts=1, passed=True), 2, PASSED, limit=3)


def test_no_attempt_beyond_the_limit_and_the_last_failure_closes_the_preparation() -> None:
    last = sit_exam(KNOWLEDGE, None, ExamRecord(attempts=2), 3, FAILED, limit=3)
    assert last.exhausted(3)
    assert measure_after_exam(PREPARATION, MeasureStatus.ENROLLED, passed=False, failed=True) is MeasureStatus.FAILED
    with pytest.raises(NotAllowed, match="all 3 attempts"):
        sit_exam(KNOWLEDGE, None, last, 4, PASSED, limit=3)


def test_a_failed_attempt_with_retakes_left_keeps_the_preparation_open() -> None:
    assert not ExamRecord(attempts=1).exhausted(3)
    assert measure_after_exam(PREPARATION, MeasureStatus.ENROLLED, passed=False, failed=False) is MeasureStatus.ENROLLED


# Every row of EXAM_RULES, and the default: (profession, exam, parts, attempts per part).
RULE_ROWS = [
    (Profession.DOCTOR, KNOWLEDGE, (), 3),
    (Profession.DOCTOR, ExamKind.APTITUDE_TEST, (), 3),
    (Profession.NURSING_PROFESSIONAL, KNOWLEDGE, (ORAL, PRACTICAL), 2),
    (Profession.NURSING_PROFESSIONAL, ExamKind.APTITUDE_TEST, (), 2),
    (Profession.NURSING_ASSISTANT, KNOWLEDGE, (), 3),
    (None, ExamKind.APTITUDE_TEST, (), 3),
]


def test_the_rows_tested_are_every_row_of_the_table() -> None:
    listed = {(p, e) for p, e, _, _ in RULE_ROWS}
    assert {(p, e) for p, rules in EXAM_RULES.items() for e in rules} <= listed


@pytest.mark.parametrize(("profession", "exam", "parts", "attempts"), RULE_ROWS)
def test_each_exam_is_sat_as_its_row_says(
    profession: Profession | None, exam: ExamKind, parts: tuple[ExamPart, ...], attempts: int
) -> None:
    rule = exam_rule(profession, exam)
    assert rule is not None and (rule.parts, rule.attempts) == (parts, attempts)
    for part in parts or (None,):
        check_part(exam, part, rule)
        record = ExamRecord()
        for attempt in range(1, attempts + 1):
            assert not finally_failed(exam, rule, {(exam, part): record})
            record = sit_exam(exam, part, record, attempt, FAILED, rule.attempts)
        assert finally_failed(exam, rule, {(exam, part): record})
        with pytest.raises(NotAllowed, match=f"all {attempts} attempts were used"):
            sit_exam(exam, part, record, attempts + 1, PASSED, rule.attempts)
    with pytest.raises(InvalidValue) as refused:
        check_part(exam, None if parts else ORAL, rule)
    assert refused.value.field == "part"


def test_language_exams_are_sat_whole_without_limit() -> None:
    assert exam_rule(Profession.DOCTOR, ExamKind.FACHSPRACHPRUEFUNG) is None
    assert exam_rule(Profession.NURSING_PROFESSIONAL, ExamKind.LANGUAGE_EXAM) is None
    check_part(ExamKind.FACHSPRACHPRUEFUNG, None, None)
    with pytest.raises(InvalidValue, match="sat whole"):
        check_part(ExamKind.FACHSPRACHPRUEFUNG, ORAL, None)
    assert DEFAULT_EXAM_RULE.attempts == 3


def test_an_exam_in_parts_is_passed_when_every_part_is() -> None:
    rule = ExamRule((ORAL, PRACTICAL), 2, "test")
    oral = {(KNOWLEDGE, ORAL): ExamRecord(1, True)}
    assert not exam_passed(KNOWLEDGE, rule, oral)
    assert exam_passed(KNOWLEDGE, rule, {**oral, (KNOWLEDGE, PRACTICAL): ExamRecord(2, True)})
    assert finally_failed(KNOWLEDGE, rule, {**oral, (KNOWLEDGE, PRACTICAL): ExamRecord(2, False)})


def test_a_part_passed_is_not_retaken() -> None:
    with pytest.raises(NotAllowed, match=r"knowledge_test \(oral part\) was passed already"):
        sit_exam(KNOWLEDGE, ORAL, ExamRecord(1, True), 2, PASSED, 2)


def test_a_language_exam_leaves_its_course_as_it_was() -> None:
    assert measure_after_exam(COURSE, MeasureStatus.ENROLLED, passed=True, failed=False) is MeasureStatus.ENROLLED


def test_an_exam_result_must_fit_the_measure_it_names() -> None:
    check_exam_measure(KNOWLEDGE, PREPARATION, MeasureStatus.ENROLLED)
    with pytest.raises(NotAllowed, match="cannot belong"):
        check_exam_measure(KNOWLEDGE, MeasureKind.ADAPTATION_COURSE, MeasureStatus.ENROLLED)
    with pytest.raises(NotAllowed, match="dropped"):
        check_exam_measure(KNOWLEDGE, PREPARATION, MeasureStatus.DROPPED)
