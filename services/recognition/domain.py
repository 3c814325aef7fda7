"""Recognition's rules: a case's states, what each command may do in them, and the legal due dates. Pure."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from services.recognition.dates import add_months

LICENCE_WARNING = timedelta(weeks=8)  # notice before a Berufserlaubnis ends, to arrange what comes next
BERUFSERLAUBNIS_MONTHS = 24  # § 10(2) BÄO: at most two years in total
DOCTOR = "doctor"


class CaseState(StrEnum):
    OPENED = "opened"
    COUNSELLED = "counselled"
    SUBMITTED = "submitted"
    RECEIPT_CONFIRMED = "receipt_confirmed"
    COMPLETE = "complete"
    DECIDED = "decided"
    MEASURE_CHOSEN = "measure_chosen"
    LICENSED = "licensed"
    CLOSED = "closed"


# The domain's own words for the codes it branches on; their values are the contracts' (a unit test pins that).
class Track(StrEnum):
    STANDARD = "standard"
    FAST_TRACK_81A = "fast_track_81a"
    RECOGNITION_PARTNERSHIP_16D = "recognition_partnership_16d"


class Outcome(StrEnum):
    FULL_EQUIVALENCE = "full_equivalence"
    PARTIAL_EQUIVALENCE = "partial_equivalence"
    COMPENSATION_REQUIRED = "compensation_required"
    REJECTED = "rejected"


class Licence(StrEnum):
    BERUFSERLAUBNIS = "berufserlaubnis"
    APPROBATION = "approbation"
    NURSING_LICENCE = "nursing_licence"
    OTHER = "other"


class Action(StrEnum):
    RECORD_COUNSELLING = "record counselling"
    SUBMIT_APPLICATION = "submit application"
    CONFIRM_RECEIPT = "confirm receipt"
    COMPLETE_APPLICATION = "complete application"
    EXTEND_DEADLINE = "extend deadline"
    RECORD_DECISION = "record decision"
    CHOOSE_MEASURE = "choose compensation measure"
    GRANT_LICENCE = "grant licence"
    GRANT_BERUFSERLAUBNIS = "grant Berufserlaubnis"


# Decision deadline once the file is complete: BQFG §6(3)/§13(3) and the sector laws 3 months; the fast track
# (§81a AufenthG, §14a BQFG) 2 months; a recognition partnership (§16d AufenthG) runs the standard procedure.
DECISION_MONTHS: dict[Track, int] = {
    Track.STANDARD: 3,
    Track.FAST_TRACK_81A: 2,
    Track.RECOGNITION_PARTNERSHIP_16D: 3,
}
LICENSABLE = frozenset({Outcome.FULL_EQUIVALENCE, Outcome.COMPENSATION_REQUIRED})

S, A = CaseState, Action


def _open(state: CaseState, moves: dict[Action, CaseState]) -> dict[Action, CaseState]:
    """Counselling and a doctor's temporary Berufserlaubnis fit every open state and leave it as it is."""
    return {A.RECORD_COUNSELLING: state, **moves, A.GRANT_BERUFSERLAUBNIS: state}


# state -> action -> next state. Withdrawal closes a case in any state; it is recruitment's event, not a command.
TRANSITIONS: dict[CaseState, dict[Action, CaseState]] = {
    S.OPENED: _open(S.OPENED, {A.RECORD_COUNSELLING: S.COUNSELLED, A.SUBMIT_APPLICATION: S.SUBMITTED}),
    S.COUNSELLED: _open(S.COUNSELLED, {A.SUBMIT_APPLICATION: S.SUBMITTED}),
    S.SUBMITTED: _open(S.SUBMITTED, {A.CONFIRM_RECEIPT: S.RECEIPT_CONFIRMED}),
    S.RECEIPT_CONFIRMED: _open(S.RECEIPT_CONFIRMED, {A.COMPLETE_APPLICATION: S.COMPLETE}),
    S.COMPLETE: _open(S.COMPLETE, {A.EXTEND_DEADLINE: S.COMPLETE, A.RECORD_DECISION: S.DECIDED}),
    S.DECIDED: _open(S.DECIDED, {A.CHOOSE_MEASURE: S.MEASURE_CHOSEN, A.GRANT_LICENCE: S.LICENSED}),
    S.MEASURE_CHOSEN: _open(S.MEASURE_CHOSEN, {A.GRANT_LICENCE: S.LICENSED}),
    S.LICENSED: {},
    S.CLOSED: {},
}


class RecognitionError(Exception):
    """A command that recognition's rules refuse."""


class NotAllowed(RecognitionError):
    """The command does not fit the case's current state."""

    def __init__(self, action: Action, case: Case, why: str | None = None) -> None:
        allowed = ", ".join(case.allowed()) or "nothing"
        because = f"{why}; " if why else ""
        super().__init__(f"cannot {action}: {because}the case is {case.describe()}; allowed now: {allowed}")


class InvalidCommand(RecognitionError):
    """A field's value breaks a rule (a date, a measure that was not offered)."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


def _decided_as(case: Case) -> str:
    return f"the decision was {case.outcome}"


def _permit_refusal(case: Case) -> str | None:
    if case.profession != DOCTOR:
        return f"a Berufserlaubnis is for doctors and this case is for {case.profession}"
    return None if case.outcome is None or case.outcome in LICENSABLE else _decided_as(case)


# Why an action the table lists for the state is still refused for this case (None: allowed).
GUARDS: dict[Action, Callable[[Case], str | None]] = {
    A.EXTEND_DEADLINE: lambda c: "the deadline can be extended once and was extended already" if c.extended else None,
    A.CHOOSE_MEASURE: lambda c: None if c.outcome is Outcome.COMPENSATION_REQUIRED else _decided_as(c),
    A.GRANT_LICENCE: lambda c: None if c.outcome in LICENSABLE else _decided_as(c),
    A.GRANT_BERUFSERLAUBNIS: _permit_refusal,
}


class Case(BaseModel):
    """One participant's recognition case; every change returns a new case or raises a `RecognitionError`."""

    model_config = ConfigDict(frozen=True)

    participant_id: UUID
    state: CaseState = CaseState.OPENED
    target_profession: str
    reference_profession: str | None = None
    track: Track | None = None
    decision_due_on: date | None = None
    extended: bool = False
    outcome: Outcome | None = None
    measures_offered: frozenset[str] = frozenset()
    measure: str | None = None
    licence: Licence | None = None
    valid_until: date | None = None
    first_permit_on: date | None = None

    @property
    def profession(self) -> str:
        """The profession applied for once submitted, the target profession before."""
        return self.reference_profession or self.target_profession

    def describe(self) -> str:
        return f"{self.state} ({self.outcome})" if self.state is CaseState.DECIDED else str(self.state)

    def allowed(self) -> list[Action]:
        return [a for a in TRANSITIONS[self.state] if self._refusal(a) is None]

    def _refusal(self, action: Action) -> str | None:
        guard = GUARDS.get(action)
        return None if guard is None else guard(self)

    def _move(self, action: Action, **changes: object) -> Case:
        moves = TRANSITIONS[self.state]
        if action not in moves:
            raise NotAllowed(action, self)
        if (why := self._refusal(action)) is not None:
            raise NotAllowed(action, self, why)
        return self.model_copy(update={"state": moves[action], **changes})

    def retarget(self, profession: str) -> Case:
        """An intake may change the target profession until the application is submitted."""
        if self.state in (CaseState.OPENED, CaseState.COUNSELLED):
            return self.model_copy(update={"target_profession": profession})
        return self

    def record_counselling(self) -> Case:
        return self._move(A.RECORD_COUNSELLING)

    def submit(self, reference_profession: str, track: Track) -> Case:
        return self._move(A.SUBMIT_APPLICATION, reference_profession=reference_profession, track=track)

    def confirm_receipt(self) -> Case:
        return self._move(A.CONFIRM_RECEIPT)

    def complete(self, complete_on: date) -> Case:
        track = self.track or Track.STANDARD
        return self._move(A.COMPLETE_APPLICATION, decision_due_on=decision_due_on(complete_on, track))

    def extend(self, new_due_on: date) -> Case:
        extended = self._move(A.EXTEND_DEADLINE, decision_due_on=new_due_on, extended=True)
        if self.decision_due_on is not None and new_due_on <= self.decision_due_on:
            raise InvalidCommand("new_decision_due_on", f"must be later than the current {self.decision_due_on}")
        return extended

    def decide(self, outcome: Outcome, measures_offered: frozenset[str]) -> Case:
        decided = self._move(A.RECORD_DECISION, outcome=outcome, measures_offered=measures_offered)
        if (outcome is Outcome.COMPENSATION_REQUIRED) != bool(measures_offered):
            raise InvalidCommand("measures_offered", "given with compensation_required and only with it")
        return decided

    def choose(self, measure: str) -> Case:
        chosen = self._move(A.CHOOSE_MEASURE, measure=measure)
        if measure not in self.measures_offered:
            offered = ", ".join(sorted(self.measures_offered))
            raise InvalidCommand("measure", f"{measure} was not offered; offered: {offered}")
        return chosen

    def grant(self, licence: Licence, granted_on: date, valid_until: date | None) -> Case:
        if licence is Licence.BERUFSERLAUBNIS:
            return self._grant_permit(granted_on, valid_until)
        granted = self._move(A.GRANT_LICENCE, licence=licence, valid_until=None)
        if valid_until is not None:
            raise InvalidCommand("valid_until", "only a Berufserlaubnis is temporary; leave it out for a " + licence)
        return granted

    def _grant_permit(self, granted_on: date, valid_until: date | None) -> Case:
        first = self.first_permit_on or granted_on
        granted = self._move(
            A.GRANT_BERUFSERLAUBNIS, licence=Licence.BERUFSERLAUBNIS, valid_until=valid_until, first_permit_on=first
        )
        latest = add_months(first, BERUFSERLAUBNIS_MONTHS)
        if valid_until is None:
            raise InvalidCommand("valid_until", "a Berufserlaubnis is temporary: give its last day of validity")
        if valid_until < granted_on:
            raise InvalidCommand("valid_until", f"must not be before granted_on {granted_on}")
        if valid_until > latest:
            raise InvalidCommand(
                "valid_until",
                f"a Berufserlaubnis lasts at most 2 years in total (since {first}): {latest} at the latest",
            )
        return granted

    def close(self) -> Case:
        """The participant withdrew: the case closes whatever its state."""
        return self.model_copy(update={"state": CaseState.CLOSED})

    def awaits_decision_by(self, due_on: date) -> bool:
        """True while no decision is recorded and `due_on` is still the case's decision due date."""
        return self.state is CaseState.COMPLETE and self.decision_due_on == due_on

    def relies_on_permit_until(self, valid_until: date) -> bool:
        """True while this Berufserlaubnis is the case's latest licence and the case is open."""
        return (
            self.state is not CaseState.CLOSED
            and self.licence is Licence.BERUFSERLAUBNIS
            and self.valid_until == valid_until
        )


def decision_due_on(complete_on: date, track: Track) -> date:
    """Last day for the decision: months by track, counted from the day the file became complete."""
    return add_months(complete_on, DECISION_MONTHS[track])


def licence_warning_on(valid_until: date) -> date:
    """Day to warn that a Berufserlaubnis ends."""
    return valid_until - LICENCE_WARNING
