"""A recognition case's states: the path to a licence, and what each state refuses."""

from __future__ import annotations

from datetime import date

import pytest

from services.recognition import domain
from services.recognition.domain import TRANSITIONS, Action, CaseState, Licence, Outcome, Track
from shared.contracts.enums import Profession
from shared.contracts.recognition import LicenceKind
from shared.refusals import AlreadyExists, InvalidValue, NotAllowed
from tests.unit.recognition.steps import (
    CLOSED_AT,
    DOCTOR,
    DOCTOR_OFFERED,
    HOME_CARE,
    NURSE,
    OFFERED,
    application,
    choice,
    complete,
    completion,
    counselling,
    decided,
    extension,
    intake,
    licence,
    opened,
    permit,
    qualified,
    receipt,
    ruling,
    submitted,
    unchecked_ruling,
    withdrawal,
)


def test_a_case_runs_from_opened_through_compensation_to_licensed() -> None:
    steps = [opened()]
    steps.append(domain.record_counselling(steps[-1], counselling()).state)
    steps.append(domain.submit(steps[-1], application()).state)
    steps.append(domain.confirm_receipt(steps[-1], receipt()).state)
    steps.append(domain.complete(steps[-1], completion()).state)
    steps.append(domain.decide(steps[-1], ruling(Outcome.COMPENSATION_REQUIRED)).state)
    steps.append(domain.choose(steps[-1], choice("knowledge_test")).state)
    steps.append(qualified(steps[-1]))
    steps.append(domain.grant(steps[-1], licence(LicenceKind.NURSING_LICENCE, date(2026, 2, 16))).state)

    assert [s.state for s in steps] == [
        CaseState.OPENED,
        CaseState.COUNSELLED,
        CaseState.SUBMITTED,
        CaseState.RECEIPT_CONFIRMED,
        CaseState.COMPLETE,
        CaseState.DECIDED,
        CaseState.MEASURE_CHOSEN,
        CaseState.MEASURE_CHOSEN,
        CaseState.LICENSED,
    ]
    assert steps[-1].measure == "knowledge_test" and steps[-1].licence is Licence.NURSING_LICENCE


@pytest.mark.parametrize(
    ("track", "due"),
    [
        (Track.STANDARD, date(2025, 7, 10)),
        (Track.FAST_TRACK_81A, date(2025, 5, 10)),
        (Track.RECOGNITION_PARTNERSHIP_16D, date(2025, 7, 10)),
    ],
)
def test_completing_the_file_sets_the_decision_due_date_by_the_track_submitted(track: Track, due: date) -> None:
    assert complete(track=track).decision_due_on == due  # a nurse trained in a third country: 4 months standard


def test_a_command_out_of_order_is_refused_naming_the_state_and_what_is_allowed() -> None:
    with pytest.raises(NotAllowed) as refused:
        domain.complete(opened(), completion())
    assert str(refused.value) == (
        "cannot complete application: the case is opened; allowed now: record counselling, submit application,"
        " record comparability statement, record no recognition needed, start training"
    )


def test_a_doctors_case_also_allows_a_berufserlaubnis_before_the_application() -> None:
    assert opened(DOCTOR).allowed() == [
        Action.RECORD_COUNSELLING,
        Action.SUBMIT_APPLICATION,
        Action.RECORD_COMPARABILITY,
        Action.RECORD_NO_RECOGNITION_NEEDED,
        Action.START_TRAINING,
        Action.GRANT_BERUFSERLAUBNIS,
    ]


def test_an_application_is_submitted_once() -> None:
    with pytest.raises(NotAllowed, match="the case is submitted; allowed now: record counselling, confirm receipt"):
        domain.submit(submitted(), application())


def test_counselling_moves_only_an_opened_case_and_fits_every_open_state() -> None:
    assert domain.record_counselling(opened(), counselling()).state.state is CaseState.COUNSELLED
    assert domain.record_counselling(complete(), counselling()).state.state is CaseState.COMPLETE
    assert domain.record_counselling(decided(Outcome.REJECTED), counselling()).state.state is CaseState.DECIDED


def test_the_deadline_is_extended_once_to_a_later_date() -> None:
    extended = domain.extend(complete(), extension(date(2025, 8, 10))).state
    assert extended.decision_due_on == date(2025, 8, 10) and extended.state is CaseState.COMPLETE
    with pytest.raises(NotAllowed, match="extended once and was extended already"):
        domain.extend(extended, extension(date(2025, 9, 10)))


@pytest.mark.parametrize("new_due", [date(2025, 7, 10), date(2025, 6, 1)])
def test_an_extension_must_move_the_deadline_later(new_due: date) -> None:
    with pytest.raises(InvalidValue, match="later than the current 2025-07-10") as refused:
        domain.extend(complete(), extension(new_due))
    assert refused.value.field == "new_decision_due_on"


def test_no_extension_after_the_decision() -> None:
    with pytest.raises(NotAllowed, match=r"the case is decided \(full_equivalence\)"):
        domain.extend(decided(Outcome.FULL_EQUIVALENCE), extension(date(2025, 9, 10)))


def test_measures_are_offered_with_compensation_required_and_only_with_it() -> None:
    with pytest.raises(InvalidValue, match="given with compensation_required and only with it") as refused:
        domain.decide(complete(), unchecked_ruling(Outcome.FULL_EQUIVALENCE, OFFERED))
    assert refused.value.field == "measures_offered"
    with pytest.raises(InvalidValue) as refused:
        domain.decide(complete(), unchecked_ruling(Outcome.COMPENSATION_REQUIRED, frozenset()))
    assert refused.value.field == "measures_offered"


def test_no_decision_before_the_file_is_complete() -> None:
    receipt_confirmed = domain.confirm_receipt(submitted(), receipt()).state
    with pytest.raises(NotAllowed, match="cannot record decision: the case is receipt_confirmed"):
        domain.decide(receipt_confirmed, ruling(Outcome.FULL_EQUIVALENCE))


@pytest.mark.parametrize(
    ("outcome", "profession"),
    [(Outcome.FULL_EQUIVALENCE, NURSE), (Outcome.PARTIAL_EQUIVALENCE, HOME_CARE), (Outcome.REJECTED, NURSE)],
)
def test_a_measure_is_chosen_only_after_compensation_required(outcome: Outcome, profession: Profession) -> None:
    with pytest.raises(NotAllowed, match=f"the decision was {outcome}"):
        domain.choose(decided(outcome, profession), choice("knowledge_test"))


def test_the_measure_chosen_must_be_one_of_those_offered() -> None:
    with pytest.raises(InvalidValue, match="aptitude_test was not offered; offered: adaptation_course, kn") as refused:
        domain.choose(decided(Outcome.COMPENSATION_REQUIRED), choice("aptitude_test"))
    assert refused.value.field == "measure" and refused.value.reason == "invalid_payload"


def test_a_doctor_chooses_the_one_measure_offered_once() -> None:
    chosen = domain.choose(decided(Outcome.COMPENSATION_REQUIRED, DOCTOR), choice("knowledge_test")).state
    with pytest.raises(NotAllowed, match="on the doctor route the measure offered is taken once"):
        domain.choose(chosen, choice("aptitude_test"))


def test_choosing_the_measure_chosen_already_is_refused_as_existing() -> None:
    chosen = domain.choose(decided(Outcome.COMPENSATION_REQUIRED), choice("knowledge_test")).state
    with pytest.raises(AlreadyExists, match="knowledge_test is the measure chosen already") as refused:
        domain.choose(chosen, choice("knowledge_test"))
    assert refused.value.field == "measure"


@pytest.mark.parametrize("outcome", [Outcome.FULL_EQUIVALENCE, Outcome.COMPENSATION_REQUIRED])
def test_a_licence_follows_full_equivalence_or_compensation_required_once_qualified(outcome: Outcome) -> None:
    case = decided(outcome)
    if outcome is Outcome.COMPENSATION_REQUIRED:
        case = domain.choose(case, choice("adaptation_course")).state
    licensed = domain.grant(qualified(case), licence(LicenceKind.NURSING_LICENCE, date(2025, 9, 1))).state
    assert licensed.state is CaseState.LICENSED


def test_no_licence_after_a_rejection() -> None:
    with pytest.raises(NotAllowed, match="cannot grant licence: the decision was rejected"):
        domain.grant(qualified(decided(Outcome.REJECTED)), licence(LicenceKind.NURSING_LICENCE, date(2025, 9, 1)))


def test_no_licence_after_a_partial_equivalence_the_non_regulated_route_ends_in_none() -> None:
    with pytest.raises(NotAllowed, match="cannot grant licence other: the non_regulated route ends in no licence"):
        domain.grant(
            qualified(decided(Outcome.PARTIAL_EQUIVALENCE, HOME_CARE)), licence(LicenceKind.OTHER, date(2025, 9, 1))
        )


def test_no_permanent_licence_before_a_decision() -> None:
    with pytest.raises(NotAllowed, match="cannot grant licence: the case is complete"):
        domain.grant(complete(), licence(LicenceKind.NURSING_LICENCE, date(2025, 9, 1)))


def test_a_permanent_licence_has_no_last_day() -> None:
    with pytest.raises(InvalidValue, match="only a Berufserlaubnis is temporary") as refused:
        domain.grant(
            qualified(decided(Outcome.FULL_EQUIVALENCE)),
            licence(LicenceKind.NURSING_LICENCE, date(2025, 9, 1), date(2026, 9, 1)),
        )
    assert refused.value.field == "valid_until"


def test_a_doctor_may_hold_a_berufserlaubnis_before_the_decision_and_the_case_goes_on() -> None:
    permitted = domain.grant(complete(DOCTOR), permit(date(2025, 4, 1), date(2027, 3, 31))).state
    assert permitted.state is CaseState.COMPLETE
    assert permitted.relies_on_permit_until(date(2027, 3, 31))
    assert (
        domain.decide(permitted, ruling(Outcome.COMPENSATION_REQUIRED, DOCTOR_OFFERED)).state.state is CaseState.DECIDED
    )


def test_a_berufserlaubnis_is_for_doctors_only() -> None:
    with pytest.raises(NotAllowed, match="a Berufserlaubnis is for doctors and this case is for nursing_professional"):
        domain.grant(opened(NURSE), permit(date(2025, 4, 1), date(2026, 3, 31)))
    with pytest.raises(
        NotAllowed, match="cannot grant licence berufserlaubnis: the nurse route ends in nursing_licence"
    ):
        domain.grant(complete(NURSE), permit(date(2025, 4, 1), date(2026, 3, 31)))


def test_a_berufserlaubnis_needs_its_last_day_and_not_one_before_the_grant() -> None:
    with pytest.raises(InvalidValue, match="give its last day"):
        domain.grant(complete(DOCTOR), permit(date(2025, 4, 1), None))
    with pytest.raises(InvalidValue, match="must not be before granted_on"):
        domain.grant(complete(DOCTOR), permit(date(2025, 4, 1), date(2025, 3, 31)))


def test_a_berufserlaubnis_lasts_at_most_two_years_in_total_even_when_renewed() -> None:
    case = complete(DOCTOR)
    assert domain.grant(case, permit(date(2025, 3, 1), date(2027, 3, 1))).state.valid_until == date(2027, 3, 1)
    with pytest.raises(InvalidValue, match="at most 2 years in total") as refused:
        domain.grant(case, permit(date(2025, 3, 1), date(2027, 3, 2)))
    assert refused.value.field == "valid_until"
    first = domain.grant(case, permit(date(2025, 3, 1), date(2026, 2, 28))).state
    renewed = domain.grant(first, permit(date(2026, 3, 1), date(2027, 3, 1))).state
    assert renewed.relies_on_permit_until(date(2027, 3, 1)) and not renewed.relies_on_permit_until(date(2026, 2, 28))
    with pytest.raises(InvalidValue, match=r"since 2025-03-01\): 2027-03-01 at the latest"):
        domain.grant(first, permit(date(2026, 3, 1), date(2028, 2, 29)))


def test_an_approbation_supersedes_the_berufserlaubnis() -> None:
    permitted = domain.grant(complete(DOCTOR), permit(date(2025, 4, 1), date(2027, 3, 31))).state
    full = qualified(domain.decide(permitted, ruling(Outcome.FULL_EQUIVALENCE)).state)
    licensed = domain.grant(full, licence(LicenceKind.APPROBATION, date(2026, 1, 5))).state
    assert licensed.state is CaseState.LICENSED and not licensed.relies_on_permit_until(date(2027, 3, 31))


def test_no_berufserlaubnis_after_a_rejection() -> None:
    with pytest.raises(NotAllowed, match="the decision was rejected"):
        domain.grant(decided(Outcome.REJECTED, DOCTOR), permit(date(2025, 9, 1), date(2026, 9, 1)))


def test_withdrawal_closes_a_case_in_any_state_and_then_nothing_is_allowed() -> None:
    for case in (opened(), complete(), decided(Outcome.FULL_EQUIVALENCE)):
        closed = domain.close(case, withdrawal(), CLOSED_AT).state
        assert closed.state is CaseState.CLOSED and closed.allowed() == []
    with pytest.raises(NotAllowed, match="the case is closed; allowed now: nothing"):
        domain.record_counselling(domain.close(complete(), withdrawal(), CLOSED_AT).state, counselling())


def test_nothing_more_is_allowed_once_licensed() -> None:
    full = qualified(decided(Outcome.FULL_EQUIVALENCE))
    licensed = domain.grant(full, licence(LicenceKind.NURSING_LICENCE, date(2025, 9, 1)))
    assert licensed.state.allowed() == []


def test_an_intake_changes_the_target_profession_only_until_the_application_is_submitted() -> None:
    assert domain.retarget(opened(NURSE), intake(DOCTOR)).state.target_profession == DOCTOR
    counselled = domain.record_counselling(opened(NURSE), counselling()).state
    assert domain.retarget(counselled, intake(DOCTOR)).state.target_profession == DOCTOR
    after_submission = submitted(NURSE)
    retargeted = domain.retarget(after_submission, intake(DOCTOR)).state
    assert retargeted.target_profession == NURSE and retargeted.profession == NURSE
    assert retargeted.residence == "abroad"  # what the person is like now is always kept (§16d(3) AufenthG reads it)


def test_a_decision_is_overdue_only_while_undecided_and_for_the_current_due_date() -> None:
    case = complete()
    assert case.awaits_decision_by(date(2025, 7, 10))
    assert not domain.extend(case, extension(date(2025, 8, 10))).state.awaits_decision_by(date(2025, 7, 10))
    assert not domain.decide(case, ruling(Outcome.FULL_EQUIVALENCE)).state.awaits_decision_by(date(2025, 7, 10))
    assert not domain.close(case, withdrawal(), CLOSED_AT).state.awaits_decision_by(date(2025, 7, 10))


def test_every_state_but_closed_is_reachable_from_opened_and_closed_only_by_withdrawal() -> None:
    seen, frontier = {CaseState.OPENED}, [CaseState.OPENED]
    while frontier:
        for target in TRANSITIONS[frontier.pop()].values():
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    assert set(CaseState) - seen == {CaseState.CLOSED}
