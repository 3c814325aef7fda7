"""A recognition case's states: the path to a licence, and what each state refuses."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from services.recognition.domain import (
    TRANSITIONS,
    Action,
    Case,
    CaseState,
    InvalidCommand,
    Licence,
    NotAllowed,
    Outcome,
    Track,
)

NURSE, DOCTOR = "nursing_professional", "doctor"
COMPLETE_ON = date(2025, 3, 10)
OFFERED = frozenset({"adaptation_course", "knowledge_test"})


def opened(profession: str = NURSE) -> Case:
    return Case(participant_id=uuid.uuid4(), target_profession=profession)


def complete(profession: str = NURSE, track: Track = Track.STANDARD) -> Case:
    return opened(profession).submit(profession, track).confirm_receipt().complete(COMPLETE_ON)


def decided(outcome: Outcome, profession: str = NURSE) -> Case:
    measures = OFFERED if outcome is Outcome.COMPENSATION_REQUIRED else frozenset()
    return complete(profession).decide(outcome, measures)


def test_a_case_runs_from_opened_through_compensation_to_licensed() -> None:
    steps = [opened()]
    steps.append(steps[-1].record_counselling())
    steps.append(steps[-1].submit(NURSE, Track.STANDARD))
    steps.append(steps[-1].confirm_receipt())
    steps.append(steps[-1].complete(COMPLETE_ON))
    steps.append(steps[-1].decide(Outcome.COMPENSATION_REQUIRED, OFFERED))
    steps.append(steps[-1].choose("knowledge_test"))
    steps.append(steps[-1].grant(Licence.NURSING_LICENCE, date(2026, 2, 16), None))

    assert [s.state for s in steps] == [
        CaseState.OPENED,
        CaseState.COUNSELLED,
        CaseState.SUBMITTED,
        CaseState.RECEIPT_CONFIRMED,
        CaseState.COMPLETE,
        CaseState.DECIDED,
        CaseState.MEASURE_CHOSEN,
        CaseState.LICENSED,
    ]
    assert steps[-1].measure == "knowledge_test" and steps[-1].licence is Licence.NURSING_LICENCE


@pytest.mark.parametrize(
    ("track", "due"),
    [
        (Track.STANDARD, date(2025, 6, 10)),
        (Track.FAST_TRACK_81A, date(2025, 5, 10)),
        (Track.RECOGNITION_PARTNERSHIP_16D, date(2025, 6, 10)),
    ],
)
def test_completing_the_file_sets_the_decision_due_date_by_the_track_submitted(track: Track, due: date) -> None:
    assert complete(track=track).decision_due_on == due


def test_a_command_out_of_order_is_refused_naming_the_state_and_what_is_allowed() -> None:
    with pytest.raises(NotAllowed) as refused:
        opened().complete(COMPLETE_ON)
    assert str(refused.value) == (
        "cannot complete application: the case is opened; allowed now: record counselling, submit application"
    )


def test_a_doctors_case_also_allows_a_berufserlaubnis_before_the_application() -> None:
    assert opened(DOCTOR).allowed() == [
        Action.RECORD_COUNSELLING,
        Action.SUBMIT_APPLICATION,
        Action.GRANT_BERUFSERLAUBNIS,
    ]


def test_an_application_is_submitted_once() -> None:
    submitted = opened().submit(NURSE, Track.STANDARD)
    with pytest.raises(NotAllowed, match="the case is submitted; allowed now: record counselling, confirm receipt"):
        submitted.submit(NURSE, Track.STANDARD)


def test_counselling_moves_only_an_opened_case_and_fits_every_open_state() -> None:
    assert opened().record_counselling().state is CaseState.COUNSELLED
    assert complete().record_counselling().state is CaseState.COMPLETE
    assert decided(Outcome.REJECTED).record_counselling().state is CaseState.DECIDED


def test_the_deadline_is_extended_once_to_a_later_date() -> None:
    extended = complete().extend(date(2025, 8, 10))
    assert extended.decision_due_on == date(2025, 8, 10) and extended.state is CaseState.COMPLETE
    with pytest.raises(NotAllowed, match="extended once and was extended already"):
        extended.extend(date(2025, 9, 10))


@pytest.mark.parametrize("new_due", [date(2025, 6, 10), date(2025, 6, 1)])
def test_an_extension_must_move_the_deadline_later(new_due: date) -> None:
    with pytest.raises(InvalidCommand, match="later than the current 2025-06-10") as refused:
        complete().extend(new_due)
    assert refused.value.field == "new_decision_due_on"


def test_no_extension_after_the_decision() -> None:
    with pytest.raises(NotAllowed, match=r"the case is decided \(full_equivalence\)"):
        decided(Outcome.FULL_EQUIVALENCE).extend(date(2025, 9, 10))


def test_measures_are_offered_with_compensation_required_and_only_with_it() -> None:
    with pytest.raises(InvalidCommand, match="measures_offered"):
        complete().decide(Outcome.FULL_EQUIVALENCE, OFFERED)
    with pytest.raises(InvalidCommand, match="measures_offered"):
        complete().decide(Outcome.COMPENSATION_REQUIRED, frozenset())


def test_no_decision_before_the_file_is_complete() -> None:
    receipt_confirmed = opened().submit(NURSE, Track.STANDARD).confirm_receipt()
    with pytest.raises(NotAllowed, match="cannot record decision: the case is receipt_confirmed"):
        receipt_confirmed.decide(Outcome.FULL_EQUIVALENCE, frozenset())


@pytest.mark.parametrize("outcome", [Outcome.FULL_EQUIVALENCE, Outcome.PARTIAL_EQUIVALENCE, Outcome.REJECTED])
def test_a_measure_is_chosen_only_after_compensation_required(outcome: Outcome) -> None:
    with pytest.raises(NotAllowed, match=f"the decision was {outcome}"):
        decided(outcome).choose("knowledge_test")


def test_the_measure_chosen_must_be_one_of_those_offered() -> None:
    with pytest.raises(InvalidCommand, match="aptitude_test was not offered") as refused:
        decided(Outcome.COMPENSATION_REQUIRED).choose("aptitude_test")
    assert refused.value.field == "measure"


def test_a_measure_is_chosen_once() -> None:
    chosen = decided(Outcome.COMPENSATION_REQUIRED).choose("knowledge_test")
    with pytest.raises(NotAllowed, match="the case is measure_chosen"):
        chosen.choose("adaptation_course")


@pytest.mark.parametrize("outcome", [Outcome.FULL_EQUIVALENCE, Outcome.COMPENSATION_REQUIRED])
def test_a_licence_follows_full_equivalence_or_compensation_required(outcome: Outcome) -> None:
    licensed = decided(outcome).grant(Licence.NURSING_LICENCE, date(2025, 9, 1), None)
    assert licensed.state is CaseState.LICENSED


@pytest.mark.parametrize("outcome", [Outcome.PARTIAL_EQUIVALENCE, Outcome.REJECTED])
def test_no_licence_after_partial_equivalence_or_rejection(outcome: Outcome) -> None:
    with pytest.raises(NotAllowed, match=f"cannot grant licence: the decision was {outcome}"):
        decided(outcome).grant(Licence.NURSING_LICENCE, date(2025, 9, 1), None)


def test_no_permanent_licence_before_a_decision() -> None:
    with pytest.raises(NotAllowed, match="cannot grant licence: the case is complete"):
        complete().grant(Licence.NURSING_LICENCE, date(2025, 9, 1), None)


def test_a_permanent_licence_has_no_last_day() -> None:
    with pytest.raises(InvalidCommand, match="only a Berufserlaubnis is temporary"):
        decided(Outcome.FULL_EQUIVALENCE).grant(Licence.NURSING_LICENCE, date(2025, 9, 1), date(2026, 9, 1))


def test_a_doctor_may_hold_a_berufserlaubnis_before_the_decision_and_the_case_goes_on() -> None:
    permitted = complete(DOCTOR).grant(Licence.BERUFSERLAUBNIS, date(2025, 4, 1), date(2027, 3, 31))
    assert permitted.state is CaseState.COMPLETE
    assert permitted.relies_on_permit_until(date(2027, 3, 31))
    assert permitted.decide(Outcome.COMPENSATION_REQUIRED, OFFERED).state is CaseState.DECIDED


def test_a_berufserlaubnis_is_for_doctors_only() -> None:
    with pytest.raises(NotAllowed, match="a Berufserlaubnis is for doctors and this case is for nursing_professional"):
        complete(NURSE).grant(Licence.BERUFSERLAUBNIS, date(2025, 4, 1), date(2026, 3, 31))


def test_a_berufserlaubnis_needs_its_last_day_and_not_one_before_the_grant() -> None:
    with pytest.raises(InvalidCommand, match="give its last day"):
        complete(DOCTOR).grant(Licence.BERUFSERLAUBNIS, date(2025, 4, 1), None)
    with pytest.raises(InvalidCommand, match="must not be before granted_on"):
        complete(DOCTOR).grant(Licence.BERUFSERLAUBNIS, date(2025, 4, 1), date(2025, 3, 31))


def test_a_berufserlaubnis_lasts_at_most_two_years_in_total_even_when_renewed() -> None:
    case = complete(DOCTOR)
    assert case.grant(Licence.BERUFSERLAUBNIS, date(2025, 3, 1), date(2027, 3, 1)).valid_until == date(2027, 3, 1)
    with pytest.raises(InvalidCommand, match="at most 2 years in total") as refused:
        case.grant(Licence.BERUFSERLAUBNIS, date(2025, 3, 1), date(2027, 3, 2))
    assert refused.value.field == "valid_until"
    first = case.grant(Licence.BERUFSERLAUBNIS, date(2025, 3, 1), date(2026, 2, 28))
    renewed = first.grant(Licence.BERUFSERLAUBNIS, date(2026, 3, 1), date(2027, 3, 1))
    assert renewed.relies_on_permit_until(date(2027, 3, 1)) and not renewed.relies_on_permit_until(date(2026, 2, 28))
    with pytest.raises(InvalidCommand, match=r"since 2025-03-01\): 2027-03-01 at the latest"):
        first.grant(Licence.BERUFSERLAUBNIS, date(2026, 3, 1), date(2028, 2, 29))


def test_an_approbation_supersedes_the_berufserlaubnis() -> None:
    permitted = complete(DOCTOR).grant(Licence.BERUFSERLAUBNIS, date(2025, 4, 1), date(2027, 3, 31))
    full = permitted.decide(Outcome.FULL_EQUIVALENCE, frozenset())
    licensed = full.grant(Licence.APPROBATION, date(2026, 1, 5), None)
    assert licensed.state is CaseState.LICENSED and not licensed.relies_on_permit_until(date(2027, 3, 31))


def test_no_berufserlaubnis_after_a_rejection() -> None:
    with pytest.raises(NotAllowed, match="the decision was rejected"):
        decided(Outcome.REJECTED, DOCTOR).grant(Licence.BERUFSERLAUBNIS, date(2025, 9, 1), date(2026, 9, 1))


def test_withdrawal_closes_a_case_in_any_state_and_then_nothing_is_allowed() -> None:
    for case in (opened(), complete(), decided(Outcome.FULL_EQUIVALENCE)):
        closed = case.close()
        assert closed.state is CaseState.CLOSED and closed.allowed() == []
    with pytest.raises(NotAllowed, match="the case is closed; allowed now: nothing"):
        complete().close().record_counselling()


def test_nothing_more_is_allowed_once_licensed() -> None:
    licensed = decided(Outcome.FULL_EQUIVALENCE).grant(Licence.NURSING_LICENCE, date(2025, 9, 1), None)
    assert licensed.allowed() == []


def test_an_intake_changes_the_target_profession_only_until_the_application_is_submitted() -> None:
    assert opened(NURSE).retarget(DOCTOR).target_profession == DOCTOR
    assert opened(NURSE).record_counselling().retarget(DOCTOR).target_profession == DOCTOR
    submitted = opened(NURSE).submit(NURSE, Track.STANDARD)
    assert submitted.retarget(DOCTOR) is submitted


def test_a_decision_is_overdue_only_while_undecided_and_for_the_current_due_date() -> None:
    case = complete()
    assert case.awaits_decision_by(date(2025, 6, 10))
    assert not case.extend(date(2025, 8, 10)).awaits_decision_by(date(2025, 6, 10))
    assert not case.decide(Outcome.FULL_EQUIVALENCE, frozenset()).awaits_decision_by(date(2025, 6, 10))
    assert not case.close().awaits_decision_by(date(2025, 6, 10))


def test_every_state_but_closed_is_reachable_from_opened_and_closed_only_by_withdrawal() -> None:
    seen, frontier = {CaseState.OPENED}, [CaseState.OPENED]
    while frontier:
        for target in TRANSITIONS[frontier.pop()].values():
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    assert set(CaseState) - seen == {CaseState.CLOSED}
