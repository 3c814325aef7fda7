"""The figures as counted cells, computed in PostgreSQL: each participant (and each counselling contact) yields its
hits — (figure, key) pairs such as ("funnel", "recognition:entered") or ("duration", "application_to_decision:87")
— and the cells are their counts. An open period counts them live within the dimensions asked for; closing a period
keeps them grouped by every dimension (region, district, profession, country group, organisation), without any
participant id, so that a closed period answers the same questions from anonymous counts alone.

The definitions (which day makes a hit) are here and only here; the README lists them in words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import asyncpg

from services.reporting.domain.exits import (
    COMPLETION_RESULTS,
    EMPLOYED_RESULTS,
    WITHDRAWAL_RESULTS,
    ExitKind,
    ExitOutcome,
    ResultAtExit,
)

Cells = dict[tuple[str, str], int]
"""(figure, key) → count."""


@dataclass(frozen=True)
class Dims:
    """The participants a figure counts: None means any. `regions` is a set (a coordinator's); `org_id` counts the
    participants the organisation is or was involved with (and the counselling it held)."""

    regions: tuple[str, ...] | None = None
    district: str | None = None
    profession: str | None = None
    country_group: str | None = None
    org_id: str | None = None

    def params(self) -> tuple[object, ...]:
        regions = None if self.regions is None else list(self.regions)
        return regions, self.district, self.profession, self.country_group, self.org_id


STAGES: tuple[tuple[str, str, str], ...] = (
    ("recruitment", "recruited_on", "recr_out"),
    ("recognition", "rec_in", "rec_out"),
    ("qualification", "qual_in", "qual_out"),
    ("placement", "plac_in", "plac_out"),
    ("follow_up", "first_started_on", "fu_out"),
)
"""Each funnel stage's entry and exit day (columns of the stage query below)."""

SPANS: tuple[tuple[str, str, str], ...] = (
    ("recruited_to_application", "recruited_on", "application_on"),
    ("application_to_decision", "application_on", "decided_on"),
    ("decision_to_licence", "decided_on", "licence_on"),
    ("licence_to_employment", "licence_on", "first_started_on"),
    ("recruited_to_employment", "recruited_on", "first_started_on"),
)
"""Each duration: from one milestone's day to another's; counted in the period its end falls in."""

INDICATORS = ("gender", "age_band", "education_level", "labour_market_status")
RETENTION_MONTHS = (6, 12, 24, 36)


def participant_filter(first: int) -> str:
    """A participant `p` within the dimensions given as parameters $first.. (`Dims.params`)."""
    r, d, pr, c, o = (f"${i}" for i in range(first, first + 5))
    return (
        f"({r}::text[] IS NULL OR p.region = ANY({r}::text[]))"
        f" AND ({d}::text IS NULL OR COALESCE(p.district, '') = {d})"
        f" AND ({pr}::text IS NULL OR p.profession = {pr}) AND ({c}::text IS NULL OR p.country_group = {c})"
        f" AND ({o}::text IS NULL OR EXISTS (SELECT 1 FROM involvements v WHERE v.participant_id = p.participant_id"
        f" AND v.org_id = {o}))"
    )


# $1, $2: the first and last day counted; $3..$7: the dimensions.
PARTICIPANT_FILTER = participant_filter(3)
CONTACT_FILTER = (
    "($3::text[] IS NULL OR c.region = ANY($3::text[])) AND ($4::text IS NULL OR c.district = $4)"
    " AND ($5::text IS NULL OR c.profession = $5) AND ($6::text IS NULL OR c.country_group = $6)"
    " AND ($7::text IS NULL OR c.own_org = $7)"
)


def _quoted(values: Iterable[str]) -> str:
    return ", ".join(f"'{v}'" for v in sorted(values))


def _cases(pairs: Iterable[tuple[StrEnum, ResultAtExit]]) -> str:
    return " ".join(f"WHEN '{key.value}' THEN '{value.value}'" for key, value in pairs)


EXIT_OUTCOME = (
    f"CASE WHEN s.exit_kind = '{ExitKind.WITHDRAWN.value}' THEN '{ExitOutcome.WITHDRAWN.value}'"
    f" WHEN s.exit_result IN ({_quoted(r.value for r in EMPLOYED_RESULTS)}) THEN '{ExitOutcome.EMPLOYED.value}'"
    f" ELSE '{ExitOutcome.COMPLETED.value}' END"
)
RESULT_AT_EXIT = (
    f"CASE WHEN s.employed_at_exit THEN '{ResultAtExit.EMPLOYED.value}'"
    f" WHEN s.exit_kind = '{ExitKind.COMPLETED.value}' THEN CASE s.exit_result {_cases(COMPLETION_RESULTS.items())}"
    f" ELSE '{ResultAtExit.INACTIVE.value}' END"
    f" ELSE CASE s.exit_result {_cases(WITHDRAWAL_RESULTS.items())} ELSE '{ResultAtExit.INACTIVE.value}' END END"
)


def _in(day: str) -> str:
    return f"{day} BETWEEN $1 AND $2"


def _hits() -> str:
    """(figure, key, hit) rows for one participant `s` of the stage query."""
    rows = [("participants", "''", _in("s.recruited_on"))]
    for stage, entered, left in STAGES:
        rows += [
            ("funnel", f"'{stage}:entered'", _in(f"s.{entered}")),
            ("funnel", f"'{stage}:left'", _in(f"s.{left}")),
            ("funnel", f"'{stage}:active'", f"s.{entered} <= $2 AND (s.{left} IS NULL OR s.{left} > $2)"),
        ]
    for span, start, end in SPANS:
        days = f"(s.{end} - s.{start})"
        rows.append(("duration", f"'{span}:' || {days}", f"{_in(f's.{end}')} AND {days} >= 0"))
    rows += [
        ("outcome", "'recognition:' || s.decision_outcome", _in("s.decided_on")),
        ("outcome", "'recognition:comparability_stated'", _in("s.comparability_on")),
        ("outcome", "'recognition:recognition_not_needed'", _in("s.not_needed_on")),
        ("outcome", "'qualification:completed'", _in("s.qualified_on")),
        ("outcome", "'qualification:finally_failed'", f"{_in('s.finally_failed_on')} AND s.qualified_on IS NULL"),
        (
            "outcome",
            "'qualification:dropped'",
            f"s.exit_kind = '{ExitKind.WITHDRAWN.value}' AND {_in('s.exit_on')} AND s.qual_in <= s.exit_on"
            " AND (s.qual_done IS NULL OR s.qual_done > s.exit_on)",
        ),
        ("outcome", f"'exit:' || {EXIT_OUTCOME}", _in("s.exit_on")),
        *(("indicator", f"'{name}:' || s.{name}", _in("s.recruited_on")) for name in INDICATORS),
        ("indicator", f"'result_at_exit:' || {RESULT_AT_EXIT}", _in("s.exit_on")),
    ]
    # A hit needs its key: a participant without indicators (or an outcome) is not counted under none.
    return ",\n    ".join(f"('{figure}', {key}, ({hit}) AND ({key}) IS NOT NULL)" for figure, key, hit in rows)


HITS = f"""
WITH base AS (
  SELECT p.participant_id, p.region, COALESCE(p.district, '') AS district, p.profession, p.country_group,
         p.recruited_on, p.exit_on, p.exit_kind, p.exit_result,
         x.application_on, x.decided_on, x.decision_outcome, x.comparability_on, x.not_needed_on,
         x.training_started_on, x.training_completed_on, x.licence_on, x.enrolled_on, x.qualified_on,
         x.finally_failed_on, x.offered_on, x.confirmed_on, x.first_started_on, x.last_started_on, x.last_ended_on,
         i.gender, i.age_band, i.education_level, i.labour_market_status
  FROM participants p
  LEFT JOIN paths x ON x.participant_id = p.participant_id
  LEFT JOIN entry_indicators i ON i.participant_id = p.participant_id
  WHERE {PARTICIPANT_FILTER}
), days AS (
  SELECT b.*,
         LEAST(b.application_on, b.training_started_on, b.comparability_on, b.not_needed_on) AS rec_in,
         LEAST(b.decided_on, b.comparability_on, b.not_needed_on, b.training_completed_on) AS rec_done,
         LEAST(b.enrolled_on, b.qualified_on) AS qual_in,
         LEAST(b.qualified_on, b.finally_failed_on) AS qual_done,
         LEAST(b.offered_on, b.confirmed_on, b.first_started_on) AS plac_in,
         CASE WHEN b.last_ended_on >= b.last_started_on THEN b.last_ended_on END AS fu_out,
         COALESCE(b.first_started_on <= b.exit_on AND NOT COALESCE(
             b.last_ended_on >= b.last_started_on AND b.last_ended_on <= b.exit_on, false), false) AS employed_at_exit
  FROM base b
), s AS (
  SELECT d.*,
         LEAST(d.rec_in, d.qual_in, d.plac_in, d.first_started_on, d.exit_on) AS recr_out,
         CASE WHEN d.rec_in IS NOT NULL
              THEN LEAST(d.rec_done, CASE WHEN d.exit_on >= d.rec_in THEN d.exit_on END) END AS rec_out,
         CASE WHEN d.qual_in IS NOT NULL
              THEN LEAST(d.qual_done, CASE WHEN d.exit_on >= d.qual_in THEN d.exit_on END) END AS qual_out,
         CASE WHEN d.plac_in IS NOT NULL
              THEN LEAST(d.first_started_on, CASE WHEN d.exit_on >= d.plac_in THEN d.exit_on END) END AS plac_out
  FROM days d
)
SELECT s.participant_id, s.region, s.district, s.profession, s.country_group, NULL::text AS own_org,
       h.figure, h.key
FROM s CROSS JOIN LATERAL (VALUES
    {_hits()}
) AS h(figure, key, hit)
WHERE h.hit
UNION ALL
SELECT b.participant_id, b.region, b.district, b.profession, b.country_group, NULL::text,
       'retention', r.months || ':' || k.key
FROM retention r
JOIN base b ON b.participant_id = r.participant_id
CROSS JOIN LATERAL (VALUES ('due', true), ('still_employed', r.still_employed), ('ended', NOT r.still_employed))
     AS k(key, hit)
WHERE COALESCE(r.due_on, r.checked_on) BETWEEN $1 AND $2 AND k.hit
UNION ALL
SELECT c.participant_id, c.region, c.district, c.profession, c.country_group, c.own_org, 'counselling', c.key
FROM (
  SELECT n.participant_id, n.org_id AS own_org,
         COALESCE(n.region, p.region) AS region, COALESCE(n.district, p.district, '') AS district,
         COALESCE(n.profession, p.profession, '') AS profession,
         COALESCE(n.country_group, p.country_group, '') AS country_group,
         CASE WHEN n.first_contact THEN 'first_contact' ELSE n.counselling_type END AS key
  FROM counselling n
  LEFT JOIN participants p ON p.participant_id = n.participant_id
  WHERE n.held_on BETWEEN $1 AND $2
) c
WHERE c.region IS NOT NULL AND {CONTACT_FILTER}
"""
"""Every hit of the participants (and counselling contacts) within the dimensions, for days $1..$2."""

LIVE = f"SELECT h.figure, h.key, count(*)::int AS value FROM ({HITS}) h GROUP BY h.figure, h.key"

KEEP = f"""
INSERT INTO period_figures (period_id, figure, key, region, district, profession, country_group, org_id, value)
SELECT $8, h.figure, h.key, h.region, h.district, h.profession, h.country_group, o.org_id, count(*)
FROM ({HITS}) h
CROSS JOIN LATERAL (
  SELECT ''::text
  UNION ALL SELECT h.own_org WHERE h.own_org IS NOT NULL
  UNION ALL SELECT DISTINCT v.org_id FROM involvements v
            WHERE h.own_org IS NULL AND h.participant_id IS NOT NULL AND v.participant_id = h.participant_id
) AS o(org_id)
GROUP BY h.figure, h.key, h.region, h.district, h.profession, h.country_group, o.org_id
"""
"""A period's cells by every dimension; org_id '' counts each participant once whatever organisations they had."""

KEPT = """
SELECT figure, key, sum(value)::int AS value FROM period_figures
WHERE period_id = $1 AND ($2::text[] IS NULL OR region = ANY($2::text[])) AND ($3::text IS NULL OR district = $3)
  AND ($4::text IS NULL OR profession = $4) AND ($5::text IS NULL OR country_group = $5)
  AND org_id = COALESCE($6::text, '')
GROUP BY figure, key
"""


async def live(conn: asyncpg.Connection, first_day: date, last_day: date, dims: Dims) -> Cells:
    """The cells counted now from the read model."""
    rows = await conn.fetch(LIVE, first_day, last_day, *dims.params())
    return {(r["figure"], r["key"]): r["value"] for r in rows}


async def kept(conn: asyncpg.Connection, period_id: str, dims: Dims) -> Cells:
    """The cells a closed period kept, summed over the dimensions asked for."""
    rows = await conn.fetch(KEPT, period_id, *dims.params())
    return {(r["figure"], r["key"]): r["value"] for r in rows}


KEEP_TIMEOUT_S = 900.0
"""Closing a period counts every participant of the read model once, by every dimension: 70 s for a million
participants on two cores (docs/performance.md). The pool's command timeout (30 s) is for the queries of one message;
under it a big period's close timed out, was retried as an outage, and held the reporting commands for good."""


async def keep(conn: asyncpg.Connection, period_id: str, first_day: date, last_day: date) -> int:
    """Keep the period's cells as anonymous counts (once: what was kept before is replaced); returns the
    participants who entered in it."""
    await conn.execute("DELETE FROM period_figures WHERE period_id = $1", period_id)
    await conn.execute(KEEP, first_day, last_day, None, None, None, None, None, period_id, timeout=KEEP_TIMEOUT_S)
    total = await conn.fetchval(
        "SELECT COALESCE(sum(value), 0) FROM period_figures WHERE period_id = $1 AND figure = 'participants'"
        " AND org_id = ''",
        period_id,
    )
    return int(total)
