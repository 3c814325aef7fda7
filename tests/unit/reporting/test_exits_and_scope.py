"""What an exit counts as, and how a scope narrows what the filters ask for."""

from __future__ import annotations

from datetime import date

from services.reporting import cells
from services.reporting.cells import Dims
from services.reporting.domain.exits import COMPLETION_RESULTS, WITHDRAWAL_RESULTS, CountryGroup, country_group
from services.reporting.figures import FOLLOW_UP_KINDS, Filters, Role, Scope, assemble, days, visible
from shared.contracts.recruitment import ParticipationResult, WithdrawalReason

SAAR = Scope(Role.COORDINATOR, regions=frozenset({"DE-SL", "DE-RP"}))


def test_every_completion_result_and_withdrawal_reason_has_a_result_at_exit() -> None:
    assert set(COMPLETION_RESULTS) == set(ParticipationResult)
    assert set(WITHDRAWAL_RESULTS) == set(WithdrawalReason)
    for result in (ParticipationResult.IN_TRAINING, WithdrawalReason.TRAINING_STARTED_ELSEWHERE):
        assert (COMPLETION_RESULTS | WITHDRAWAL_RESULTS)[result] == "in_education_or_training"  # type: ignore[operator]


def test_the_country_group_follows_the_directive_and_unknown_is_a_third_country() -> None:
    assert country_group("PL") is CountryGroup.EU_EEA_CH
    assert country_group("CH") is CountryGroup.EU_EEA_CH
    assert country_group("PH") is CountryGroup.THIRD_COUNTRY
    assert country_group(None) is CountryGroup.THIRD_COUNTRY


def test_a_coordinator_sees_their_regions_and_a_filter_only_narrows_them() -> None:
    assert visible(Filters(), SAAR) == Dims(regions=("DE-RP", "DE-SL"))
    assert visible(Filters(region="DE-SL", district="10041"), SAAR) == Dims(regions=("DE-SL",), district="10041")
    assert visible(Filters(region="DE-BY"), SAAR) is None


def test_a_partner_sees_only_its_own_participants_whatever_the_filter_asks() -> None:
    partner = Scope(Role.PARTNER, org_id="care-home-x")
    assert visible(Filters(), partner) == Dims(org_id="care-home-x")
    assert visible(Filters(org_id="care-home-x", region="DE-BY"), partner) == Dims(("DE-BY",), org_id="care-home-x")
    assert visible(Filters(org_id="another-partner"), partner) is None
    assert visible(Filters(), Scope(Role.PARTNER)) is None


def test_a_funder_sees_every_region_and_the_filters_as_asked() -> None:
    assert visible(Filters(), Scope(Role.FUNDER)) == Dims()
    assert visible(Filters(org_id="x", country_group="eu_eea_ch"), Scope(Role.FUNDER)) == Dims(
        org_id="x", country_group="eu_eea_ch"
    )


def test_the_days_counted_are_the_periods_else_the_filters_else_all_time_until_today() -> None:
    today = date(2026, 6, 1)
    assert days(Filters(), None, today) == (date.min, today)
    assert days(Filters(from_day=date(2025, 1, 1)), None, today) == (date(2025, 1, 1), today)


def test_every_count_of_the_report_passes_disclosure_control() -> None:
    found = {
        ("participants", ""): 3,
        ("funnel", "recruitment:entered"): 12,
        ("funnel", "recognition:left"): 4,
        ("duration", "application_to_decision:90"): 4,
        ("duration", "application_to_decision:100"): 3,
        ("duration", "decision_to_licence:30"): 2,
        ("counselling", "first_contact"): 1,
        ("retention", "6:due"): 5,
        ("indicator", "gender:female"): 2,
        ("outcome", "exit:employed"): 7,
    }
    report = assemble(found, Filters(), SAAR, None, [])
    assert report.participants is None
    assert (report.funnel[0].entered, report.funnel[1].left, report.funnel[2].entered) == (12, None, 0)
    decisions = report.durations[1]
    assert (decisions.n, decisions.median_days, decisions.p75_days) == (7, 90.0, 100.0)
    licences = report.durations[2]
    assert (licences.n, licences.median_days) == (None, None)
    assert report.counselling[-1].count is None
    assert (report.retention[0].due, report.retention[0].ended) == (5, 0)
    assert [r.count for r in report.indicators if (r.indicator, r.category) == ("gender", "female")] == [None]
    assert [r.count for r in report.outcomes if r.stage == "exit"] == [7, 0, 0]
    assert len(FOLLOW_UP_KINDS) == 9 and [row.stage for row in report.funnel] == [s for s, _, _ in cells.STAGES]
