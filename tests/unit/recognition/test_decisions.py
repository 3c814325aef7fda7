"""What each command, recruitment fact and passing due date decides: the facts published and the due dates set or
dropped (a refused command decides nothing: it raises, see test_case_states)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from services.recognition import domain
from services.recognition.domain import CaseState, DueDate, Outcome, Track
from shared.contracts.enums import CefrLevel, ReferralSource, Residence, Route
from shared.contracts.recognition import (
    ApplicationCompleted,
    ApplicationSubmitted,
    CompensationMeasureChosen,
    CounsellingHeld,
    DeadlineExtended,
    DecisionOverdue,
    ExtensionReason,
    LicenceExpired,
    LicenceExpiring,
    LicenceGranted,
    LicenceKind,
    ReceiptConfirmed,
    RecognitionCaseOpened,
    RecognitionDecided,
)
from shared.contracts.recruitment import ParticipantRecruited
from shared.decision import Drop, Due, timer_id
from tests.unit.recognition.steps import (
    CLOSED_AT,
    DOCTOR,
    NURSE,
    PID,
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
    withdrawal,
)

BERUFSERLAUBNIS = LicenceKind.BERUFSERLAUBNIS


def decision_due(day: date) -> Due:
    return Due(PID, DueDate.DECISION, day.isoformat(), summer_midnight_after(day), {"decision_due_on": day.isoformat()})


def summer_midnight_after(day: date) -> datetime:
    """Midnight at the end of a summer `day` in Germany (CEST, UTC+2), written out."""
    return datetime(day.year, day.month, day.day, 22, tzinfo=UTC)


def recruited() -> ParticipantRecruited:
    return ParticipantRecruited(
        participant_id=PID,
        target_profession=NURSE,
        isco_code="2221",
        country_of_training="PH",
        language_level=CefrLevel.B1,
        residence=Residence.ABROAD,
        region="DE-SL",
        referral_source=ReferralSource.COUNSELLING_ABROAD,
        partner_org="iq-saar-example",
        consents=frozenset(),
    )


def test_a_recruited_participant_gets_an_opened_case_announced_on_the_day() -> None:
    decision = domain.open_case(None, recruited(), date(2025, 1, 15))

    assert decision.state == replace(opened(NURSE, "PH"), residence="abroad")
    assert decision.events == (
        RecognitionCaseOpened(participant_id=PID, target_profession=NURSE, opened_on=date(2025, 1, 15)),
    )
    assert decision.timers == ()


def test_a_recruitment_told_twice_opens_no_second_case() -> None:
    existing = complete()

    decision = domain.open_case(existing, recruited(), date(2025, 4, 1))

    assert decision.state is existing and decision.events == () and decision.timers == ()


def test_counselling_submission_and_receipt_are_published_as_commanded() -> None:
    counselled = domain.record_counselling(opened(), counselling())
    submission = domain.submit(counselled.state, application(DOCTOR, Track.FAST_TRACK_81A))
    confirmed = domain.confirm_receipt(submission.state, receipt())

    assert counselled.events == (CounsellingHeld(**counselling().model_dump()),)
    assert submission.events == (
        ApplicationSubmitted(
            **application(DOCTOR, Track.FAST_TRACK_81A).model_dump(),
            route=Route.DOCTOR,
            receipt_due_on=date(2025, 2, 17),
        ),
    )
    assert submission.state.reference_profession == DOCTOR and submission.state.track is Track.FAST_TRACK_81A
    assert submission.state.route is Route.DOCTOR
    assert confirmed.events == (ReceiptConfirmed(**receipt().model_dump()),)
    assert counselled.timers == ()  # the receipt due date: tests/unit/recognition/test_receipt_deadline.py


def test_completing_the_file_publishes_the_decision_due_date_and_sets_it_until_its_end_in_german_time() -> None:
    before = domain.confirm_receipt(submitted(), receipt()).state

    decision = domain.complete(before, completion(date(2025, 3, 10)))

    assert decision.events == (
        ApplicationCompleted(participant_id=PID, complete_on=date(2025, 3, 10), decision_due_on=date(2025, 7, 10)),
    )
    assert decision.timers == (decision_due(date(2025, 7, 10)),)
    [due] = decision.timers
    assert isinstance(due, Due) and timer_id(due.kind, PID, due.key) == f"decision_due:{PID}:2025-07-10"


def test_an_extension_publishes_both_dates_and_moves_the_due_date() -> None:
    decision = domain.extend(complete(), extension(date(2025, 8, 10)))

    assert decision.events == (
        DeadlineExtended(
            participant_id=PID,
            decision_due_on=date(2025, 8, 10),
            previous_decision_due_on=date(2025, 7, 10),
            reason=ExtensionReason.EXPERT_OPINION,
        ),
    )
    assert decision.timers == (Drop(PID, DueDate.DECISION, "2025-07-10"), decision_due(date(2025, 8, 10)))


def test_a_decision_is_published_and_drops_the_decision_due_date() -> None:
    decision = domain.decide(complete(), ruling(Outcome.COMPENSATION_REQUIRED))

    assert decision.events == (RecognitionDecided(**ruling(Outcome.COMPENSATION_REQUIRED).model_dump()),)
    assert decision.state.measures_offered == {"adaptation_course", "knowledge_test"}
    assert decision.timers == (Drop(PID, DueDate.DECISION, "2025-07-10"),)


def test_a_chosen_measure_is_published_and_sets_no_due_date() -> None:
    decision = domain.choose(decided(Outcome.COMPENSATION_REQUIRED), choice("knowledge_test"))

    assert decision.events == (
        CompensationMeasureChosen(**choice("knowledge_test").model_dump(), previous_measure=None),
    )
    assert decision.timers == ()


def test_a_permanent_licence_is_published_and_sets_no_due_date() -> None:
    command = licence(LicenceKind.NURSING_LICENCE, date(2026, 2, 16))

    decision = domain.grant(qualified(decided(Outcome.FULL_EQUIVALENCE)), command)

    assert decision.events == (
        LicenceGranted(
            participant_id=PID, licence=LicenceKind.NURSING_LICENCE, granted_on=date(2026, 2, 16), valid_until=None
        ),
    )
    assert decision.timers == ()


def test_a_berufserlaubnis_is_announced_eight_weeks_before_its_end_and_reported_once_it_has_passed() -> None:
    command = permit(date(2025, 4, 1), date(2027, 3, 31))

    decision = domain.grant(complete(DOCTOR), command)

    assert decision.events == (LicenceGranted(**command.model_dump()),)
    data = {"licence": "berufserlaubnis", "valid_until": "2027-03-31"}
    assert decision.timers == (
        Due(PID, DueDate.LICENCE_EXPIRING, "2027-03-31", datetime(2027, 2, 2, 23, tzinfo=UTC), data),  # 3 Feb, CET
        Due(PID, DueDate.LICENCE_EXPIRED, "2027-03-31", datetime(2027, 3, 31, 22, tzinfo=UTC), data),  # CEST
    )


def test_a_renewed_berufserlaubnis_drops_the_due_dates_of_the_one_before() -> None:
    first = domain.grant(complete(DOCTOR), permit(date(2025, 3, 1), date(2026, 2, 28))).state

    renewal = domain.grant(first, permit(date(2026, 3, 1), date(2027, 3, 1)))

    dropped, set_ = renewal.timers[:2], renewal.timers[2:]
    assert dropped == (
        Drop(PID, DueDate.LICENCE_EXPIRING, "2026-02-28"),
        Drop(PID, DueDate.LICENCE_EXPIRED, "2026-02-28"),
    )
    assert [(t.kind, t.key) for t in set_] == [
        (DueDate.LICENCE_EXPIRING, "2027-03-01"),
        (DueDate.LICENCE_EXPIRED, "2027-03-01"),
    ]


def test_an_approbation_drops_the_due_dates_of_the_berufserlaubnis_it_supersedes() -> None:
    permitted = domain.grant(complete(DOCTOR), permit(date(2025, 4, 1), date(2027, 3, 31))).state
    full = domain.decide(permitted, ruling(Outcome.FULL_EQUIVALENCE))

    licensed = domain.grant(qualified(full.state), licence(LicenceKind.APPROBATION, date(2026, 1, 5)))

    assert full.timers == (Drop(PID, DueDate.DECISION, "2025-07-10"),)  # the permit's due dates stay until then
    assert licensed.timers == (
        Drop(PID, DueDate.LICENCE_EXPIRING, "2027-03-31"),
        Drop(PID, DueDate.LICENCE_EXPIRED, "2027-03-31"),
    )


def test_a_withdrawal_closes_the_case_and_drops_every_due_date_it_set() -> None:
    decision = domain.close(complete(), withdrawal(), CLOSED_AT)

    assert decision.state.state is CaseState.CLOSED
    assert decision.events == () and decision.timers == (Drop(PID),)


def test_a_closed_case_stays_as_it_is_when_the_withdrawal_is_told_again() -> None:
    closed = domain.close(complete(), withdrawal(), CLOSED_AT).state

    again = domain.close(closed, withdrawal(), CLOSED_AT)

    assert again.state is closed and again.events == () and again.timers == ()


def test_an_intake_publishes_nothing() -> None:
    decision = domain.retarget(opened(NURSE), intake(DOCTOR))

    assert decision.events == () and decision.timers == ()


def test_a_missed_decision_is_overdue_while_the_case_waits_for_it() -> None:
    decision = domain.decision_overdue(complete(), date(2025, 7, 10))

    assert decision.events == (DecisionOverdue(participant_id=PID, decision_due_on=date(2025, 7, 10)),)
    assert decision.state == complete() and decision.timers == ()


def test_a_due_date_that_was_moved_decided_or_withdrawn_raises_nothing() -> None:
    case = complete()
    for later in (
        domain.extend(case, extension(date(2025, 8, 10))).state,
        domain.decide(case, ruling(Outcome.REJECTED)).state,
        domain.close(case, withdrawal(), CLOSED_AT).state,
    ):
        assert domain.decision_overdue(later, date(2025, 7, 10)).events == ()
    assert domain.decision_overdue(case, date(2025, 5, 10)).events == ()


def test_an_ending_berufserlaubnis_is_announced_and_then_reported_ended() -> None:
    permitted = domain.grant(complete(DOCTOR), permit(date(2025, 4, 1), date(2027, 3, 31))).state

    expiring = domain.licence_ending(permitted, BERUFSERLAUBNIS, date(2027, 3, 31), expired=False)
    expired = domain.licence_ending(permitted, BERUFSERLAUBNIS, date(2027, 3, 31), expired=True)

    assert expiring.events == (
        LicenceExpiring(participant_id=PID, licence=BERUFSERLAUBNIS, valid_until=date(2027, 3, 31)),
    )
    assert expired.events == (
        LicenceExpired(participant_id=PID, licence=BERUFSERLAUBNIS, valid_until=date(2027, 3, 31)),
    )
    assert expiring.state == permitted == expired.state


def test_a_superseded_renewed_or_withdrawn_berufserlaubnis_is_not_reported_ending() -> None:
    permitted = domain.grant(complete(DOCTOR), permit(date(2025, 3, 1), date(2026, 2, 28))).state
    full = qualified(domain.decide(permitted, ruling(Outcome.FULL_EQUIVALENCE)).state)
    for later in (
        domain.grant(full, licence(LicenceKind.APPROBATION, date(2026, 1, 5))).state,
        domain.grant(permitted, permit(date(2026, 3, 1), date(2027, 3, 1))).state,
        domain.close(permitted, withdrawal(), CLOSED_AT).state,
    ):
        for expired in (False, True):
            assert domain.licence_ending(later, BERUFSERLAUBNIS, date(2026, 2, 28), expired=expired).events == ()


def test_the_due_dates_keep_the_names_their_timers_are_stored_under() -> None:
    assert [kind.value for kind in DueDate] == [
        "receipt_due",
        "documents_due",
        "decision_due",
        "licence_expiring",
        "licence_expired",
    ]
