"""`python -m tools.bench.preload --journeys N`: N past, finished journeys written straight into every service's
tables, so that the benchmark measures a database that has grown (issue 14), not an empty one.

Not through Kafka: one server-side `INSERT ... SELECT` per table and batch (tools/bench/preload_sql.py) from the
walks' shapes (tools/bench/preload_shapes.py, in tools/walks.py's mix), two batches at a time. The journeys ended
over the last five years; their rows are what the services keep of a finished journey: the participant in every
stage, measures, certificates, exams, due dates met or dropped, the employment with its retention checks (those
whose day has passed; the participant completes the programme at the six-month check) and its due dates to come,
the milestones each mailed to the region's coordinator and the lead organisation's mailbox, the reporting read
model. The journeys that ended within the inbox's retention (21 days) add their messages' inbox rows, those within
the outbox's (7 days) their published outbox rows: older ones are purged by then.

Preloaded rows are told apart by their regions `DE-P00`..`DE-P15`, organisations `preload-org-*`, recipients
`preload-*` (512 organisations, each with a mailbox, and 16 coordinators), and ids that begin with the journey's
number. Run it while the services are stopped (`python -m tools.bench --preload N` does, before starting them). It
tops up: journeys already there count (running it again adds nothing), a batch is one transaction, and ANALYZE
follows a load.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import asyncpg

from shared.contracts.catalogue import MILESTONE_EVENTS
from shared.contracts.enums import Milestone
from shared.contracts.recruitment import RegisterCandidate
from shared.postgres import migrate
from shared.settings import LOCAL_DATABASE, ServiceSettings
from tools import walks
from tools.bench import preload_sql as sql
from tools.bench.preload_shapes import SHAPES, Shape, ce_type
from tools.bench.stack import ROOT

ANCHOR = date(2000, 1, 1)  # the day the shapes' walks are played: offsets are days from it
DAY_S = 24 * 3600
TABLES = {
    "pl_walks": "walk text, lo int, hi int, profession text, country text, level text, occupation text, entered int,"
    " last int, state text, route text, employer text, result text, decision_months int, first_submitted int,"
    " last_submitted int, first_decided int, last_decided int, outcome text, offered text[], measure text,"
    " licence text, first_licence_on int, first_permit_on int, qualified_on int, language_on int,"
    " route_closed bool, finally_failed text, finally_failed_on int, comparability_on int, not_needed_on int,"
    " training_started int, training_completed int, r_reference text, q_reference text, training_profession text,"
    " enrolled_on int",
    "pl_rtimers": "walk text, kind text, licence bool, base int, months int, before int, created int, cancelled int",
    "pl_measures": "walk text, k int, kind text, status text, provider text, level text, domain text, started int,"
    " ended int, planned_by text",
    "pl_certificates": "walk text, k int, certificate text, level text, domain text, obtained int",
    "pl_exams": "walk text, exam text, part text, attempts int, passed bool, taken int",
    "pl_milestones": "walk text, k int, milestone text, ce_type text, off int",
    "pl_messages": "walk text, k int, ce_type text, topic text, source text, is_event bool",
    "pl_consumers": "ce_type text, schema text, consumer text",
}
"""The shapes as temporary tables the statements join: their columns, and (`shape_rows`) their rows."""


def shape_rows() -> dict[str, list[tuple[Any, ...]]]:
    """Every walk of the mix as rows of the `TABLES`."""
    rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in TABLES}
    lo = 0
    for name, share in walks.MIX.items():
        shape, played = SHAPES[name], walks.walk(name, uuid.UUID(int=1), today=ANCHOR)
        rows["pl_walks"].append((name, lo, lo + share, *_journey(shape, played)))
        rows["pl_rtimers"] += [(name, *timer) for timer in _recognition_timers(shape)]
        rows["pl_measures"] += [
            (name, k, m.kind, m.status, m.provider, m.level, m.domain, m.started, m.ended, m.planned_by)
            for k, m in enumerate(shape.measures)
        ]
        rows["pl_certificates"] += [(name, k, *c) for k, c in enumerate(shape.certificates)]
        rows["pl_exams"] += [(name, *e) for e in shape.exams]
        rows["pl_milestones"] += [
            (name, k, m, MILESTONE_EVENTS[Milestone(m)].ce_type(), off) for k, (m, off) in enumerate(shape.milestones)
        ]
        rows["pl_messages"] += list(_messages(name, played, shape.events.split()))
        lo += share
    rows["pl_consumers"] = list(_consumers())
    return rows


def _journey(shape: Shape, played: walks.Walk) -> tuple[Any, ...]:
    """The columns of `pl_walks` after its mix range: the registration's attributes from the walk itself."""
    register = next(m for m in played.sends() if isinstance(m, RegisterCandidate))
    assert register.registered_on is not None
    submitted, decided = [a[0] for a in shape.applications], [a[1] for a in shape.applications]
    kinds, days = [kind for kind, _ in shape.licences], [day for _, day in shape.licences]
    trained = shape.training is not None
    return (
        register.target_profession.value, register.country_of_training, register.language_level.value,
        register.occupation, (register.registered_on - ANCHOR).days,
        max(off for _, off in shape.milestones if off is not None), shape.state, shape.route, shape.employer,
        shape.result, shape.decision_months, _first(submitted), _last(submitted), _first(decided), _last(decided),
        shape.outcome, list(shape.offered), shape.measure, _last(kinds), _first(days),
        _first(days) if kinds[:1] == ["berufserlaubnis"] else None, shape.qualified_on, shape.language_on,
        shape.route_closed, *(shape.finally_failed or (None, None)), shape.comparability_on, shape.not_needed_on,
        *(shape.training or (None, None)), None if trained else shape.reference_profession,
        shape.reference_profession, shape.reference_profession if trained else None,
        _first(sorted(m.started for m in shape.measures if m.started is not None)),
    )  # fmt: skip


def _recognition_timers(shape: Shape) -> Iterator[tuple[Any, ...]]:
    """kind, licence, base, months, before, created, cancelled: the receipt and decision due dates of each
    application (met), and a Berufserlaubnis' expiry warnings (dropped when the lasting licence came)."""
    for submitted, decided in shape.applications:
        yield ("receipt_due", False, submitted, 1, 0, submitted, submitted + 2)
        yield ("decision_due", False, submitted + 4, shape.decision_months, 0, submitted + 4, decided)
    if shape.permit_until is not None:
        granted, replaced = shape.licences[0][1], shape.licences[-1][1]
        yield ("licence_expired", True, shape.permit_until, 0, 0, granted, replaced)
        yield ("licence_expiring", True, shape.permit_until, 0, 56, granted, replaced)


def _messages(name: str, played: walks.Walk, events: list[str]) -> Iterator[tuple[Any, ...]]:
    """The walk's commands, then its events."""
    commands = [(m.ce_type(), m.topic(), m.stage.value, False) for m in played.sends()]
    published = [(ce_type(e), f"journey.{e.split('.')[0]}.events", e.split(".")[0], True) for e in events]
    for k, message in enumerate([*commands, *published]):
        yield (name, k, *message)


def _consumers() -> Iterator[tuple[str, str, str]]:
    """Which service records which message type in its inbox, and as which consumer: from the services' specs."""
    for service in sql.SERVICES:
        spec = importlib.import_module(f"services.{service}.app").SPEC
        for topic, routes in spec.consumes.items():
            for route in routes:
                yield (route.model.ce_type(), service, f"{service}:{topic}")


def _first(values: list[Any]) -> Any:
    return values[0] if values else None


def _last(values: list[Any]) -> Any:
    return values[-1] if values else None


async def create_shapes(conn: asyncpg.Connection) -> None:
    """The shapes as temporary tables of this session."""
    for table, rows in shape_rows().items():
        await conn.execute(f"CREATE TEMP TABLE {table} ({TABLES[table]})")
        placeholders = ", ".join(f"${i}" for i in range(1, len(rows[0]) + 1))
        await conn.executemany(f"INSERT INTO {table} VALUES ({placeholders})", rows)
        await conn.execute(f"ANALYZE {table}")


async def load_batch(conn: asyncpg.Connection, lo: int, hi: int, windows: tuple[int, int], added: Counter[str]) -> int:
    """Journeys `lo` <= n < `hi` not there yet into every table, in the caller's transaction (`windows`: the
    inbox's and the outbox's retention in days); returns how many."""
    fresh = int((await conn.execute(sql.BATCH, lo, hi)).split()[-1])
    await conn.execute("ANALYZE batch")
    await conn.execute(sql.MILESTONES)
    await conn.execute(sql.messages(windows[0]))
    for table, statement in (*sql.STATEMENTS, *sql.runtime_statements(*windows)):
        status = await conn.execute(statement)
        added[table] += int(status.split()[-1])
    return fresh


async def missing(conn: asyncpg.Connection, journeys: int, batch: int) -> list[tuple[int, int]]:
    """The batches (`lo`, `hi`) of the first `journeys` that are not (all) there."""
    there = {row["batch"]: row["journeys"] for row in await conn.fetch(sql.LOADED, batch)}
    return [
        (lo, min(lo + batch, journeys))
        for lo in range(0, journeys, batch)
        if there.get(lo // batch, 0) < min(lo + batch, journeys) - lo
    ]


def _say(line: str) -> None:
    print(line, flush=True)  # progress shows as it happens, also through a pipe


async def preload(
    database_url: str, journeys: int, *, batch: int = 20_000, workers: int = 2, say: Callable[[str], None] = _say
) -> None:
    """Top the database up to `journeys` preloaded journeys, `workers` batches at a time; print progress, rows per
    table and the database's size."""
    began = time.monotonic()
    for service in sql.SERVICES:
        await migrate(database_url, service, ROOT / "services" / service / "migrations")
    conn = await asyncpg.connect(database_url, command_timeout=None)
    try:
        for statement in sql.SETUP:
            await conn.execute(statement, *(([m.value for m in Milestone],) if "$1" in statement else ()))
        load = Load(database_url, await missing(conn, journeys, batch), say, began)
        have = await conn.fetchval(f"SELECT count(*) FROM {sql.PRELOADED}")
        say(f"preload: {have:,} journeys there, {journeys:,} wanted; {len(load.todo)} batch(es) of {batch:,} to load")
        await asyncio.gather(*(load.work() for _ in range(min(workers, len(load.todo)))))
        if load.journeys:
            analyzed = time.monotonic()
            await conn.execute("ANALYZE")  # the planner's statistics after a bulk load
            say(f"  ANALYZE: {time.monotonic() - analyzed:.1f} s")
        await report(conn, load.rows, say)
    finally:
        await conn.close()
    say(f"preload done in {time.monotonic() - began:.1f} s")


@dataclass
class Load:
    """Batches to load, shared by the workers, and what they loaded so far."""

    database_url: str
    todo: list[tuple[int, int]]
    say: Callable[[str], None]
    began: float
    journeys: int = 0
    rows: Counter[str] = field(default_factory=Counter)

    async def work(self) -> None:
        """Load batches until none is left, one transaction each, on a connection of its own."""
        defaults = ServiceSettings.model_fields
        windows = (
            round(defaults["inbox_retention_s"].default / DAY_S),
            round(defaults["outbox_retention_s"].default / DAY_S),
        )
        conn = await asyncpg.connect(self.database_url, command_timeout=None)
        try:
            await conn.execute("SET TIME ZONE 'Europe/Berlin'")  # the facts' days are Berlin days
            await create_shapes(conn)
            while self.todo:
                lo, hi = self.todo.pop(0)
                rows: Counter[str] = Counter()
                async with conn.transaction():
                    fresh = await load_batch(conn, lo, hi, windows, rows)
                self.rows.update(rows)
                self.journeys += fresh
                took = time.monotonic() - self.began
                self.say(
                    f"  journeys {lo:,}..{hi - 1:,} ({fresh:,} new): {self.journeys:,} loaded in {took:.1f} s"
                    f" ({self.journeys / took:,.0f}/s)"
                )
        finally:
            await conn.close()


async def report(conn: asyncpg.Connection, added: Counter[str], say: Callable[[str], None]) -> None:
    """Rows each table has (the planner's estimate after ANALYZE) and gained, and the database's size."""
    rows = await conn.fetch(
        "SELECT n.nspname || '.' || c.relname AS name, c.reltuples::bigint AS rows,"
        " pg_total_relation_size(c.oid) AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE c.relkind = 'r' AND n.nspname = ANY($1::text[]) ORDER BY 1",
        list(sql.SERVICES),
    )
    say(f"  {'table':<32} {'rows (est.)':>14} {'added':>12} {'size MiB':>10}")
    for row in rows:
        if row["rows"] > 0 or added[row["name"]]:
            name, size_mib = row["name"], row["bytes"] / 2**20
            say(f"  {name:<32} {max(row['rows'], 0):>14,} {added[name]:>12,} {size_mib:>10.1f}")
    size = await conn.fetchval("SELECT pg_database_size(current_database())")
    say(f"  database {await conn.fetchval('SELECT current_database()')}: {size / 2**30:.2f} GiB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench.preload", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--journeys", type=int, required=True, help="preloaded journeys wanted in all (tops up)")
    parser.add_argument("--batch", type=int, default=20_000, help="journeys per transaction (default: 20,000)")
    parser.add_argument("--workers", type=int, default=2, help="batches loaded at once (default: 2)")
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", LOCAL_DATABASE), help="default: $DATABASE_URL"
    )
    args = parser.parse_args(argv)
    asyncio.run(preload(args.database_url, args.journeys, batch=args.batch, workers=args.workers))
    return 0


if __name__ == "__main__":
    sys.exit(main())
