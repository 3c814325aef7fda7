"""A participant who dropped out comes back: the case the withdrawal closed reopens in the state it was closed in,
with the legal due dates the close dropped set again (one that passed meanwhile raised at once)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest

from services.recognition import domain
from services.recognition.domain import Case, CaseState, DueDate, Outcome
from shared.calendar import passed, start_of
from shared.contracts.recognition import (
    ConfirmReceipt,
    DecisionOverdue,
    DocumentKind,
    LicenceConditionsMet,
    LicenceKind,
)
from shared.decision import Due
from tests.unit.recognition.steps import (
    CLOSED_AT,
    DOCTOR,
    PID,
    application,
    choice,
    comparability,
    complete,
    completion,
    counselling,
    decided,
    licence,
    no_recognition_needed,
    opened,
    permit,
    qualification_completed,
    qualified,
    reactivation,
    receipt,
    submitted,
    trained,
    training,
    withdrawal,
)

# A case in every state a withdrawal can close it in, brought there by the domain's own operations.
IN_STATE: dict[CaseState, Callable[[], Case]] = {
    CaseState.OPENED: opened,
    CaseState.COUNSELLED: lambda: domain.record_counselling(opened(), counselling()).state,
    CaseState.SUBMITTED: submitted,
    CaseState.RECEIPT_CONFIRMED: lambda: domain.confirm_receipt(submitted(), receipt()).state,
    CaseState.COMPLETE: complete,
    CaseState.DECIDED: lambda: decided(Outcome.COMPENSATION_REQUIRED),
    CaseState.MEASURE_CHOSEN: lambda: (
        domain.choose(decided(Outcome.COMPENSATION_REQUIRED), choice("knowledge_test")).state
    ),
    CaseState.LICENSED: lambda: (
        domain.grant(
            qualified(decided(Outcome.FULL_EQUIVALENCE)), licence(LicenceKind.NURSING_LICENCE, date(2025, 9, 1))
        ).state
    ),
    CaseState.COMPARABILITY_STATED: lambda: domain.state_comparability(opened(), comparability()).state,
    CaseState.NOT_NEEDED: lambda: domain.not_needed(opened(), no_recognition_needed()).state,
    CaseState.IN_TRAINING: lambda: domain.start_training(opened(), training()).state,
    CaseState.TRAINED: trained,
}


def at_noon(day: date) -> datetime:
    return start_of(day) + timedelta(hours=12)


def away(case: Case, closed_at: datetime = CLOSED_AT, back_at: datetime | None = None) -> domain.Case:
    """`case` closed by a withdrawal at `closed_at` and reopened by a reactivation at `back_at` (a day later)."""
    closed = domain.close(case, withdrawal(), closed_at).state
    back = back_at or closed_at + timedelta(days=1)
    return domain.reopen(closed, reactivation(back.date()), back).state


def dues_after_return(case: Case, closed_at: datetime, back_at: datetime) -> tuple[Due, ...]:
    closed = domain.close(case, withdrawal(), closed_at).state
    decision = domain.reopen(closed, reactivation(back_at.date()), back_at)
    assert decision.events == ()
    assert all(isinstance(t, Due) for t in decision.timers)
    return tuple(t for t in decision.timers if isinstance(t, Due))


def test_every_state_but_closed_has_a_case_to_close_here() -> None:
    assert set(IN_STATE) == set(CaseState) - {CaseState.CLOSED}
    assert all(make().state is state for state, make in IN_STATE.items())


@pytest.mark.parametrize("state", list(IN_STATE))
def test_a_reactivation_reopens_the_case_as_it_was_when_the_withdrawal_closed_it(state: CaseState) -> None:
    case = IN_STATE[state]()

    closed = domain.close(case, withdrawal(), CLOSED_AT).state
    reopened = away(case)

    assert (closed.state, closed.closed_from, closed.closed_at) == (CaseState.CLOSED, state, CLOSED_AT)
    assert reopened == case
    assert reopened.allowed() == case.allowed()


def test_the_next_command_of_the_state_it_was_closed_in_applies_after_the_return() -> None:
    reopened = away(domain.confirm_receipt(submitted(), receipt()).state)

    decision = domain.complete(reopened, completion())

    assert decision.state.state is CaseState.COMPLETE


def test_a_reactivation_of_a_case_that_was_never_closed_changes_nothing() -> None:
    case = complete()  # e.g. the participant completed: nothing closed

    decision = domain.reopen(case, reactivation(date(2025, 8, 1)), at_noon(date(2025, 8, 1)))

    assert decision.state is case and decision.events == () and decision.timers == ()


def test_a_reactivation_told_again_changes_nothing() -> None:
    reopened = away(complete())

    again = domain.reopen(reopened, reactivation(date(2025, 8, 1)), at_noon(date(2025, 8, 1)))

    assert again.state is reopened and again.timers == ()


def test_the_case_can_close_again_after_the_return_and_reopen_again() -> None:
    first_return = away(complete())
    second_close = at_noon(date(2025, 7, 5))

    assert away(first_return, second_close) == complete()


def test_the_receipt_due_date_is_set_again_as_the_submission_set_it() -> None:
    submission = domain.submit(opened(), application())  # submitted 2025-02-03, receipt due 2025-03-03

    dues = dues_after_return(submission.state, at_noon(date(2025, 2, 10)), at_noon(date(2025, 2, 20)))

    assert dues == submission.timers


def test_the_documents_due_date_is_set_again_as_the_confirmation_set_it() -> None:
    confirmation = ConfirmReceipt(
        participant_id=PID,
        received_on=date(2025, 2, 20),
        missing_documents={DocumentKind.CERTIFIED_TRANSLATION},
        documents_due_on=date(2025, 4, 15),
    )
    confirmed = domain.confirm_receipt(submitted(), confirmation)

    dues = dues_after_return(confirmed.state, at_noon(date(2025, 3, 1)), at_noon(date(2025, 3, 20)))

    assert dues == tuple(t for t in confirmed.timers if isinstance(t, Due) and t.kind == DueDate.DOCUMENTS)


def test_the_decision_due_date_is_set_again_on_its_own_day() -> None:
    dues = dues_after_return(complete(), CLOSED_AT, at_noon(date(2025, 7, 5)))  # due 2025-07-10

    assert [(d.kind, d.key, d.at) for d in dues] == [(DueDate.DECISION, "2025-07-10", passed(date(2025, 7, 10)))]


def test_a_decision_due_date_that_passed_while_the_participant_was_away_is_raised_at_once() -> None:
    back_at = at_noon(date(2025, 8, 1))

    [due] = dues_after_return(complete(), CLOSED_AT, back_at)
    reopened = away(complete(), CLOSED_AT, back_at)

    assert due.kind == DueDate.DECISION and due.at < back_at  # the sweep fires it at once
    assert domain.decision_overdue(reopened, date(2025, 7, 10)).events == (
        DecisionOverdue(participant_id=PID, decision_due_on=date(2025, 7, 10)),
    )


def test_a_due_date_that_passed_before_the_withdrawal_was_raised_then_and_is_not_set_again() -> None:
    dues = dues_after_return(complete(), at_noon(date(2025, 7, 20)), at_noon(date(2025, 8, 1)))  # due 2025-07-10

    assert dues == ()


def test_no_due_date_is_set_again_in_a_state_that_waits_for_none() -> None:
    for state in (CaseState.OPENED, CaseState.DECIDED, CaseState.LICENSED, CaseState.IN_TRAINING):
        assert dues_after_return(IN_STATE[state](), CLOSED_AT, at_noon(date(2025, 7, 5))) == ()


def permitted(valid_until: date) -> Case:
    """A doctor's complete case (decision due 2025-07-10) holding a Berufserlaubnis."""
    return domain.grant(complete(DOCTOR), permit(date(2025, 4, 1), valid_until)).state


def test_the_end_of_a_berufserlaubnis_is_announced_and_raised_again_after_the_return() -> None:
    case = permitted(date(2027, 3, 31))
    granted = domain.grant(complete(DOCTOR), permit(date(2025, 4, 1), date(2027, 3, 31)))

    dues = dues_after_return(case, CLOSED_AT, at_noon(date(2025, 7, 5)))

    permit_dues = tuple(t for t in granted.timers if isinstance(t, Due))
    assert [d.kind for d in dues] == [DueDate.DECISION, DueDate.LICENCE_EXPIRING, DueDate.LICENCE_EXPIRED]
    assert dues[1:] == permit_dues


def test_a_warning_that_came_due_while_away_is_raised_at_once_when_the_berufserlaubnis_still_runs() -> None:
    back_at = at_noon(date(2025, 9, 1))  # warning on 2025-08-05, ends 2025-09-30

    dues = dues_after_return(permitted(date(2025, 9, 30)), CLOSED_AT, back_at)

    ending = {d.kind: d.at for d in dues if d.kind != DueDate.DECISION}
    assert ending[DueDate.LICENCE_EXPIRING] < back_at < ending[DueDate.LICENCE_EXPIRED]


def test_a_berufserlaubnis_that_ended_while_away_is_reported_ended_without_the_warning() -> None:
    back_at = at_noon(date(2025, 10, 15))

    dues = dues_after_return(permitted(date(2025, 9, 30)), CLOSED_AT, back_at)

    assert [(d.kind, d.key) for d in dues if d.kind != DueDate.DECISION] == [(DueDate.LICENCE_EXPIRED, "2025-09-30")]
    assert all(d.at < back_at for d in dues)


def test_a_qualification_completed_while_closed_is_announced_when_the_case_reopens() -> None:
    chosen = domain.choose(decided(Outcome.COMPENSATION_REQUIRED), choice("knowledge_test")).state
    closed = domain.close(chosen, withdrawal(), CLOSED_AT).state
    while_closed = domain.qualified(closed, qualification_completed(date(2025, 9, 1)))
    back_at = at_noon(date(2025, 9, 2))

    reopened = domain.reopen(while_closed.state, reactivation(back_at.date()), back_at)

    assert while_closed.events == ()  # a closed case accepts no licence
    assert reopened.events == (
        LicenceConditionsMet(
            participant_id=PID, licences=frozenset({LicenceKind.NURSING_LICENCE}), met_on=date(2025, 9, 1)
        ),
    )
    licensed = domain.grant(reopened.state, licence(LicenceKind.NURSING_LICENCE, date(2025, 9, 15)))
    assert licensed.state.state is CaseState.LICENSED


def test_a_case_that_accepted_a_licence_when_it_closed_announces_it_again_on_return() -> None:
    full = qualified(decided(Outcome.FULL_EQUIVALENCE))
    announced = domain.qualified(decided(Outcome.FULL_EQUIVALENCE), qualification_completed()).events

    again = domain.reopen(
        domain.close(full, withdrawal(), CLOSED_AT).state, reactivation(date(2026, 2, 1)), at_noon(date(2026, 2, 1))
    )

    assert again.events == announced != ()
