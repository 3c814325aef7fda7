"""The figures of a seeded cohort against hand-counted expectations, with disclosure control and scopes, from the
real service consuming the real broker into the real database.

The hand count for 2025 (see `cohort`): eleven entered (B5 came in 2024). Recruitment → recognition: ten applied
(S1-S6, B1-B4), S7 went to a language course. Seven were decided in 2025 (S1, S3, S4, B1, B2 full equivalence;
S2, S5 compensation required), B3 is overdue, S6 and B4 wait for a receipt or documents. Qualification: S1 (no
measure, qualified 06-05), S2 (completed), S5 (finally failed), S7 (dropped out). Placement: six with an offer, five
employed (S1, S3, S4, B1, B2); B1's employment ended. Exits: five completed employed, S7 withdrew.
"""

from __future__ import annotations

import asyncio
import dataclasses
import urllib.request
from collections.abc import Sequence
from datetime import date

from services.reporting import cells
from services.reporting.figures import (
    CounsellingRow,
    DurationRow,
    Filters,
    FunnelRow,
    Report,
    Role,
    Scope,
    days,
    report,
    visible,
)
from tests.integration.reporting.cohort import Cohort
from tests.integration.reporting.helpers import Facts, ReportingRows
from tests.support.processes import ServiceProcess

YEAR = Filters(from_day=date(2025, 1, 1), to_day=date(2025, 12, 31))
TODAY = date(2026, 6, 1)
FUNDER = Scope(Role.FUNDER)
SAARLAND = Scope(Role.COORDINATOR, regions=frozenset({"DE-SL"}))
BAVARIA = Scope(Role.COORDINATOR, regions=frozenset({"DE-BY"}))


async def seed(facts: Facts, cohort: Cohort) -> None:
    for message, on in cohort.everything():
        await facts.send(message, on=on)
    await facts.all_applied()


def counts(rows: Sequence[object], *fields: str) -> dict[object, object]:
    """{first field: the rest} of each row, for comparing a figure's rows with the hand count."""
    out = {}
    for row in rows:
        values = [getattr(row, f) for f in fields]
        out[values[0] if len(values) == 2 else tuple(values[:-1])] = values[-1]
    return out


def in_district(cohort: Cohort, filters: Filters = YEAR, **changes: object) -> Filters:
    return dataclasses.replace(filters, district=cohort.district, **changes)  # type: ignore[arg-type]


# Cells the report hides (1..4, or beside such a one in a group that adds up to a shown total), as hand-counted.
HIDDEN = {
    ("funnel", "recruitment:left"): 11,
    ("funnel", "recruitment:active"): 1,  # B5, who entered in 2024
    ("funnel", "recognition:left"): 7,
    ("funnel", "recognition:active"): 3,  # S6, B3, B4
    ("funnel", "qualification:entered"): 4,  # S1, S2, S5, S7
    ("funnel", "placement:left"): 5,
    ("funnel", "placement:active"): 1,  # S2 has an offer
    ("outcome", "recognition:full_equivalence"): 5,
    ("outcome", "recognition:compensation_required"): 2,
    ("outcome", "exit:employed"): 5,
    ("outcome", "exit:withdrawn"): 1,  # S7
    ("indicator", "gender:female"): 8,
    ("indicator", "gender:male"): 3,  # S7, B3, B4
    ("indicator", "result_at_exit:employed"): 5,
    ("indicator", "result_at_exit:inactive"): 1,  # S7 moved away
}


async def test_the_figures_of_a_seeded_cohort_equal_the_hand_counted_ones(
    facts: Facts, reporting_rows: ReportingRows, reporting: ServiceProcess
) -> None:
    cohort = Cohort()
    await seed(facts, cohort)

    found = await report(reporting_rows.conn, in_district(cohort), FUNDER, TODAY)

    assert found.participants == 11
    assert found.funnel == [
        # left and active add up to the entries: where one of them is hidden (1..4), the other is hidden too
        FunnelRow("recruitment", entered=11, left=None, active_at_end=None),  # left 11; B5 (2024): 1 active
        FunnelRow("recognition", entered=10, left=None, active_at_end=None),  # left 7; S6, B3, B4 active
        FunnelRow("qualification", entered=None, left=None, active_at_end=0),  # S1, S2, S5, S7
        FunnelRow("placement", entered=6, left=None, active_at_end=None),  # left 5; S2 has an offer
        FunnelRow("follow_up", entered=5, left=None, active_at_end=None),  # B1's employment ended
    ]
    assert found.durations == [
        # 30 days x5 (S1, S2, S4, B1, B3), 40 x4 (S3, S5, S6, B2), 50 (B4): ranks 4.5, 6.75 and 8.1 of 0..9
        DurationRow("recruited_to_application", 10, 35.0, 40.0, 41.0),
        DurationRow("application_to_decision", 7, 90.0, 100.0, 100.0),  # 90 x4, 100 x3
        DurationRow("decision_to_licence", 5, 30.0, 30.0, 30.0),
        DurationRow("licence_to_employment", 5, 60.0, 60.0, 60.0),  # 30, 30, 60, 60, 60
        DurationRow("recruited_to_employment", 5, 210.0, 210.0, 222.0),  # 180, 200, 210, 210, 230
    ]
    assert counts(found.outcomes, "stage", "outcome", "count") == {
        ("recognition", "full_equivalence"): None,  # 5, hidden with the 2 beside it (secondary suppression)
        ("recognition", "partial_equivalence"): 0,
        ("recognition", "compensation_required"): None,  # 2
        ("recognition", "rejected"): 0,
        ("recognition", "comparability_stated"): 0,
        ("recognition", "recognition_not_needed"): 0,
        ("qualification", "completed"): None,  # S1, S2
        ("qualification", "finally_failed"): None,  # S5
        ("qualification", "dropped"): None,  # S7
        ("exit", "employed"): None,  # 5, hidden with S7's withdrawal
        ("exit", "completed"): 0,
        ("exit", "withdrawn"): None,  # S7
    }
    assert found.counselling == [
        CounsellingRow("recognition", 5),  # S1-S5's sessions
        CounsellingRow("qualification", 0),
        CounsellingRow("job_coaching", 0),
        CounsellingRow("employer", 0),
        CounsellingRow("first_contact", 6),  # anonymous, by their own day and region
    ]
    assert all(row.due == row.still_employed == row.ended == 0 for row in found.retention)  # all due in 2026
    indicators = counts(found.indicators, "indicator", "category", "count")
    assert {k: v for k, v in indicators.items() if v != 0} == {
        ("gender", "female"): None,  # 8, hidden with the 3 beside it
        ("gender", "male"): None,  # S7, B3, B4
        ("age_band", "30_54"): 11,
        ("education_level", "isced_5_8"): 11,
        ("labour_market_status", "inactive"): 6,
        ("labour_market_status", "unemployed"): 5,
        ("result_at_exit", "employed"): None,  # 5, hidden with S7's
        ("result_at_exit", "inactive"): None,  # S7 moved away
    }
    assert found.follow_ups == []  # a funder sees aggregates only

    # The counts behind the cells hidden above, as counted (before any suppression): the hand count holds there too.
    filters = in_district(cohort)
    dims = visible(filters, FUNDER)
    assert dims is not None
    raw = await cells.live(reporting_rows.conn, *days(filters, None, TODAY), dims)
    assert {key: raw.get(key, 0) for key in HIDDEN} == HIDDEN

    next_year = await report(
        reporting_rows.conn, in_district(cohort, Filters(from_day=date(2026, 1, 1), to_day=date(2026, 12, 31))),
        FUNDER, TODAY,
    )  # fmt: skip
    six_months = next_year.retention[0]
    assert (six_months.months, six_months.due, six_months.still_employed, six_months.ended) == (6, 5, None, None)
    assert next_year.participants == 0


async def test_a_coordinator_sees_their_region_and_a_partner_only_its_participants(
    facts: Facts, reporting_rows: ReportingRows, reporting: ServiceProcess
) -> None:
    cohort = Cohort()
    await seed(facts, cohort)
    conn = reporting_rows.conn
    by_name = {pid: name for name, pid in cohort.ids.items()}

    def listed(found: Report) -> list[tuple[str, str, date]]:
        return [(by_name[f.participant_id], f.kind, f.due_on) for f in found.follow_ups]

    saarland = await report(conn, in_district(cohort), SAARLAND, TODAY)
    assert saarland.participants == 7
    assert saarland.funnel[0] == FunnelRow("recruitment", 7, 7, 0)
    assert saarland.counselling[-1] == CounsellingRow("first_contact", 6)
    assert sorted(listed(saarland), key=lambda f: (f[2], f[1], f[0])) == [
        ("S6", "receipt_overdue", date(2025, 5, 10)),
        ("S6", "no_progress", date(2025, 6, 9)),
        ("S2", "no_progress", date(2026, 1, 30)),  # last progress: the offer of 2025-12-01
        ("S5", "no_progress", date(2026, 1, 30)),  # finally failed on 2025-12-01
        ("S3", "retention_check_due", date(2026, 2, 8)),
        ("S4", "retention_check_overdue", date(2026, 2, 28)),
    ]
    assert [f.due_on for f in saarland.follow_ups] == sorted(f.due_on for f in saarland.follow_ups)
    s6 = next(f for f in saarland.follow_ups if f.kind == "receipt_overdue")
    assert (s6.profession, s6.stage, s6.region, s6.org_id, s6.org_name) == (
        "nursing_professional", "recognition", "DE-SL", cohort.lead_sl, "IQ Beratung Saar Beispiel"
    )  # fmt: skip

    bavaria = await report(conn, in_district(cohort), BAVARIA, TODAY)
    assert bavaria.participants == None  # noqa: E711  (4: B5 entered in 2024)
    assert bavaria.counselling[-1] == CounsellingRow("first_contact", 0)
    assert listed(bavaria) == [
        ("B5", "no_progress", date(2025, 2, 13)),
        ("B3", "no_progress", date(2025, 5, 31)),
        ("B4", "documents_overdue", date(2025, 6, 15)),
        ("B3", "decision_overdue", date(2025, 7, 1)),
        ("B1", "end_notice_due", date(2025, 12, 28)),
        ("B4", "paused_past_return", date(2026, 3, 1)),
        ("B2", "retention_check_due", date(2026, 3, 12)),
    ]

    asked_for_bavaria = await report(conn, in_district(cohort, region="DE-BY"), SAARLAND, TODAY)
    assert asked_for_bavaria.participants == 0
    assert asked_for_bavaria.follow_ups == []
    assert all(row.entered == 0 for row in asked_for_bavaria.funnel)

    partner = Scope(Role.PARTNER, org_id=cohort.employer)
    employer = await report(conn, in_district(cohort), partner, TODAY)
    assert employer.participants == 5  # S1, S2, S3, B1, B2: it counts whom it was involved with
    assert sorted(listed(employer)) == [  # but follows up only whom it is involved with now: not S2
        ("B1", "end_notice_due", date(2025, 12, 28)),
        ("B2", "retention_check_due", date(2026, 3, 12)),
        ("S3", "retention_check_due", date(2026, 2, 8)),
    ]
    another_partners = await report(conn, in_district(cohort, org_id=cohort.lead_sl), partner, TODAY)
    assert another_partners.participants == 0
    assert another_partners.follow_ups == []
    assert await report(conn, in_district(cohort), Scope(Role.PARTNER, org_id=cohort.lead_sl), TODAY) != employer


async def test_a_redelivered_or_replayed_fact_counts_once(
    facts: Facts, reporting_rows: ReportingRows, reporting: ServiceProcess
) -> None:
    cohort = Cohort()
    messages = cohort.everything()
    sent = [await facts.send(message, on=on) for message, on in messages]
    await facts.all_applied()
    before = await report(reporting_rows.conn, in_district(cohort), FUNDER, TODAY)

    for (message, on), ce_id in zip(messages, sent, strict=True):
        await facts.send(message, on=on, ce_id=ce_id)  # redelivered: the inbox knows it
        await facts.send(message, on=on)  # replayed by its stage under a new id
    await facts.all_applied()
    after = await report(reporting_rows.conn, in_district(cohort), FUNDER, TODAY)

    assert dataclasses.replace(after, generated_at=before.generated_at) == before
    assert before.participants == 11


def metrics_page(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as answer:
        return str(answer.read().decode())


async def test_the_lag_of_each_applied_message_is_on_the_metrics_page(
    facts: Facts, reporting_rows: ReportingRows, reporting: ServiceProcess
) -> None:
    cohort = Cohort()
    for message, on in cohort.recruitment()[:4]:
        await facts.send(message, on=on)
    await facts.all_applied()
    page = await asyncio.to_thread(metrics_page, reporting.port)
    counted = [line for line in page.splitlines() if line.startswith("journey_reporting_lag_seconds_count")]
    assert counted and float(counted[0].split()[-1]) >= 4
