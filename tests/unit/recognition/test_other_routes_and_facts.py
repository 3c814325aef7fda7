"""The routes without an application (statement of comparability, no recognition needed, vocational training),
qualification's facts (completed, an exam finally failed), the change of a measure, and the day the missing
documents are due."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.recognition import domain
from services.recognition.domain import Case, CaseState, DueDate, Outcome
from shared.contracts.enums import Profession, Route
from shared.contracts.qualification import ExamPart
from shared.contracts.recognition import (
    ComparabilityStated,
    ConfirmReceipt,
    DocumentKind,
    DocumentsOverdue,
    LicenceConditionsMet,
    LicenceKind,
    RecognitionNotNeeded,
    TrainingCompleted,
    TrainingStarted,
)
from shared.decision import Drop, Due
from shared.refusals import InvalidValue, NotAllowed
from tests.unit.recognition.steps import (
    CLOSED_AT,
    DOCTOR,
    PID,
    application,
    choice,
    comparability,
    completion,
    counselling,
    decided,
    exam_finally_failed,
    intake,
    licence,
    no_recognition_needed,
    opened,
    permit,
    qualification_completed,
    qualified,
    submitted,
    trained,
    training,
    training_completed,
    withdrawal,
)

DUE_DAY = date(2025, 3, 20)


def test_a_statement_of_comparability_closes_the_stage_on_its_route() -> None:
    counselled = domain.record_counselling(opened(), counselling()).state

    decision = domain.state_comparability(counselled, comparability())

    assert decision.events == (ComparabilityStated(**comparability().model_dump()),)
    stated = decision.state
    assert (stated.state, stated.route, stated.occupation) == (
        CaseState.COMPARABILITY_STATED,
        Route.STATEMENT_OF_COMPARABILITY,
        "27104",
    )
    assert stated.allowed() == [] and decision.timers == ()


def test_no_recognition_needed_closes_the_stage_on_its_route() -> None:
    decision = domain.not_needed(opened(), no_recognition_needed())

    assert decision.events == (RecognitionNotNeeded(**no_recognition_needed().model_dump()),)
    assert (decision.state.state, decision.state.route) == (CaseState.NOT_NEEDED, Route.NO_RECOGNITION_NEEDED)
    assert decision.state.allowed() == []


@pytest.mark.parametrize("step", ["comparability", "not needed", "training"])
def test_the_other_routes_are_open_only_before_an_application(step: str) -> None:
    with pytest.raises(NotAllowed, match="the case is submitted"):
        if step == "comparability":
            domain.state_comparability(submitted(), comparability())
        elif step == "not needed":
            domain.not_needed(submitted(), no_recognition_needed())
        else:
            domain.start_training(submitted(), training())


def test_vocational_training_runs_from_its_start_to_a_nursing_licence() -> None:
    started = domain.start_training(opened(), training())
    completed = domain.complete_training(started.state, training_completed())
    licensed = domain.grant(completed.state, licence(LicenceKind.NURSING_LICENCE, date(2028, 9, 1)))

    assert started.events == (TrainingStarted(**training().model_dump()),)
    assert (started.state.state, started.state.route, started.state.training_profession) == (
        CaseState.IN_TRAINING,
        Route.VOCATIONAL_TRAINING,
        "nursing_professional",
    )
    assert completed.events == (
        TrainingCompleted(
            participant_id=PID, profession=Profession.NURSING_PROFESSIONAL, completed_on=date(2028, 7, 15)
        ),
    )
    assert completed.state.state is CaseState.TRAINED
    assert licensed.state.state is CaseState.LICENSED and licensed.state.licence == "nursing_licence"


def test_no_licence_during_the_training() -> None:
    in_training = domain.start_training(opened(), training()).state
    with pytest.raises(NotAllowed, match="cannot grant licence: the case is in_training"):
        domain.grant(in_training, licence(LicenceKind.NURSING_LICENCE, date(2027, 9, 1)))


def test_a_doctor_in_vocational_training_holds_no_berufserlaubnis() -> None:
    case = domain.start_training(opened(DOCTOR), training()).state
    assert domain.Action.GRANT_BERUFSERLAUBNIS not in case.allowed()
    with pytest.raises(NotAllowed, match="the vocational_training route as nursing_professional ends in nursing_lic"):
        domain.grant(case, permit(date(2025, 9, 1), date(2026, 9, 1)))


def test_qualification_completed_is_recorded_once_and_lets_the_licence_follow() -> None:
    chosen = domain.choose(decided(Outcome.COMPENSATION_REQUIRED), choice("knowledge_test")).state

    done = domain.qualified(chosen, qualification_completed(date(2026, 1, 22)))
    again = domain.qualified(done.state, qualification_completed(date(2026, 2, 1)))

    assert done.state.qualified_on == date(2026, 1, 22) and done.timers == ()
    assert done.events == (
        LicenceConditionsMet(participant_id=PID, licences={LicenceKind.NURSING_LICENCE}, met_on=date(2026, 1, 22)),
    )
    assert again.state is done.state and again.events == ()
    assert domain.Action.GRANT_LICENCE in done.state.allowed()


def test_a_doctor_is_told_the_approbation_may_follow_not_the_berufserlaubnis() -> None:
    chosen = domain.choose(decided(Outcome.COMPENSATION_REQUIRED, DOCTOR), choice("knowledge_test")).state

    [met] = domain.qualified(chosen, qualification_completed()).events

    assert isinstance(met, LicenceConditionsMet) and met.licences == {LicenceKind.APPROBATION}


def test_no_licence_conditions_are_met_where_no_licence_can_follow() -> None:
    chosen = domain.choose(decided(Outcome.COMPENSATION_REQUIRED), choice("knowledge_test")).state
    for case in (
        domain.finally_failed(chosen, exam_finally_failed()).state,
        decided(Outcome.PARTIAL_EQUIVALENCE, Profession.HOME_CARE),
        decided(Outcome.REJECTED),
        domain.state_comparability(opened(), comparability()).state,
        domain.close(chosen, withdrawal(), CLOSED_AT).state,
    ):
        decision = domain.qualified(case, qualification_completed())
        assert decision.events == () and decision.state.qualified_on == date(2026, 1, 22)


@pytest.mark.parametrize(
    ("part", "failed"), [(ExamPart.PRACTICAL, "knowledge_test (practical)"), (None, "knowledge_test")]
)
def test_an_exam_finally_failed_is_recorded_with_its_part_and_the_first_counts(
    part: ExamPart | None, failed: str
) -> None:
    chosen = domain.choose(decided(Outcome.COMPENSATION_REQUIRED), choice("knowledge_test")).state

    decision = domain.finally_failed(chosen, exam_finally_failed(part))
    again = domain.finally_failed(decision.state, exam_finally_failed(ExamPart.ORAL))

    assert (decision.state.finally_failed, decision.state.finally_failed_on) == (failed, date(2026, 3, 12))
    assert decision.events == () and again.state is decision.state


def test_the_licence_waits_for_qualification_saying_what_is_missing() -> None:
    full = decided(Outcome.FULL_EQUIVALENCE)
    required = decided(Outcome.COMPENSATION_REQUIRED)
    with pytest.raises(NotAllowed, match="waits for QualificationCompleted: the language is not proved yet"):
        domain.grant(full, licence(LicenceKind.NURSING_LICENCE, date(2025, 9, 1)))
    with pytest.raises(NotAllowed, match="waits for QualificationCompleted: no compensation measure is chosen yet"):
        domain.grant(required, licence(LicenceKind.NURSING_LICENCE, date(2025, 9, 1)))


def test_no_change_of_measure_once_one_was_finally_failed_or_the_qualification_completed() -> None:
    chosen = domain.choose(decided(Outcome.COMPENSATION_REQUIRED), choice("adaptation_course")).state
    failed = domain.finally_failed(chosen, exam_finally_failed()).state
    with pytest.raises(NotAllowed, match=r"the knowledge_test \(practical\) was finally failed on 2026-03-12"):
        domain.choose(failed, choice("knowledge_test"))
    with pytest.raises(NotAllowed, match="the qualification was completed on 2026-01-22"):
        domain.choose(qualified(chosen), choice("knowledge_test"))


def test_a_changed_measure_must_have_been_offered_too() -> None:
    chosen = domain.choose(decided(Outcome.COMPENSATION_REQUIRED), choice("adaptation_course")).state
    with pytest.raises(InvalidValue, match="aptitude_test was not offered"):
        domain.choose(chosen, choice("aptitude_test"))


def test_a_qualification_fact_for_a_closed_case_changes_only_what_it_says() -> None:
    closed = domain.close(decided(Outcome.FULL_EQUIVALENCE), withdrawal(), CLOSED_AT).state
    assert domain.qualified(closed, qualification_completed()).state.state is CaseState.CLOSED


def receipt_with_documents(due: date | None = DUE_DAY) -> ConfirmReceipt:
    missing = frozenset({DocumentKind.CERTIFIED_TRANSLATION, DocumentKind.PROOF_OF_EXPERIENCE})
    return ConfirmReceipt(
        participant_id=PID, received_on=date(2025, 2, 20), missing_documents=missing, documents_due_on=due
    )


def waiting_for_documents() -> Case:
    return domain.confirm_receipt(submitted(), receipt_with_documents()).state


def test_a_receipt_with_a_day_for_the_missing_documents_sets_it_until_its_end_in_german_time() -> None:
    decision = domain.confirm_receipt(submitted(), receipt_with_documents())

    assert decision.timers == (
        Drop(PID, DueDate.RECEIPT),
        Due(
            PID,
            DueDate.DOCUMENTS,
            "2025-03-20",
            datetime(2025, 3, 20, 23, tzinfo=UTC),
            {"documents_due_on": "2025-03-20"},
        ),
    )
    assert decision.state.missing_documents == {"certified_translation", "proof_of_experience"}


def test_a_receipt_without_a_day_for_the_documents_sets_none() -> None:
    assert domain.confirm_receipt(submitted(), receipt_with_documents(None)).timers == (Drop(PID, DueDate.RECEIPT),)


def test_completing_the_file_drops_the_documents_due_date() -> None:
    decision = domain.complete(waiting_for_documents(), completion())

    assert decision.timers[0] == Drop(PID, DueDate.DOCUMENTS, "2025-03-20")


def test_missing_documents_are_overdue_while_the_file_is_not_complete() -> None:
    case = waiting_for_documents()

    decision = domain.documents_overdue(case, DUE_DAY)

    assert decision.events == (
        DocumentsOverdue(
            participant_id=PID,
            documents_due_on=DUE_DAY,
            missing_documents=frozenset({DocumentKind.CERTIFIED_TRANSLATION, DocumentKind.PROOF_OF_EXPERIENCE}),
        ),
    )
    assert decision.state is case and decision.timers == ()


def test_documents_complete_or_withdrawn_or_another_day_raise_nothing() -> None:
    case = waiting_for_documents()
    for later in (domain.complete(case, completion()).state, domain.close(case, withdrawal(), CLOSED_AT).state):
        assert domain.documents_overdue(later, DUE_DAY).events == ()
    assert domain.documents_overdue(case, date(2025, 3, 21)).events == ()
    assert domain.close(case, withdrawal(), CLOSED_AT).timers == (Drop(PID),)


def test_an_intake_changes_the_country_of_training_until_the_application_is_submitted() -> None:
    retrained = intake(DOCTOR).model_copy(update={"country_of_training": "RO"})
    assert domain.retarget(opened(country="PH"), retrained).state.country_of_training == "RO"
    assert domain.retarget(submitted(country="PH"), retrained).state.country_of_training == "PH"
    assert trained().country_of_training == "PH"


def test_the_occupation_comes_from_recruitment_until_the_application_names_its_own() -> None:
    recruited_as = domain.retarget(opened(), intake(DOCTOR).model_copy(update={"occupation": "81404"})).state
    assert recruited_as.occupation == "81404"
    assert domain.submit(recruited_as, application(DOCTOR)).state.occupation == "81404"
    named = application(DOCTOR).model_copy(update={"occupation": "81414"})
    assert domain.submit(recruited_as, named).state.occupation == "81414"
