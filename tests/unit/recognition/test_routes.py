"""Every row of the route tables (shared/contracts/routes.py) as recognition applies them: the route an application
takes, the law it must name, the decisions, measures and licences each route allows, the follow-up after a partial
equivalence, the change of measure and the decision period. The expectations are written out, not read back from
the tables, so a changed row shows here."""

from __future__ import annotations

from datetime import date

import pytest

from services.recognition import domain
from services.recognition.domain import Case, CaseState, Outcome, Track
from shared.contracts.enums import CompensationMeasure, Profession, Route
from shared.contracts.recognition import ApplicationSubmitted, LegalBasis, LicenceKind
from shared.refusals import InvalidValue, NotAllowed
from tests.unit.recognition.steps import (
    EU,
    THIRD_COUNTRY,
    application,
    choice,
    comparability,
    complete_on,
    completion,
    extension,
    licence,
    no_recognition_needed,
    opened,
    qualified,
    receipt,
    ruling,
    submitted,
    trained,
)

OUT, M, L, B = Outcome, CompensationMeasure, LicenceKind, LegalBasis
APPLICATION_ROUTES = (Route.NON_REGULATED, Route.REGULATED, Route.DOCTOR, Route.NURSE)


@pytest.mark.parametrize(
    ("profession", "basis", "regulated", "route"),
    [
        (Profession.DOCTOR, B.BAEO, None, Route.DOCTOR),
        (Profession.NURSING_PROFESSIONAL, B.PFLBG, None, Route.NURSE),
        (Profession.NURSING_ASSISTANT, B.LAND_BQFG, None, Route.REGULATED),  # Land law, whatever is said
        (Profession.NURSING_ASSISTANT, B.BQFG, False, Route.REGULATED),
        (Profession.HOME_CARE, B.BQFG, None, Route.NON_REGULATED),  # Häusliche Betreuung is not regulated
        (Profession.HOME_CARE, B.LAND_BQFG, True, Route.NON_REGULATED),
        (Profession.OTHER, B.BQFG, True, Route.REGULATED),  # as the application says
        (Profession.OTHER, B.LAND_BQFG, False, Route.NON_REGULATED),
        (Profession.OTHER, B.LAND_BQFG, None, Route.REGULATED),  # unsaid: a Land law regulates
        (Profession.OTHER, B.BQFG, None, Route.NON_REGULATED),  # unsaid: the federal BQFG does not
        (Profession.OTHER, B.OTHER, None, Route.NON_REGULATED),
    ],
)
def test_an_application_takes_its_route_from_the_profession_then_its_regulation_status(
    profession: Profession, basis: LegalBasis, regulated: bool | None, route: Route
) -> None:
    decision = domain.submit(opened(profession), application(profession, legal_basis=basis, regulated=regulated))

    assert decision.state.route is route
    [submitted_event] = decision.events
    assert isinstance(submitted_event, ApplicationSubmitted) and submitted_event.route is route
    assert submitted_event.regulated is regulated


LAWS = {
    Route.DOCTOR: {B.BAEO},
    Route.NURSE: {B.PFLBG},
    Route.REGULATED: {B.BQFG, B.LAND_BQFG, B.OTHER},
    Route.NON_REGULATED: {B.BQFG, B.LAND_BQFG, B.OTHER},
}
BY_ROUTE = {
    Route.DOCTOR: (Profession.DOCTOR, None),
    Route.NURSE: (Profession.NURSING_PROFESSIONAL, None),
    Route.REGULATED: (Profession.OTHER, True),
    Route.NON_REGULATED: (Profession.OTHER, False),
}


@pytest.mark.parametrize("route", APPLICATION_ROUTES)
@pytest.mark.parametrize("basis", list(LegalBasis))
def test_an_application_must_name_a_law_its_route_runs_under(route: Route, basis: LegalBasis) -> None:
    profession, regulated = BY_ROUTE[route]
    command = application(profession, legal_basis=basis, regulated=regulated)
    if basis in LAWS[route]:
        assert domain.submit(opened(profession), command).state.route is route
        return
    with pytest.raises(InvalidValue, match=f"on the {route} route runs under") as refused:
        domain.submit(opened(profession), command)
    assert refused.value.field == "legal_basis"


OUTCOMES = {
    Route.NON_REGULATED: {OUT.FULL_EQUIVALENCE, OUT.PARTIAL_EQUIVALENCE, OUT.REJECTED},
    Route.REGULATED: {OUT.FULL_EQUIVALENCE, OUT.COMPENSATION_REQUIRED, OUT.REJECTED},
    Route.DOCTOR: {OUT.FULL_EQUIVALENCE, OUT.COMPENSATION_REQUIRED, OUT.REJECTED},
    Route.NURSE: {OUT.FULL_EQUIVALENCE, OUT.COMPENSATION_REQUIRED, OUT.REJECTED},
}


@pytest.mark.parametrize("route", APPLICATION_ROUTES)
@pytest.mark.parametrize("outcome", list(Outcome))
def test_a_decision_is_one_its_route_allows(route: Route, outcome: Outcome) -> None:
    offered = frozenset({"aptitude_test"})  # allowed wherever compensation is, for EU training
    command = ruling(outcome, offered)
    if outcome in OUTCOMES[route]:
        assert domain.decide(complete_on(route, EU), command).state.outcome is outcome
        return
    with pytest.raises(InvalidValue, match=f"the {route} route allows: ") as refused:
        domain.decide(complete_on(route, EU), command)
    assert refused.value.field == "outcome"


def test_the_refusal_of_an_outcome_says_why() -> None:
    with pytest.raises(InvalidValue, match="partial equivalence exists only for non-regulated professions"):
        domain.decide(complete_on(Route.NURSE), ruling(OUT.PARTIAL_EQUIVALENCE))
    with pytest.raises(InvalidValue, match="compensation_required exists only for regulated professions"):
        domain.decide(complete_on(Route.NON_REGULATED), ruling(OUT.COMPENSATION_REQUIRED))


MEASURES = {
    (Route.REGULATED, EU): {M.ADAPTATION_COURSE, M.APTITUDE_TEST},
    (Route.REGULATED, THIRD_COUNTRY): {M.ADAPTATION_COURSE, M.APTITUDE_TEST},
    (Route.DOCTOR, EU): {M.APTITUDE_TEST},
    (Route.DOCTOR, THIRD_COUNTRY): {M.KNOWLEDGE_TEST},
    (Route.NURSE, EU): {M.ADAPTATION_COURSE, M.APTITUDE_TEST},
    (Route.NURSE, THIRD_COUNTRY): {M.ADAPTATION_COURSE, M.KNOWLEDGE_TEST},
}


@pytest.mark.parametrize(("route", "country"), list(MEASURES))
@pytest.mark.parametrize("measure", list(CompensationMeasure))
def test_the_measures_offered_are_those_the_route_allows_for_where_the_participant_trained(
    route: Route, country: str, measure: CompensationMeasure
) -> None:
    case, command = complete_on(route, country), ruling(OUT.COMPENSATION_REQUIRED, frozenset({str(measure)}))
    if measure in MEASURES[(route, country)]:
        assert domain.decide(case, command).state.measures_offered == {measure}
        return
    where = "in" if country == EU else "outside"
    with pytest.raises(InvalidValue, match=f"the {route} route, trained {where} the EU/EEA/CH: ") as refused:
        domain.decide(case, command)
    assert refused.value.field == "measures_offered" and str(refused.value).endswith(f"offered: {measure}")


def test_an_unknown_country_of_training_takes_the_third_country_measures() -> None:
    with pytest.raises(InvalidValue, match="trained outside the EU/EEA/CH: knowledge_test only"):
        domain.decide(complete_on(Route.DOCTOR, None), ruling(OUT.COMPENSATION_REQUIRED, frozenset({"aptitude_test"})))


def _completed(case: Case) -> Case:
    return domain.complete(domain.confirm_receipt(case, receipt()).state, completion()).state


LICENCES = {
    Route.NON_REGULATED: set(),
    Route.REGULATED: {L.OTHER},
    Route.DOCTOR: {L.APPROBATION, L.BERUFSERLAUBNIS},
    Route.NURSE: {L.NURSING_LICENCE},
}


@pytest.mark.parametrize("route", APPLICATION_ROUTES)
@pytest.mark.parametrize("kind", list(LicenceKind))
def test_an_application_route_ends_only_in_its_licences(route: Route, kind: LicenceKind) -> None:
    case = qualified(domain.decide(complete_on(route), ruling(OUT.FULL_EQUIVALENCE)).state)
    until = date(2026, 8, 31) if kind is L.BERUFSERLAUBNIS else None
    command = licence(kind, date(2025, 9, 1), until)
    if kind in LICENCES[route]:
        assert domain.grant(case, command).state.licence == kind
        return
    ends_in = ", ".join(sorted(LICENCES[route])) or "no licence"
    with pytest.raises(NotAllowed, match=f"cannot grant licence {kind}: the {route} route ends in {ends_in}$"):
        domain.grant(case, command)


@pytest.mark.parametrize(
    ("case", "route"),
    [
        (domain.state_comparability(opened(), comparability()).state, Route.STATEMENT_OF_COMPARABILITY),
        (domain.not_needed(opened(), no_recognition_needed()).state, Route.NO_RECOGNITION_NEEDED),
    ],
)
@pytest.mark.parametrize("kind", list(LicenceKind))
def test_the_routes_without_an_application_end_in_no_licence(case: Case, route: Route, kind: LicenceKind) -> None:
    with pytest.raises(NotAllowed, match=f"the {route} route ends in no licence"):
        domain.grant(case, licence(kind, date(2025, 9, 1)))


@pytest.mark.parametrize("kind", list(LicenceKind))
@pytest.mark.parametrize("profession", list(Profession))
def test_vocational_training_ends_in_a_nursing_licence_for_nurses_only(
    kind: LicenceKind, profession: Profession
) -> None:
    case = trained(profession)
    if kind is L.NURSING_LICENCE and profession is Profession.NURSING_PROFESSIONAL:
        assert domain.grant(case, licence(kind, date(2028, 9, 1))).state.state is CaseState.LICENSED
        return
    ends_in = "nursing_licence" if profession is Profession.NURSING_PROFESSIONAL else "no licence"
    with pytest.raises(NotAllowed, match=f"the vocational_training route as {profession} ends in {ends_in}"):
        domain.grant(case, licence(kind, date(2028, 9, 1), date(2029, 9, 1) if kind is L.BERUFSERLAUBNIS else None))


@pytest.mark.parametrize("route", APPLICATION_ROUTES)
@pytest.mark.parametrize("outcome", list(Outcome))
def test_a_follow_up_application_follows_only_a_partial_equivalence_on_the_non_regulated_route(
    route: Route, outcome: Outcome
) -> None:
    if outcome not in OUTCOMES[route]:
        return  # no such decision on this route (test_a_decision_is_one_its_route_allows)
    decided = domain.decide(complete_on(route, EU), ruling(outcome, frozenset({"aptitude_test"}))).state
    profession, regulated = BY_ROUTE[route]
    basis = B.BQFG if route is Route.NON_REGULATED else None
    follow_up = application(profession, legal_basis=basis, regulated=regulated)
    if route is Route.NON_REGULATED and outcome is OUT.PARTIAL_EQUIVALENCE:
        assert domain.submit(decided, follow_up).state.state is CaseState.SUBMITTED
        return
    with pytest.raises(NotAllowed, match="a follow-up application follows only a partial equivalence on the non_re"):
        domain.submit(decided, follow_up)


def test_a_follow_up_application_starts_a_new_cycle_with_its_own_receipt_deadline() -> None:
    first = domain.extend(complete_on(Route.NON_REGULATED), extension(date(2025, 8, 10))).state
    partial = domain.decide(first, ruling(OUT.PARTIAL_EQUIVALENCE)).state
    follow_up = application(Profession.OTHER, legal_basis=B.BQFG, regulated=False)

    decision = domain.submit(partial, follow_up.model_copy(update={"submitted_on": date(2025, 9, 1)}))

    again = decision.state
    assert (again.state, again.outcome, again.measures_offered, again.extended, again.decision_due_on) == (
        CaseState.SUBMITTED,
        None,
        frozenset(),
        False,
        None,
    )
    assert [(t.kind, t.key) for t in decision.timers] == [("receipt_due", "2025-10-01")]
    completed = _completed(again)
    assert completed.decision_due_on == date(2025, 6, 10)  # completion() is on 10 March: three months on


@pytest.mark.parametrize(("route", "may_change"), [(Route.REGULATED, True), (Route.NURSE, True), (Route.DOCTOR, False)])
def test_a_measure_may_be_changed_where_the_route_gives_a_choice(route: Route, may_change: bool) -> None:
    offered = {Route.REGULATED: {"adaptation_course", "aptitude_test"}, Route.DOCTOR: {"aptitude_test"}}
    measures = frozenset(offered.get(route, {"adaptation_course", "aptitude_test"}))
    decided = domain.decide(complete_on(route, EU), ruling(OUT.COMPENSATION_REQUIRED, measures)).state
    first, other = "aptitude_test", "adaptation_course"
    chosen = domain.choose(decided, choice(first)).state
    if may_change:
        changed = domain.choose(chosen, choice(other))
        assert changed.state.measure == other and changed.state.state is CaseState.MEASURE_CHOSEN
        return
    with pytest.raises(NotAllowed, match="on the doctor route the measure offered is taken once"):
        domain.choose(chosen, choice(other))


@pytest.mark.parametrize("route", APPLICATION_ROUTES)
@pytest.mark.parametrize("track", list(Track))
@pytest.mark.parametrize("country", [EU, THIRD_COUNTRY, None])
def test_the_decision_period_by_route_track_and_country_of_training(
    route: Route, track: Track, country: str | None
) -> None:
    if track is Track.FAST_TRACK_81A:
        months = 2  # §81a AufenthG, §14a BQFG and the health laws' fast-track clauses
    elif route in (Route.DOCTOR, Route.NURSE) and country != EU:
        months = 4  # Directive 2005/36/EC Art. 51(2): the general system, one more month
    else:
        months = 3  # BQFG §6(3)/§13(3); the health laws for EU training
    due = {2: date(2025, 5, 10), 3: date(2025, 6, 10), 4: date(2025, 7, 10)}[months]  # complete on 10 March
    assert complete_on(route, country, track).decision_due_on == due


def test_the_route_ahead_of_the_application_is_found_by_the_counselling() -> None:
    assert submitted().route is Route.NURSE
    assert domain.state_comparability(opened(), comparability()).state.route is Route.STATEMENT_OF_COMPARABILITY
    assert domain.not_needed(opened(), no_recognition_needed()).state.route is Route.NO_RECOGNITION_NEEDED
    assert trained().route is Route.VOCATIONAL_TRAINING
