"""A recognition case and the procedure it follows: its states, what each state allows (and why a step the table
lists is still refused, by the case's route), and the legal periods. Pure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from uuid import UUID

from shared.calendar import add_months
from shared.contracts.enums import Profession, RecognitionTrack, Route
from shared.contracts.recognition import LicenceKind
from shared.contracts.routes import RULES, RouteRule, decision_months
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
    COMPARABILITY_STATED = "comparability_stated"
    NOT_NEEDED = "not_needed"
    IN_TRAINING = "in_training"
    TRAINED = "trained"
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
    RECORD_COMPARABILITY = "record comparability statement"
    RECORD_NO_RECOGNITION_NEEDED = "record no recognition needed"
    START_TRAINING = "start training"
    COMPLETE_TRAINING = "complete training"


# Receipt confirmation after submission (the authority also lists missing documents): BQFG §6(3)/§13(3) and the
# sector laws 1 month; the fast track (§14a BQFG, §81a AufenthG) 2 weeks; a recognition partnership (§16d
# AufenthG) runs the standard procedure. Months count by the calendar (§188 BGB), weeks as days.
RECEIPT_PERIODS: dict[Track, tuple[int, timedelta]] = {
    Track.STANDARD: (1, timedelta()),
    Track.FAST_TRACK_81A: (0, timedelta(weeks=2)),
    Track.RECOGNITION_PARTNERSHIP_16D: (1, timedelta()),
}
# A recognition partnership (§16d(3) AufenthG, since March 2024): the person works for an employer while the
# recognition runs — German at A2 at least, a written agreement with the employer, the procedure applied for after
# entry (so: living in Germany when it is submitted).
PARTNERSHIP_MIN_LEVEL = "A2"
CEFR_ORDER = ("A1", "A2", "B1", "B2", "C1", "C2")


def partnership_refusal(case: Case, employer: str | None) -> str | None:
    """Why the case cannot run as a recognition partnership now (None: it can)."""
    if employer is None:
        return "a recognition partnership names its employer (partnership_employer), §16d(3) AufenthG"
    level = case.language_level
    if level is None or CEFR_ORDER.index(level) < CEFR_ORDER.index(PARTNERSHIP_MIN_LEVEL):
        return f"a recognition partnership needs German at A2 at least (§16d(3) AufenthG); recorded: {level or 'none'}"
    if case.residence != "in_germany":
        return "a recognition partnership is applied for after entry (§16d(3) AufenthG); the participant lives abroad"
    return None


# The decisions a licence can follow (with the chosen measure passed after compensation_required); which of them a
# route allows at all is `RULES[route].outcomes` in shared/contracts/routes.py.
LICENSABLE = frozenset({Outcome.FULL_EQUIVALENCE, Outcome.COMPENSATION_REQUIRED})

S, A = CaseState, Action

# The routes that close the recognition stage without an application (shared/contracts/routes.py, `applies`
# False): from before the application, as the counselling finds.
OTHER_ROUTES = {A.RECORD_COMPARABILITY: S.COMPARABILITY_STATED, A.RECORD_NO_RECOGNITION_NEEDED: S.NOT_NEEDED}


def _open(state: CaseState, moves: dict[Action, CaseState]) -> dict[Action, CaseState]:
    """Counselling and a doctor's temporary Berufserlaubnis fit every open state and leave it as it is."""
    return {A.RECORD_COUNSELLING: state, **moves, A.GRANT_BERUFSERLAUBNIS: state}


# state -> action -> next state. Withdrawal closes a case in any state and a reactivation reopens it in the state it
# was closed in (`life_cycle`): recruitment's events, not commands.
# Before the application the counselling finds the route: an application (BQFG, PflBG, BÄO), a ZAB statement of
# comparability, no procedure at all, or vocational training in Germany (RULES in shared/contracts/routes.py).
BEFORE_APPLICATION = {A.SUBMIT_APPLICATION: S.SUBMITTED, **OTHER_ROUTES, A.START_TRAINING: S.IN_TRAINING}
TRANSITIONS: dict[CaseState, dict[Action, CaseState]] = {
    S.OPENED: _open(S.OPENED, {A.RECORD_COUNSELLING: S.COUNSELLED, **BEFORE_APPLICATION}),
    S.COUNSELLED: _open(S.COUNSELLED, BEFORE_APPLICATION),
    S.SUBMITTED: _open(S.SUBMITTED, {A.CONFIRM_RECEIPT: S.RECEIPT_CONFIRMED}),
    S.RECEIPT_CONFIRMED: _open(S.RECEIPT_CONFIRMED, {A.COMPLETE_APPLICATION: S.COMPLETE}),
    S.COMPLETE: _open(S.COMPLETE, {A.EXTEND_DEADLINE: S.COMPLETE, A.RECORD_DECISION: S.DECIDED}),
    # A follow-up application after a partial equivalence (BQFG §§4-7, `follow_up_after_partial`) starts anew.
    S.DECIDED: _open(
        S.DECIDED, {A.CHOOSE_MEASURE: S.MEASURE_CHOSEN, A.GRANT_LICENCE: S.LICENSED, A.SUBMIT_APPLICATION: S.SUBMITTED}
    ),
    # A choice may change while no measure is passed (PflBG §40, BQFG §§9-11: `may_choose`).
    S.MEASURE_CHOSEN: _open(S.MEASURE_CHOSEN, {A.CHOOSE_MEASURE: S.MEASURE_CHOSEN, A.GRANT_LICENCE: S.LICENSED}),
    S.IN_TRAINING: _open(S.IN_TRAINING, {A.COMPLETE_TRAINING: S.TRAINED}),
    S.TRAINED: _open(S.TRAINED, {A.GRANT_LICENCE: S.LICENSED}),  # PflBG §§1-2: the licence after the examination
    S.LICENSED: {},
    S.COMPARABILITY_STATED: {},  # the statement closes the recognition stage (KMK/ZAB)
    S.NOT_NEEDED: {},  # closes the recognition stage (BQFG §2)
    S.CLOSED: {},
}


def _decided_as(case: Case) -> str:
    return f"the decision was {case.outcome}"


def licences_of(case: Case) -> frozenset[LicenceKind]:
    """What the case's route ends in (RULES[route].licences); vocational training in nursing only (PflBG §§1-2)."""
    if case.route is None:
        return frozenset(LicenceKind)  # not known before the counselling finds the route
    licences = RULES[case.route].licences
    if case.route is Route.VOCATIONAL_TRAINING and case.training_profession != Profession.NURSING_PROFESSIONAL:
        return frozenset()
    return licences


def route_ends_in(case: Case) -> str:
    licences = ", ".join(sorted(licences_of(case))) or "no licence"
    trained = f" as {case.training_profession}" if case.route is Route.VOCATIONAL_TRAINING else ""
    return f"the {case.route} route{trained} ends in {licences}"


def _permit_refusal(case: Case) -> str | None:
    if case.profession != DOCTOR:
        return f"a Berufserlaubnis is for doctors and this case is for {case.profession}"
    if LicenceKind.BERUFSERLAUBNIS not in licences_of(case):
        return route_ends_in(case)
    return None if case.outcome is None or case.outcome in LICENSABLE else _decided_as(case)


def _licence_refusal(case: Case) -> str | None:
    """A licence on an application route: a decision it can follow, no exam finally failed, and qualification's
    `QualificationCompleted` (recognition settled and the language proved). Training: the state says it all."""
    if case.route is Route.VOCATIONAL_TRAINING:
        return None
    if case.outcome not in LICENSABLE:
        return _decided_as(case)
    if case.finally_failed is not None:
        return f"the {case.finally_failed} was finally failed on {case.finally_failed_on}"
    if case.qualified_on is None:
        return f"waits for QualificationCompleted: {_unsettled(case)}"
    return None


def _unsettled(case: Case) -> str:
    if case.outcome is Outcome.FULL_EQUIVALENCE:
        return "the language is not proved yet"
    if case.measure is None:
        return "no compensation measure is chosen yet"
    return f"the chosen {case.measure} is not passed or the language not proved yet"


def _choice_refusal(case: Case) -> str | None:
    if case.state is S.DECIDED:
        return None if case.outcome is Outcome.COMPENSATION_REQUIRED else _decided_as(case)
    if not case.rule.may_choose:  # doctors: one measure offered, taken once (BÄO §3(2)-(3))
        return f"on the {case.route} route the measure offered is taken once and {case.measure} was chosen"
    if case.finally_failed is not None:
        return f"the {case.finally_failed} was finally failed on {case.finally_failed_on}"
    if case.qualified_on is not None:
        return f"the qualification was completed on {case.qualified_on}"
    return None


FOLLOW_UP_ROUTES = ", ".join(sorted(route for route, rule in RULES.items() if rule.follow_up_after_partial))


def _follow_up_refusal(case: Case) -> str | None:
    if case.state is not S.DECIDED:
        return None
    if not case.rule.follow_up_after_partial or case.outcome is not Outcome.PARTIAL_EQUIVALENCE:
        return f"a follow-up application follows only a partial equivalence on the {FOLLOW_UP_ROUTES} route"
    return None


# Why an action the table lists for the state is still refused for this case (None: allowed).
GUARDS: dict[Action, Callable[[Case], str | None]] = {
    A.SUBMIT_APPLICATION: _follow_up_refusal,
    A.EXTEND_DEADLINE: lambda c: "the deadline can be extended once and was extended already" if c.extended else None,
    A.CHOOSE_MEASURE: _choice_refusal,
    A.GRANT_LICENCE: _licence_refusal,
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
    route: Route | None = None
    country_of_training: str | None = None  # ISO 3166-1 alpha-2, recruitment's until the application
    occupation: str | None = None  # KldB 2010
    qualified_on: date | None = None  # qualification's QualificationCompleted
    finally_failed: str | None = None  # qualification's ExamFinallyFailed: the exam (and part), e.g. "knowledge_test"
    finally_failed_on: date | None = None
    documents_due_on: date | None = None
    missing_documents: frozenset[str] = frozenset()
    training_profession: str | None = None
    submitted_on: date | None = None  # of the latest application: its receipt due date is set again on reopening
    closed_from: CaseState | None = None  # the state a withdrawal closed the case in; a reactivation reopens it there
    closed_at: datetime | None = None  # when: due dates that had passed by then were raised before it closed
    language_level: str | None = None  # CEFR, recruitment's latest: a recognition partnership needs A2
    residence: str | None = None  # recruitment's latest: a recognition partnership is applied for after entry
    partnership_employer: str | None = None  # §16d(3) AufenthG: the employer of the agreement

    @property
    def profession(self) -> str:
        """The profession applied for once submitted, the target profession before."""
        return self.reference_profession or self.target_profession

    @property
    def rule(self) -> RouteRule:
        """The rules of the case's route; every state after the counselling has one (a migration set the older)."""
        assert self.route is not None, f"a {self.state} case has a route"
        return RULES[self.route]

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

    def awaits_documents_by(self, due_on: date) -> bool:
        """True while the file is not complete and `due_on` is still the day the authority gave for the documents."""
        return self.state is CaseState.RECEIPT_CONFIRMED and self.documents_due_on == due_on

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


def decision_due_on(complete_on: date, route: Route, track: Track, country_of_training: str | None) -> date:
    """Last day for the decision, counted from the day the file became complete: months by route, track and country
    of training (`decision_months` in shared/contracts/routes.py: 3; the health professions trained in a third
    country 4; the fast track 2)."""
    return add_months(complete_on, decision_months(route, RecognitionTrack(track), country_of_training))


def licence_warning_on(valid_until: date) -> date:
    """Day to warn that a Berufserlaubnis ends."""
    return valid_until - LICENCE_WARNING
