"""What each command, recruitment fact and passing due date decides about a case: the new case, the facts to
publish and the due dates to set or drop (the participant's life cycle: `life_cycle`). Pure."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from enum import StrEnum

from services.recognition.domain.case import (
    BERUFSERLAUBNIS_MONTHS,
    Action,
    Case,
    CaseState,
    Licence,
    Outcome,
    Track,
    decision_due_on,
    licence_warning_on,
    licences_of,
    partnership_refusal,
    receipt_due_on,
    route_ends_in,
)
from shared.calendar import add_months, passed, start_of
from shared.contracts import routes
from shared.contracts.enums import CompensationMeasure, RecognitionOutcome, RecognitionTrack
from shared.contracts.qualification import ExamFinallyFailed, QualificationCompleted
from shared.contracts.recognition import (
    ApplicationCompleted,
    ApplicationSubmitted,
    ChooseCompensationMeasure,
    CompensationMeasureChosen,
    CompleteApplication,
    ConfirmReceipt,
    CounsellingHeld,
    DeadlineExtended,
    DecisionOverdue,
    DocumentKind,
    DocumentsOverdue,
    ExtendDeadline,
    GrantLicence,
    LicenceConditionsMet,
    LicenceExpired,
    LicenceExpiring,
    LicenceGranted,
    LicenceKind,
    ReceiptConfirmed,
    ReceiptOverdue,
    RecognitionCaseOpened,
    RecognitionDecided,
    RecordCounselling,
    RecordDecision,
    SubmitApplication,
)
from shared.contracts.recruitment import IntakeRecorded, ParticipantRecruited
from shared.decision import Decision, Drop, Due
from shared.refusals import AlreadyExists, InvalidValue, NotAllowed


class DueDate(StrEnum):
    """The due dates a case sets; each is one timer per participant and day (a moved date is a new timer, so each
    missed date is raised once)."""

    RECEIPT = "receipt_due"
    DOCUMENTS = "documents_due"
    DECISION = "decision_due"
    LICENCE_EXPIRING = "licence_expiring"
    LICENCE_EXPIRED = "licence_expired"


# Recruitment's facts.


def open_case(existing: Case | None, event: ParticipantRecruited, today: date) -> Decision[Case]:
    """One case per recruited participant; a fact told twice under two ids changes nothing (the first counts)."""
    if existing is not None:
        return Decision(existing)
    case = Case(
        participant_id=event.participant_id,
        target_profession=str(event.target_profession),
        country_of_training=event.country_of_training,
        occupation=event.occupation,
        language_level=str(event.language_level),
        residence=str(event.residence),
    )
    opened = RecognitionCaseOpened(
        participant_id=event.participant_id, target_profession=event.target_profession, opened_on=today
    )
    return Decision(case, (opened,))


def retarget(case: Case, event: IntakeRecorded) -> Decision[Case]:
    """An intake may change the target profession, occupation and country of training until the application is
    submitted (or the counselling found another route)."""
    person = replace(case, language_level=str(event.language_level), residence=str(event.residence))
    if case.state in (CaseState.OPENED, CaseState.COUNSELLED):
        profession, country = str(event.target_profession), event.country_of_training
        after = replace(person, target_profession=profession, country_of_training=country, occupation=event.occupation)
        return Decision(after)
    return Decision(person)


# Qualification's facts: never refused; the first of each counts.


def qualified(case: Case, event: QualificationCompleted) -> Decision[Case]:
    """Recognition settled (full equivalence or the chosen measure passed) and the language proved: a licence may
    follow on an application route, and partners are told which (`LicenceConditionsMet`) when the case now accepts
    one. A Berufserlaubnis is not listed: it never waited for these conditions."""
    if case.qualified_on is not None:
        return Decision(case)
    after = replace(case, qualified_on=event.completed_on)
    return Decision(after, conditions_met(after))


def conditions_met(case: Case) -> tuple[LicenceConditionsMet, ...]:
    """`LicenceConditionsMet` when qualification's completion is known and the case accepts a licence now."""
    licences = licences_of(case) - {LicenceKind.BERUFSERLAUBNIS}
    if case.qualified_on is None or Action.GRANT_LICENCE not in case.allowed() or not licences:
        return ()
    return (LicenceConditionsMet(participant_id=case.participant_id, licences=licences, met_on=case.qualified_on),)


def finally_failed(case: Case, event: ExamFinallyFailed) -> Decision[Case]:
    """The last attempt the law allows was failed: no licence, and no change of measure, follows on this route."""
    if case.finally_failed is not None:
        return Decision(case)
    failed = str(event.exam) if event.part is None else f"{event.exam} ({event.part})"
    return Decision(replace(case, finally_failed=failed, finally_failed_on=event.failed_on))


# The partners' commands; each fact repeats the command it records.


def record_counselling(case: Case, cmd: RecordCounselling) -> Decision[Case]:
    after = replace(case, state=case.next_state(Action.RECORD_COUNSELLING))
    return Decision(after, (CounsellingHeld(**cmd.model_dump()),))


def submit(case: Case, cmd: SubmitApplication) -> Decision[Case]:
    """The application decides the route (`routes.application_route`), which must be one its legal basis serves
    (`routes.LEGAL_BASES`). The receipt deadline starts: the track's period, from the day the application was sent.
    A follow-up application after a partial equivalence starts a new cycle: no decision, measure or deadline yet."""
    state = case.next_state(Action.SUBMIT_APPLICATION)
    route = routes.application_route(cmd.reference_profession, cmd.legal_basis, cmd.regulated)
    bases = routes.LEGAL_BASES.get(route, frozenset())
    if cmd.legal_basis not in bases:
        allowed = ", ".join(sorted(bases))
        raise InvalidValue(
            f"a {cmd.reference_profession} application on the {route} route runs under {allowed}", "legal_basis"
        )
    track = Track(cmd.track)
    partnership = track is Track.RECOGNITION_PARTNERSHIP_16D
    if not partnership and cmd.partnership_employer is not None:
        raise InvalidValue("only with the recognition partnership track", "partnership_employer")
    if partnership and (why := partnership_refusal(case, cmd.partnership_employer)) is not None:
        raise InvalidValue(why, "track" if cmd.partnership_employer else "partnership_employer")
    due = receipt_due_on(cmd.submitted_on, track)
    after = replace(
        case,
        state=state,
        reference_profession=str(cmd.reference_profession),
        track=track,
        route=route,
        submitted_on=cmd.submitted_on,
        partnership_employer=cmd.partnership_employer,
        occupation=cmd.occupation or case.occupation,
        outcome=None,  # a follow-up application starts a new cycle: no decision, measure or deadline of the last
        measures_offered=frozenset(),
        measure=None,
        extended=False,
        decision_due_on=None,
        documents_due_on=None,
        missing_documents=frozenset(),
    )
    submitted = ApplicationSubmitted(**cmd.model_dump(), route=route, receipt_due_on=due)
    return Decision(after, (submitted,), (receipt_timer(case, cmd.submitted_on, due, track),))


def confirm_receipt(case: Case, cmd: ConfirmReceipt) -> Decision[Case]:
    """The confirmation ends the wait for it: its due date is dropped. The day given for the missing documents is
    set: if the file is not complete by then, `DocumentsOverdue` is raised."""
    state = case.next_state(Action.CONFIRM_RECEIPT)
    missing, documents_due = frozenset(str(d) for d in cmd.missing_documents), cmd.documents_due_on
    after = replace(case, state=state, missing_documents=missing, documents_due_on=documents_due)
    timers: tuple[Due | Drop, ...] = (Drop(case.participant_id, DueDate.RECEIPT),)
    if documents_due is not None:
        timers += (documents_timer(case, documents_due),)
    return Decision(after, (ReceiptConfirmed(**cmd.model_dump()),), timers)


def complete(case: Case, cmd: CompleteApplication) -> Decision[Case]:
    """The decision deadline starts: months by route, track and country of training, from the day the file became
    complete. The wait for missing documents ends: its due date is dropped."""
    state = case.next_state(Action.COMPLETE_APPLICATION)
    due = decision_due_on(cmd.complete_on, case.rule.route, case.track or Track.STANDARD, case.country_of_training)
    completed = ApplicationCompleted(**cmd.model_dump(), decision_due_on=due)
    timers: tuple[Due | Drop, ...] = (*_drop_documents_due(case), decision_timer(case, due))
    return Decision(replace(case, state=state, decision_due_on=due), (completed,), timers)


def extend(case: Case, cmd: ExtendDeadline) -> Decision[Case]:
    """Once, to a later day: the old due date is dropped and the new one set."""
    state = case.next_state(Action.EXTEND_DEADLINE)
    new_due, previous = cmd.new_decision_due_on, case.decision_due_on
    assert previous is not None  # completing the file set it
    if new_due <= previous:
        raise InvalidValue(f"must be later than the current {previous}", "new_decision_due_on")
    extended = DeadlineExtended(
        participant_id=case.participant_id,
        decision_due_on=new_due,
        previous_decision_due_on=previous,
        reason=cmd.reason,
    )
    after = replace(case, state=state, decision_due_on=new_due, extended=True)
    return Decision(after, (extended,), (_drop_decision_due(case, previous), decision_timer(case, new_due)))


def decide(case: Case, cmd: RecordDecision) -> Decision[Case]:
    """The decision must be one the case's route allows, offering only the measures the route allows for where the
    participant trained (RULES in shared/contracts/routes.py). It ends the wait for it: its due date is dropped."""
    state = case.next_state(Action.RECORD_DECISION)
    outcome, measures = Outcome(cmd.outcome), cmd.measures_offered
    if (outcome is Outcome.COMPENSATION_REQUIRED) != bool(measures):
        raise InvalidValue("given with compensation_required and only with it", "measures_offered")
    _check_outcome(case, cmd.outcome)
    _check_measures(case, cmd.measures_offered)
    after = replace(case, state=state, outcome=outcome, measures_offered=frozenset(str(m) for m in measures))
    dropped = () if case.decision_due_on is None else (_drop_decision_due(case, case.decision_due_on),)
    return Decision(after, (RecognitionDecided(**cmd.model_dump()),), dropped)


# Why a route refuses an outcome, from RULES in shared/contracts/routes.py.
OUTCOME_HINTS = {
    RecognitionOutcome.PARTIAL_EQUIVALENCE: "partial equivalence exists only for non-regulated professions"
    " (BQFG §§4-7)",
    RecognitionOutcome.COMPENSATION_REQUIRED: "compensation_required exists only for regulated professions"
    " (BQFG §§9-11)",
}


def _check_outcome(case: Case, outcome: RecognitionOutcome) -> None:
    rule = case.rule
    if outcome not in rule.outcomes:
        allows = ", ".join(sorted(rule.outcomes))
        hint = OUTCOME_HINTS.get(outcome, f"{outcome} is not a decision on it")
        raise InvalidValue(f"{hint}; the {rule.route} route allows: {allows}", "outcome")


def _check_measures(case: Case, offered: frozenset[CompensationMeasure]) -> None:
    rule = case.rule
    allowed = routes.measures_offered(rule.route, case.country_of_training)
    if not offered <= allowed:
        where = "in" if routes.trained_in_eu(case.country_of_training) else "outside"
        listed = ", ".join(sorted(allowed))
        extra = ", ".join(sorted(offered - allowed))
        why = f"the {rule.route} route, trained {where} the EU/EEA/CH: {listed} only ({rule.source}); offered: {extra}"
        raise InvalidValue(why, "measures_offered")


def choose(case: Case, cmd: ChooseCompensationMeasure) -> Decision[Case]:
    """A measure offered, chosen; where the route gives a choice it may change until a measure is passed or finally
    failed (then `previous_measure` says what it was). The same measure again is a fact recorded already."""
    measure = str(cmd.measure)
    if case.state is CaseState.MEASURE_CHOSEN and measure == case.measure:
        raise AlreadyExists(f"{measure} is the measure chosen already", "measure")
    state = case.next_state(Action.CHOOSE_MEASURE)
    if measure not in case.measures_offered:
        offered = ", ".join(sorted(case.measures_offered))
        raise InvalidValue(f"{measure} was not offered; offered: {offered}", "measure")
    previous = None if case.measure is None else CompensationMeasure(case.measure)
    chosen = CompensationMeasureChosen(**cmd.model_dump(), previous_measure=previous)
    return Decision(replace(case, state=state, measure=measure), (chosen,))


def grant(case: Case, cmd: GrantLicence) -> Decision[Case]:
    """Only a licence the case's route ends in (RULES[route].licences); any licence supersedes the Berufserlaubnis
    the case held (its due dates are dropped); a Berufserlaubnis sets its own."""
    licence = Licence(cmd.licence)
    if cmd.licence not in licences_of(case):
        raise NotAllowed(f"cannot grant licence {licence}: {route_ends_in(case)}")
    if licence is Licence.BERUFSERLAUBNIS:
        after = _grant_permit(case, cmd.granted_on, cmd.valid_until)
    else:
        state = case.next_state(Action.GRANT_LICENCE)
        if cmd.valid_until is not None:
            raise InvalidValue(f"only a Berufserlaubnis is temporary; leave it out for a {licence}", "valid_until")
        after = replace(case, state=state, licence=licence, valid_until=None)
    timers = _drop_permit_expiry(case) + permit_timers(after)
    return Decision(after, (LicenceGranted(**cmd.model_dump()),), timers)


def _grant_permit(case: Case, granted_on: date, valid_until: date | None) -> Case:
    state = case.next_state(Action.GRANT_BERUFSERLAUBNIS)
    first = case.first_permit_on or granted_on
    latest = add_months(first, BERUFSERLAUBNIS_MONTHS)
    if valid_until is None:
        raise InvalidValue("a Berufserlaubnis is temporary: give its last day of validity", "valid_until")
    if valid_until < granted_on:
        raise InvalidValue(f"must not be before granted_on {granted_on}", "valid_until")
    if valid_until > latest:
        raise InvalidValue(
            f"a Berufserlaubnis lasts at most 2 years in total (since {first}): {latest} at the latest", "valid_until"
        )
    return replace(case, state=state, licence=Licence.BERUFSERLAUBNIS, valid_until=valid_until, first_permit_on=first)


# Due dates passing.


def receipt_overdue(case: Case, submitted_on: date, due_on: date, track: Track) -> Decision[Case]:
    """Raised only while the case still waits for the authority to confirm receipt (not confirmed, not closed)."""
    if not case.awaits_receipt():
        return Decision(case)
    overdue = ReceiptOverdue(
        participant_id=case.participant_id,
        submitted_on=submitted_on,
        receipt_due_on=due_on,
        track=RecognitionTrack(track),
    )
    return Decision(case, (overdue,))


def documents_overdue(case: Case, due_on: date) -> Decision[Case]:
    """Raised only while the file is still not complete and that day is still the one the authority gave."""
    if not case.awaits_documents_by(due_on):
        return Decision(case)
    missing = frozenset(DocumentKind(d) for d in case.missing_documents)
    overdue = DocumentsOverdue(participant_id=case.participant_id, documents_due_on=due_on, missing_documents=missing)
    return Decision(case, (overdue,))


def decision_overdue(case: Case, due_on: date) -> Decision[Case]:
    """Raised only while the case still waits for a decision due that day (not decided, extended or closed)."""
    if not case.awaits_decision_by(due_on):
        return Decision(case)
    return Decision(case, (DecisionOverdue(participant_id=case.participant_id, decision_due_on=due_on),))


def licence_ending(case: Case, licence: LicenceKind, valid_until: date, *, expired: bool) -> Decision[Case]:
    """Announced (`expired=False`) or reported ended, only while that Berufserlaubnis is the case's latest licence."""
    if not case.relies_on_permit_until(valid_until):
        return Decision(case)
    event = LicenceExpired if expired else LicenceExpiring
    return Decision(case, (event(participant_id=case.participant_id, licence=licence, valid_until=valid_until),))


def receipt_timer(case: Case, submitted_on: date, due: date, track: Track) -> Due:
    data = {"submitted_on": submitted_on.isoformat(), "receipt_due_on": due.isoformat(), "track": str(track)}
    return Due(case.participant_id, DueDate.RECEIPT, due.isoformat(), passed(due), data)


def documents_timer(case: Case, due: date) -> Due:
    data = {"documents_due_on": due.isoformat()}
    return Due(case.participant_id, DueDate.DOCUMENTS, due.isoformat(), passed(due), data)


def _drop_documents_due(case: Case) -> tuple[Drop, ...]:
    due = case.documents_due_on
    return () if due is None else (Drop(case.participant_id, DueDate.DOCUMENTS, due.isoformat()),)


def decision_timer(case: Case, due: date) -> Due:
    data = {"decision_due_on": due.isoformat()}
    return Due(case.participant_id, DueDate.DECISION, due.isoformat(), passed(due), data)


def _drop_decision_due(case: Case, due: date) -> Drop:
    return Drop(case.participant_id, DueDate.DECISION, due.isoformat())


PERMIT_ENDING = (DueDate.LICENCE_EXPIRING, DueDate.LICENCE_EXPIRED)


def permit_timers(case: Case) -> tuple[Due, ...]:
    """Warn some weeks before the case's Berufserlaubnis ends, and say when it has ended."""
    until = case.valid_until
    if until is None:
        return ()
    data = {"licence": str(case.licence), "valid_until": until.isoformat()}
    at = (start_of(licence_warning_on(until)), passed(until))
    return tuple(
        Due(case.participant_id, kind, until.isoformat(), when, data)
        for kind, when in zip(PERMIT_ENDING, at, strict=True)
    )


def _drop_permit_expiry(case: Case) -> tuple[Drop, ...]:
    until = case.valid_until
    return () if until is None else tuple(Drop(case.participant_id, kind, until.isoformat()) for kind in PERMIT_ENDING)
