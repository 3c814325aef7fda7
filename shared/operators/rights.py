"""`journey rights`: the participant's rights as the operators serve them (shared/rights does the work).

`access --for ORG` fulfils ORG's pending requests about the participant (ORG must have one: only the case's lead
can); without it the document is for the operators (asked directly). Either way the fulfilment is recorded and
announced (`DataAccessProvided`)."""

from __future__ import annotations

import asyncio
import getpass
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import asyncpg

from shared.operators.failures import NO_OUTCOME, REFUSED, OperatorError
from shared.rights import access, requests, runs
from shared.settings import ServiceSettings


async def _connect(settings: ServiceSettings) -> asyncpg.Connection:
    return await asyncpg.connect(settings.database_url, server_settings={"search_path": requests.SCHEMA})


async def provide_access(settings: ServiceSettings, participant_id: UUID, org: str | None, out: Path | None) -> None:
    """Write the participant's document (to `out`, else standard output) and record whom it was provided for."""
    conn = await _connect(settings)
    try:
        now = datetime.now(UTC)
        if org is not None and not await requests.pending(conn, participant_id, org):
            raise OperatorError(f"{org} has no pending access request about {participant_id}")
        produced_for = org or requests.OPERATOR
        document = await access.participant_document(conn, participant_id, produced_for, now)
        text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
        if out is None:
            sys.stdout.write(text)
        else:
            await asyncio.to_thread(_write_private, out, text)
        fulfilled = await requests.record_provided(conn, participant_id, produced_for, _operator(), now)
        print(f"provided for {produced_for}: {len(fulfilled)} request(s) fulfilled", file=sys.stderr)
    finally:
        await conn.close()


async def pending_requests(settings: ServiceSettings) -> list[dict[str, Any]]:
    conn = await _connect(settings)
    try:
        return [
            {
                "request_id": r.request_id,
                "participant_id": r.participant_id,
                "requested_by": r.requested_by,
                "requested_on": r.requested_on,
                "recorded_at": r.recorded_at,
            }
            for r in await requests.pending(conn)
        ]
    finally:
        await conn.close()


def request_line(r: dict[str, Any]) -> str:
    return (
        f"{r['request_id']}\t{r['participant_id']}\t{r['requested_by']}\t{r['requested_on']}\t{r['recorded_at']:%F %R}"
    )


async def retention_run(settings: ServiceSettings, *, dry_run: bool, wait_s: float) -> tuple[dict[str, Any], int]:
    """Ask recruitment to run the retention schedule now and wait for it: the run, and 0 finished, 1 failed, 3 not
    finished within the wait (is the recruitment service up?)."""
    conn = await _connect(settings)
    try:
        run_id = await runs.request_run(conn, dry_run=dry_run)
        row = dict(await runs.wait_for_run(conn, run_id, wait_s))
    finally:
        await conn.close()
    if row["finished_at"] is None:
        return row, NO_OUTCOME
    return row, REFUSED if row["failure"] else 0


async def recent_runs(settings: ServiceSettings) -> list[dict[str, Any]]:
    conn = await _connect(settings)
    try:
        return [dict(row) for row in await runs.recent_runs(conn)]
    finally:
        await conn.close()


def run_line(row: dict[str, Any]) -> str:
    state = "failed: " + row["failure"] if row["failure"] else "finished" if row["finished_at"] else "pending"
    kind = "dry run" if row["dry_run"] else "run"
    return (
        f"{row['run_id']}\t{row['requested_by']} {kind}\t{row['requested_at']:%Y-%m-%d %H:%M}\tcut-off {row['cut_off']}"
        f"\tanonymised {row['anonymised']}\theld {row['held']}\t{state}"
    )


def _write_private(out: Path, text: str) -> None:
    out.touch(mode=0o600)  # personal data: for the operator's eyes only
    out.write_text(text, encoding="utf-8")


def _operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
