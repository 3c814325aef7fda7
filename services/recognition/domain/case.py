"""A recognition case and the procedure it follows: its states, what each state allows (and why a step the table
lists is still refused), and the legal periods. Pure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from uuid import UUID

from shared.calendar import add_months
from shared.refusals import NotAllowed

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

# Receipt confirmation after submission (the authority also lists missing documents): BQFG §6(3)/§13(3) and the
# sector laws 1 month; the fast track (§14a BQFG, §81a AufenthG) 2 weeks; a recognition partnership (§16d
# AufenthG) runs the standard procedure. Months count by the calendar (§188 BGB), weeks as days.
RECEIPT_PERIODS: dict[Track, tuple[int, timedelta]] = {
    Track.STANDARD: (1, timedelta()),
    Track.FAST_TRACK_81A: (0, timedelta(weeks=2)),
    Track.RECOGNITION_PARTNERSHIP_16D: (1, timedelta()),
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


@dataclass(frozen=True, slots=True)
class Case:
    """One participant's recognition case: coarse codes and dates, no personal data."""

    participant_id: UUID
    target_profession: str
    state: CaseState = CaseState.OPENED
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

    def next_state(self, action: Action) -> CaseState:
        """The state `action` leads to, or `NotAllowed` naming the state and what it allows now."""
        moves = TRANSITIONS[self.state]
        why = self._refusal(action) if action in moves else None
        if action not in moves or why is not None:
            allowed = ", ".join(self.allowed()) or "nothing"
            because = f"{why}; " if why else ""
            raise NotAllowed(f"cannot {action}: {because}the case is {self.describe()}; allowed now: {allowed}")
        return moves[action]

    def awaits_receipt(self) -> bool:
        """True while the application is submitted and the authority has not confirmed its receipt."""
        return self.state is CaseState.SUBMITTED

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


def receipt_due_on(submitted_on: date, track: Track) -> date:
    """Last day for the authority to confirm receipt: the track's period, counted from the day of submission."""
    months, extra = RECEIPT_PERIODS[track]
    return add_months(submitted_on, months) + extra


def decision_due_on(complete_on: date, track: Track) -> date:
    """Last day for the decision: months by track, counted from the day the file became complete."""
    return add_months(complete_on, DECISION_MONTHS[track])


def licence_warning_on(valid_until: date) -> date:
    """Day to warn that a Berufserlaubnis ends."""
    return valid_until - LICENCE_WARNING
