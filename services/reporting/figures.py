"""The query interface of the reporting read model: what the coordinator page, the exports and the command line
show. Every count passes `suppress` (1..4 is never shown), and the scope of the asker is applied here, inside: a
filter narrows the scope, never widens it.

A closed funding period is answered from the anonymous counts kept when it closed (`cells.keep`), an open one or a
span of days from the read model as it is now; the follow-up list is always as of `today`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from uuid import UUID

import asyncpg

from services.reporting import cells, period_store
from services.reporting.cells import Cells, Dims
from services.reporting.domain import stats
from services.reporting.domain.disclosure import MIN_CELL, Count, protect, suppress
from services.reporting.domain.exits import CountryGroup, ExitOutcome, ResultAtExit
from services.reporting.domain.periods import Period
from shared.contracts.enums import Profession, RecognitionOutcome
from shared.contracts.reporting import AgeBand, EducationLevel, Gender, LabourMarketStatus

__all__ = [
    "MIN_CELL",
    "CounsellingRow",
    "Count",
    "DurationRow",
    "Filters",
    "FollowUp",
    "FunnelRow",
    "IndicatorRow",
    "Options",
    "OutcomeRow",
    "PeriodInfo",
    "Report",
    "RetentionRow",
    "Role",
    "Scope",
    "options",
    "report",
    "suppress",
]


@dataclass(frozen=True)
class Filters:
    period_id: str | None = None  # a defined funding period (its days); else from_day/to_day; else all time
    from_day: date | None = None
    to_day: date | None = None
    region: str | None = None  # ISO 3166-2, e.g. "DE-SL"
    district: str | None = None  # 5-digit Kreisschlüssel
    org_id: str | None = None  # participants the organisation is (or was) involved with
    profession: str | None = None  # shared.contracts.enums.Profession value ("profession group")
    country_group: str | None = None  # "eu_eea_ch" | "third_country"


class Role(StrEnum):
    COORDINATOR = "coordinator"
    PARTNER = "partner"
    FUNDER = "funder"


@dataclass(frozen=True)
class Scope:
    role: Role
    regions: frozenset[str] = frozenset()  # coordinator: the regions they see (never empty for a coordinator)
    org_id: str | None = None  # partner: only participants this organisation is/was involved with
    # funder: aggregates only, every region; no participant-level rows (follow_ups empty)


@dataclass(frozen=True)
class FunnelRow:
    stage: str  # recruitment, recognition, qualification, placement, follow_up
    entered: Count
    left: Count
    active_at_end: Count


@dataclass(frozen=True)
class DurationRow:
    span: str
    n: Count
    median_days: float | None
    p75_days: float | None
    p90_days: float | None


@dataclass(frozen=True)
class OutcomeRow:
    stage: str
    outcome: str
    count: Count


@dataclass(frozen=True)
class CounsellingRow:
    counselling_type: str
    count: Count


@dataclass(frozen=True)
class RetentionRow:
    months: int
    due: Count
    still_employed: Count
    ended: Count


@dataclass(frozen=True)
class IndicatorRow:
    indicator: str
    category: str
    count: Count


@dataclass(frozen=True)
class FollowUp:
    participant_id: UUID
    profession: str
    stage: str
    region: str
    org_id: str | None
    org_name: str | None
    kind: str
    due_on: date
    case_reference: str | None = None
    """The partner's own reference for the case: only in a partner's report, only its own."""


@dataclass(frozen=True)
class PeriodInfo:
    period_id: str
    name: str
    starts_on: date
    ends_on: date
    closed: bool


@dataclass(frozen=True)
class Report:
    filters: Filters
    scope: Scope
    generated_at: datetime
    period: PeriodInfo | None
    participants: Count
    funnel: list[FunnelRow]
    durations: list[DurationRow]
    outcomes: list[OutcomeRow]
    counselling: list[CounsellingRow]
    retention: list[RetentionRow]
    indicators: list[IndicatorRow]
    follow_ups: list[FollowUp]


@dataclass(frozen=True)
class Options:
    periods: list[PeriodInfo]
    regions: list[str]
    districts: list[str]
    orgs: list[tuple[str, str]]
    professions: list[str]
    country_groups: list[str]


FOLLOW_UP_KINDS = (
    "decision_overdue", "receipt_overdue", "documents_overdue", "licence_expiring", "retention_check_due",
    "retention_check_overdue", "no_progress", "paused_past_return", "end_notice_due",
)  # fmt: skip
COUNSELLING_TYPES = ("recognition", "qualification", "job_coaching", "employer", "first_contact")
OUTCOMES: tuple[tuple[str, str], ...] = (
    *(("recognition", o.value) for o in RecognitionOutcome),
    ("recognition", "comparability_stated"),
    ("recognition", "recognition_not_needed"),
    ("qualification", "completed"),
    ("qualification", "finally_failed"),
    ("qualification", "dropped"),
    *(("exit", o.value) for o in ExitOutcome),
)
INDICATOR_CATEGORIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("gender", tuple(g.value for g in Gender)),
    ("age_band", tuple(a.value for a in AgeBand)),
    ("education_level", tuple(e.value for e in EducationLevel)),
    ("labour_market_status", tuple(s.value for s in LabourMarketStatus)),
    ("result_at_exit", tuple(r.value for r in ResultAtExit)),
)


def visible(filters: Filters, scope: Scope) -> Dims | None:
    """The dimensions the asker may see within the filters; None when the filters ask for nothing in scope (another
    region than the coordinator's, another organisation than the partner's)."""
    regions: tuple[str, ...] | None = None if filters.region is None else (filters.region,)
    org = filters.org_id
    if scope.role is Role.COORDINATOR:
        allowed = sorted(scope.regions if filters.region is None else scope.regions & {filters.region})
        if not allowed:
            return None
        regions = tuple(allowed)
    elif scope.role is Role.PARTNER:
        if scope.org_id is None or (org is not None and org != scope.org_id):
            return None
        org = scope.org_id
    return Dims(regions, filters.district, filters.profession, filters.country_group, org)


def days(filters: Filters, period: Period | None, today: date) -> tuple[date, date]:
    """The first and last day counted: the period's, else the filters' (open ends: all time until today)."""
    if period is not None:
        return period.starts_on, period.ends_on
    return filters.from_day or date.min, filters.to_day or today


async def report(
    conn: asyncpg.Connection, filters: Filters, scope: Scope, today: date, no_progress_days: int = 60
) -> Report:
    """The figures for the filters within the scope, and the follow-up list as of `today`. An unknown `period_id`
    is ignored (the days of the filters count)."""
    period = None if filters.period_id is None else await period_store.get(conn, filters.period_id)
    first_day, last_day = days(filters, period, today)
    dims = visible(filters, scope)
    found: Cells = {}
    follow_ups: list[FollowUp] = []
    if dims is not None:
        if period is not None and period.closed:
            found = await cells.kept(conn, period.period_id, dims)
        else:
            found = await cells.live(conn, first_day, last_day, dims)
        if scope.role is not Role.FUNDER:
            own = scope.org_id if scope.role is Role.PARTNER else None
            follow_ups = await follow_up_list(conn, dims, today, no_progress_days, own)
    return assemble(found, filters, scope, None if period is None else _info(period), follow_ups)


def assemble(
    found: Cells, filters: Filters, scope: Scope, period: PeriodInfo | None, follow_ups: list[FollowUp]
) -> Report:
    """The report from counted cells: every count suppressed, cells that add up to a shown total with secondary
    suppression, every row present (0 where nothing was counted)."""

    def count(figure: str, key: str) -> Count:
        return suppress(found.get((figure, key), 0))

    def group(figure: str, keys: Mapping[str, str]) -> dict[str, Count]:
        """Cells that add up to a total the report shows: with secondary suppression (`disclosure.protect`)."""
        return protect({name: found.get((figure, key), 0) for name, key in keys.items()})

    durations = []
    for span, _, _ in cells.SPANS:
        prefix = f"{span}:"
        histogram = {
            int(k[len(prefix) :]): v for (f, k), v in found.items() if f == "duration" and k.startswith(prefix)
        }
        n, median, p75, p90 = stats.summary(histogram)
        durations.append(DurationRow(span, suppress(n), median, p75, p90))
    stages_with_outcomes = dict.fromkeys(stage for stage, _ in OUTCOMES)
    outcome_groups = {  # a stage's outcomes add up to those who left it
        stage: group("outcome", {outcome: f"{stage}:{outcome}" for st, outcome in OUTCOMES if st == stage})
        for stage in stages_with_outcomes
    }
    return Report(
        filters=filters,
        scope=scope,
        generated_at=datetime.now(UTC),
        period=period,
        participants=count("participants", ""),
        funnel=[
            FunnelRow(stage, count("funnel", f"{stage}:entered"), split["left"], split["active"])
            for stage, _, _ in cells.STAGES
            for split in [group("funnel", {k: f"{stage}:{k}" for k in ("left", "active")})]
        ],
        durations=durations,
        outcomes=[OutcomeRow(stage, outcome, outcome_groups[stage][outcome]) for stage, outcome in OUTCOMES],
        counselling=[CounsellingRow(kind, count("counselling", kind)) for kind in COUNSELLING_TYPES],
        retention=[
            RetentionRow(months, count("retention", f"{months}:due"), split["still_employed"], split["ended"])
            for months in cells.RETENTION_MONTHS
            for split in [group("retention", {k: f"{months}:{k}" for k in ("still_employed", "ended")})]
        ],
        indicators=[
            IndicatorRow(indicator, category, split[category])
            for indicator, categories in INDICATOR_CATEGORIES
            for split in [group("indicator", {c: f"{indicator}:{c}" for c in categories})]
            for category in categories
        ],
        follow_ups=follow_ups,
    )


FOLLOW_UPS = f"""
WITH base AS (
  SELECT p.participant_id, p.profession, p.region, p.lead_org, p.status, p.expected_return_on,
         GREATEST(p.last_progress_on, x.last_progress_on) AS last_progress_on,
         x.receipt_due_on, x.receipt_on, x.documents_due_on, x.complete_on, x.decision_due_on, x.decided_on,
         x.expiring_until, x.notice_due_on, x.notice_on,
         COALESCE(x.last_started_on IS NOT NULL AND (x.last_ended_on IS NULL OR x.last_ended_on < x.last_started_on),
                  false) AS employed,
         CASE WHEN x.first_started_on IS NOT NULL THEN 'follow_up'
              WHEN COALESCE(x.offered_on, x.confirmed_on) IS NOT NULL THEN 'placement'
              WHEN COALESCE(x.enrolled_on, x.qualified_on) IS NOT NULL THEN 'qualification'
              WHEN COALESCE(x.application_on, x.training_started_on, x.comparability_on, x.not_needed_on) IS NOT NULL
                   THEN 'recognition'
              ELSE 'recruitment' END AS stage
  FROM participants p
  LEFT JOIN paths x ON x.participant_id = p.participant_id
  WHERE {cells.PARTICIPANT_FILTER}
), due AS (
  SELECT b.participant_id, d.kind, d.due_on
  FROM base b CROSS JOIN LATERAL (VALUES
    ('receipt_overdue', b.receipt_due_on, b.status <> 'withdrawn' AND b.receipt_due_on < $1 AND b.receipt_on IS NULL
        AND b.complete_on IS NULL AND b.decided_on IS NULL),
    ('documents_overdue', b.documents_due_on, b.status <> 'withdrawn' AND b.documents_due_on < $1
        AND b.complete_on IS NULL AND b.decided_on IS NULL),
    ('decision_overdue', b.decision_due_on, b.status <> 'withdrawn' AND b.decision_due_on < $1
        AND b.decided_on IS NULL),
    ('licence_expiring', b.expiring_until, b.status <> 'withdrawn' AND b.expiring_until IS NOT NULL),
    ('end_notice_due', b.notice_due_on, b.notice_due_on IS NOT NULL AND b.notice_on IS NULL),
    ('paused_past_return', b.expected_return_on, b.status = 'paused' AND b.expected_return_on < $1),
    ('no_progress', b.last_progress_on + $2::int, b.status = 'active' AND NOT b.employed
        AND b.last_progress_on + $2::int <= $1)
  ) AS d(kind, due_on, hit)
  WHERE d.hit
  UNION ALL
  SELECT r.participant_id, CASE WHEN r.overdue THEN 'retention_check_overdue' ELSE 'retention_check_due' END,
         r.due_on
  FROM retention r JOIN base b ON b.participant_id = r.participant_id
  WHERE r.checked_on IS NULL AND r.due_on <= $1
)
SELECT d.participant_id, b.profession, b.stage, b.region, b.lead_org, o.name AS org_name, d.kind, d.due_on,
       (SELECT max(v.case_reference) FROM involvements v
        WHERE v.participant_id = d.participant_id AND v.org_id = $8) AS case_reference
FROM due d
JOIN base b ON b.participant_id = d.participant_id
LEFT JOIN organisations o ON o.org_id = b.lead_org
WHERE $8::text IS NULL OR EXISTS (
  SELECT 1 FROM involvements v WHERE v.participant_id = d.participant_id AND v.org_id = $8 AND v.released_on IS NULL)
ORDER BY d.due_on, d.kind, d.participant_id
"""
"""Open deadlines as of $1; no progress for $2 days; $3..$7 the dimensions (`cells.PARTICIPANT_FILTER`); $8 the
partner whose list it is (NULL: a coordinator's): only participants it takes part in now (its figures count whom it
was ever involved with; following a case up ends with its release), with its own case references."""


async def follow_up_list(
    conn: asyncpg.Connection, dims: Dims, today: date, no_progress_days: int, own_org: str | None = None
) -> list[FollowUp]:
    """Who needs attention as of `today`, the most urgent first: participant-level, never for a funder; with
    `own_org`'s case references (a partner's report)."""
    rows = await conn.fetch(FOLLOW_UPS, today, no_progress_days, *dims.params(), own_org)
    return [
        FollowUp(
            participant_id=r["participant_id"],
            profession=r["profession"],
            stage=r["stage"],
            region=r["region"],
            org_id=r["lead_org"],
            org_name=r["org_name"],
            kind=r["kind"],
            due_on=r["due_on"],
            case_reference=r["case_reference"],
        )
        for r in rows
    ]


async def options(conn: asyncpg.Connection, scope: Scope) -> Options:
    """What the filter drop-downs offer within the scope."""
    dims = visible(Filters(), scope) or Dims(regions=())
    params = dims.params()
    where = cells.participant_filter(1)
    regions = await conn.fetch(f"SELECT DISTINCT p.region FROM participants p WHERE {where}", *params)
    districts = await conn.fetch(
        f"SELECT DISTINCT p.district FROM participants p WHERE p.district IS NOT NULL AND {where}", *params
    )
    if scope.role is Role.PARTNER:
        orgs = [] if scope.org_id is None else [scope.org_id]
    elif scope.role is Role.FUNDER:
        orgs = [
            r["org_id"]
            for r in await conn.fetch("SELECT org_id FROM organisations UNION SELECT DISTINCT org_id FROM involvements")
        ]
    else:
        orgs = [
            r["org_id"]
            for r in await conn.fetch(
                "SELECT DISTINCT v.org_id FROM involvements v"
                f" JOIN participants p ON p.participant_id = v.participant_id WHERE {where}",
                *params,
            )
        ]
    names = {
        r["org_id"]: r["name"]
        for r in await conn.fetch("SELECT org_id, name FROM organisations WHERE org_id = ANY($1::text[])", orgs)
    }
    shown_regions = {r["region"] for r in regions} | (set(scope.regions) if scope.role is Role.COORDINATOR else set())
    return Options(
        periods=[_info(p) for p in await period_store.every(conn)],
        regions=sorted(shown_regions),
        districts=sorted(r["district"] for r in districts),
        orgs=sorted(((o, names.get(o) or o) for o in orgs), key=lambda pair: (pair[1].casefold(), pair[0])),
        professions=[p.value for p in Profession],
        country_groups=[g.value for g in CountryGroup],
    )


def _info(period: Period) -> PeriodInfo:
    return PeriodInfo(period.period_id, period.name, period.starts_on, period.ends_on, period.closed)
