"""`journey`: the operators' command line. One group per concern; `journey rights` serves the participant's rights.

    journey rights access <participant_id> [--for ORG] [--out FILE]   the participant's data as one JSON document
    journey rights requests                                           the lead partners' pending access requests
    journey rights retention-run [--dry-run] [--wait S]               the retention schedule, run now by recruitment
    journey rights runs                                               the retention schedule's recorded runs

It reads DATABASE_URL like the services do. `access --for ORG` fulfils ORG's pending requests about the participant
(ORG must have one: only the case's lead can); without it the document is for the operators (asked directly).
Either way the fulfilment is recorded and announced (`DataAccessProvided`). A group is added to `GROUPS`.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import asyncpg

from shared.rights import access, requests, runs
from shared.settings import ServiceSettings

Run = Callable[[argparse.Namespace, ServiceSettings], Awaitable[int]]


def rights_group(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rights = commands.add_parser("rights", help="the participant's rights (DSGVO Art. 15-17, 20)")
    actions = rights.add_subparsers(dest="action", required=True)
    doc = actions.add_parser("access", help="everything held about one participant, as JSON")
    doc.add_argument("participant_id", type=UUID)
    doc.add_argument("--for", dest="org", help="the lead partner whose pending request this fulfils")
    doc.add_argument("--out", type=Path, help="write the document here (default: standard output)")
    actions.add_parser("requests", help="pending access requests of the lead partners")
    run = actions.add_parser("retention-run", help="ask the recruitment service to run the retention schedule now")
    run.add_argument("--dry-run", action="store_true", help="count who would be anonymised; change nothing")
    run.add_argument("--wait", type=float, default=120.0, help="seconds to wait for the run to finish")
    actions.add_parser("runs", help="the retention schedule's runs, newest first")
    rights.set_defaults(run=run_rights)


GROUPS: tuple[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None], ...] = (rights_group,)
"""Each adds its sub-command group and sets `run` (a `Run`) as its default."""


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="journey", description=(__doc__ or "").splitlines()[0])
    commands = top.add_subparsers(dest="group", required=True)
    for add in GROUPS:
        add(commands)
    return top


async def run_rights(args: argparse.Namespace, settings: ServiceSettings) -> int:
    conn = await asyncpg.connect(settings.database_url, server_settings={"search_path": requests.SCHEMA})
    try:
        if args.action == "access":
            return await _access(conn, args)
        if args.action == "requests":
            for r in await requests.pending(conn):
                print(f"{r.request_id}\t{r.participant_id}\t{r.requested_by}\t{r.requested_on}\t{r.recorded_at:%F %R}")
            return 0
        if args.action == "retention-run":
            run_id = await runs.request_run(conn, dry_run=args.dry_run)
            row = await runs.wait_for_run(conn, run_id, args.wait)
            if row["finished_at"] is None:
                print(f"run {run_id} requested, not finished after {args.wait:.0f} s: is the recruitment service up?")
                return 3
            print(_run_line(row))
            return 1 if row["failure"] else 0
        for row in await runs.recent_runs(conn):
            print(_run_line(row))
        return 0
    finally:
        await conn.close()


async def _access(conn: asyncpg.Connection, args: argparse.Namespace) -> int:
    now = datetime.now(UTC)
    if args.org is not None and not await requests.pending(conn, args.participant_id, args.org):
        print(f"error: {args.org} has no pending access request about {args.participant_id}", file=sys.stderr)
        return 2
    produced_for = args.org or requests.OPERATOR
    document = await access.participant_document(conn, args.participant_id, produced_for, now)
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.touch(mode=0o600)  # personal data: for the operator's eyes only
        args.out.write_text(text, encoding="utf-8")
    fulfilled = await requests.record_provided(conn, args.participant_id, produced_for, _operator(), now)
    print(f"provided for {produced_for}: {len(fulfilled)} request(s) fulfilled", file=sys.stderr)
    return 0


def _operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _run_line(row: asyncpg.Record) -> str:
    state = "failed: " + row["failure"] if row["failure"] else "finished" if row["finished_at"] else "pending"
    kind = "dry run" if row["dry_run"] else "run"
    return (
        f"{row['run_id']}\t{row['requested_by']} {kind}\t{row['requested_at']:%Y-%m-%d %H:%M}\tcut-off {row['cut_off']}"
        f"\tanonymised {row['anonymised']}\theld {row['held']}\t{state}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        code: int = asyncio.run(args.run(args, ServiceSettings()))
        return code
    except (ValueError, OSError, asyncpg.PostgresError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
