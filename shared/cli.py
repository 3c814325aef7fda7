"""`journey`: the operators' command line, against the real broker and database. Every command has `--json`.

    journey rights access|requests|retention-run|runs        the participant's rights (DSGVO Art. 15-17, 20)
    journey rejections list|explain|resubmit                 what the stages refused, why, and the correction
    journey timeline <participant_id>                        everything about one participant, across all topics
    journey lag [--group PREFIX]                             consumer lag per group and partition
    journey backlog                                          outbox backlogs and the delivery queue
    journey health [--service stage=url ...]                 Kafka, PostgreSQL and each service's readiness

It reads its settings as the services do (DATABASE_URL, KAFKA_BOOTSTRAP_SERVERS; with KAFKA_CREDENTIALS_FILE it
connects as the `journey-operator` principal on the secured listener). Exit codes: 0 fine, 1 refused or not
ready, 2 unusable input or an unreachable broker or database, 3 no outcome within the wait.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar
from uuid import UUID

import asyncpg
import typer
from aiokafka.errors import KafkaError

from shared.contracts.rejections import RejectionReason
from shared.contracts.topics import Stage
from shared.operators import corrections, health, queues, rights
from shared.operators.bus import reader
from shared.operators.failures import USAGE, OperatorError
from shared.operators.output import emit_json, emit_table, progress_bar
from shared.operators.rejections import RejectionFilter, explanation, find, rejections
from shared.operators.resubmit import resubmit
from shared.operators.timeline import timeline
from shared.operators.windows import since as since_moment
from shared.settings import ServiceSettings

T = TypeVar("T")
Json = Annotated[bool, typer.Option("--json", help="Machine-readable output on standard output.")]

app = typer.Typer(name="journey", help=(__doc__ or "").splitlines()[0], no_args_is_help=True, add_completion=False)
rights_app = typer.Typer(help="The participant's rights (DSGVO Art. 15-17, 20).", no_args_is_help=True)
rejections_app = typer.Typer(help="What the stages refused: list, explain, correct and resubmit.", no_args_is_help=True)
app.add_typer(rights_app, name="rights")
app.add_typer(rejections_app, name="rejections")


def run(work: Callable[[ServiceSettings], Coroutine[Any, Any, T]]) -> T:
    """Run one command's work with the settings; an expected failure ends it with one line and its exit code."""
    try:
        return asyncio.run(work(ServiceSettings()))
    except OperatorError as error:
        fail(str(error), error.code)
    except (KafkaError, OSError, asyncpg.PostgresError, ValueError) as error:
        fail(f"{type(error).__name__}: {error}", USAGE)


def fail(message: str, code: int) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def done(code: int) -> None:
    if code:
        raise typer.Exit(code)


# --- rights -------------------------------------------------------------------------------------------------------


@rights_app.command("access")
def rights_access(
    participant_id: UUID,
    org: Annotated[
        str | None, typer.Option("--for", help="The lead partner whose pending request this fulfils.")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Write the document here (default: standard output).")] = None,
) -> None:
    """Everything held about one participant, as one JSON document (so no --json: it is JSON already)."""
    run(lambda s: rights.provide_access(s, participant_id, org, out))


@rights_app.command("requests")
def rights_requests(as_json: Json = False) -> None:
    """Pending access requests of the lead partners."""
    found = run(rights.pending_requests)
    if as_json:
        emit_json(found)
    for row in [] if as_json else found:
        print(rights.request_line(row))


@rights_app.command("retention-run")
def rights_retention_run(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count who would be anonymised; change nothing.")] = False,
    wait: Annotated[float, typer.Option(help="Seconds to wait for the run to finish.")] = 120.0,
    as_json: Json = False,
) -> None:
    """Ask the recruitment service to run the retention schedule now."""
    row, code = run(lambda s: rights.retention_run(s, dry_run=dry_run, wait_s=wait))
    if as_json:
        emit_json(row)
    elif row["finished_at"] is None:
        print(f"run {row['run_id']} requested, not finished after {wait:.0f} s: is the recruitment service up?")
    else:
        print(rights.run_line(row))
    done(code)


@rights_app.command("runs")
def rights_runs(as_json: Json = False) -> None:
    """The retention schedule's runs, newest first."""
    found = run(rights.recent_runs)
    if as_json:
        emit_json(found)
    for row in [] if as_json else found:
        print(rights.run_line(row))


# --- rejections ---------------------------------------------------------------------------------------------------


@rejections_app.command("list")
def rejections_list(
    stage: Annotated[Stage | None, typer.Option(help="Only this stage's rejections.")] = None,
    reason: Annotated[RejectionReason | None, typer.Option(help="Only this reason.")] = None,
    partner: Annotated[str | None, typer.Option(help="Only what this partner organisation sent.")] = None,
    participant: Annotated[UUID | None, typer.Option(help="Only about this participant.")] = None,
    since: Annotated[str | None, typer.Option(help="From this moment: ISO 8601, or 30m, 1h, 2d, 1w back.")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Only the newest N.")] = None,
    as_json: Json = False,
) -> None:
    """Rejections from every rejections topic (shared and per partner), oldest first."""

    async def work(settings: ServiceSettings) -> list[dict[str, Any]]:
        only = RejectionFilter(stage, reason, partner, participant, since_moment(since) if since else None, limit)
        async with reader(settings) as bus:
            with progress_bar("reading rejections") as progress:
                return [r.row() for r in await rejections(bus, only, progress)]

    rows = run(work)
    if as_json:
        emit_json(rows)
    else:
        emit_table(rows, ["id", "when", "stage", "reason", "ce_type", "participant", "detail"], title="rejections")


@rejections_app.command("explain")
def rejections_explain(
    rejection_id: Annotated[str, typer.Argument(help="The rejection's id (8+ characters).")], as_json: Json = False
) -> None:
    """A rejection in full: reason, what to do about it, every field error, the original headers and body."""

    async def work(settings: ServiceSettings) -> dict[str, Any]:
        async with reader(settings) as bus:
            with progress_bar("looking for the rejection") as progress:
                return explanation(await find(bus, rejection_id, progress))

    explained = run(work)
    if as_json:
        emit_json(explained)
        return
    for name in (
        "id",
        "when",
        "topic",
        "partner",
        "reason",
        "ce_type",
        "participant",
        "detail",
        "meaning",
        "what_to_do",
    ):
        print(f"{name.replace('_', ' ')}: {explained[name] if explained[name] is not None else ''}")
    emit_table(explained["errors"], ["location", "problem"], title="field errors")
    print("original headers:")
    for header, value in explained["original"]["headers"].items():
        print(f"  {header}: {value}")
    print("original body:")
    print(json.dumps(explained["original"]["body"], ensure_ascii=False, indent=2))


@rejections_app.command("resubmit")
def rejections_resubmit(
    rejection_id: Annotated[str, typer.Argument(help="The rejection's id (8+ characters).")],
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="path=value; JSON values, else text. Repeatable.")
    ] = None,
    file: Annotated[Path | None, typer.Option(help="The whole corrected body (JSON); --set applies on top.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Build and check the correction; send nothing.")] = False,
    wait: Annotated[
        bool, typer.Option("--wait", help="Wait for the stage's outcome: an event or a rejection.")
    ] = False,
    timeout: Annotated[float, typer.Option(help="Seconds --wait waits.")] = 60.0,
    as_json: Json = False,
) -> None:
    """Send the corrected command (original headers, a new ce_id) to the stage's shared commands topic, as the
    operator, once it passes the stage's checks here (a partner's command also the partner checks)."""
    changes = _assignments(set_ or [])
    replacement = _read_json(file) if file is not None else None
    report, code = run(
        lambda s: resubmit(s, rejection_id, changes, replacement, dry_run=dry_run, wait_s=timeout if wait else None)
    )
    if as_json:
        emit_json(report)
    else:
        _print_resubmitted(report)
    done(code)


def _assignments(texts: list[str]) -> list[tuple[corrections.Path, Any]]:
    try:
        return [corrections.assignment(text) for text in texts]
    except OperatorError as error:
        fail(str(error), error.code)


def _read_json(file: Path) -> Any:
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        fail(f"--file {file}: {error}", USAGE)


def _print_resubmitted(report: dict[str, Any]) -> None:
    print(json.dumps(report["correction"], ensure_ascii=False, indent=2))
    if "refused" in report:
        refused = report["refused"]
        print(f"not sent: the stage would reject it as {refused['reason']}: {refused['message']}")
        emit_table([{"location": loc, "problem": p} for loc, p in refused["errors"]], ["location", "problem"])
    elif not report["sent"]:
        print(f"valid; not sent (dry run); it would go as ce_id {report['ce_id']}")
    else:
        print(f"sent as ce_id {report['ce_id']}; outcome: {report.get('outcome', 'not awaited')}")
        for event in report.get("events", []):
            print(f"  caused {event['ce_type']} ({event['ce_id']})")
        if report.get("new_rejection"):
            print(f"  rejected again: {report['new_rejection']['reason']}: {report['new_rejection']['detail']}")


# --- timeline, lag, backlog, health -----------------------------------------------------------------------------------


@app.command("timeline")
def timeline_command(participant_id: UUID, as_json: Json = False) -> None:
    """Everything about one pseudonymous participant across all topics (events, commands, rejections), by time."""

    async def work(settings: ServiceSettings) -> list[dict[str, Any]]:
        async with reader(settings) as bus:
            with progress_bar("reading every journey topic") as progress:
                return [entry.row() for entry in await timeline(bus, participant_id, progress)]

    rows = run(work)
    if as_json:
        emit_json(rows)
    else:
        emit_table(rows, ["when", "topic", "type", "source", "summary"], title=f"timeline of {participant_id}")


@app.command("lag")
def lag_command(
    group: Annotated[str, typer.Option(help="Only the consumer groups whose name starts so.")] = "",
    as_json: Json = False,
) -> None:
    """Consumer lag per group and partition: the partition's end offset minus the group's committed offset."""
    rows = run(lambda s: queues.lag(s, group))
    if as_json:
        emit_json(rows)
    else:
        emit_table(rows, ["group", "topic", "partition", "committed", "end", "lag"], title="consumer lag")


@app.command("backlog")
def backlog_command(as_json: Json = False) -> None:
    """Outbox rows waiting per stage (and the oldest's age, rows set aside), and the mails waiting to be sent."""
    found = run(queues.backlogs)
    if as_json:
        emit_json(found)
        return
    emit_table(found["outbox"], ["schema", "pending", "oldest_pending_s", "set_aside"], title="outbox")
    deliveries = found["deliveries"]
    emit_table([deliveries] if deliveries else [], ["pending", "due", "oldest_pending_s"], title="delivery queue")


@app.command("health")
def health_command(
    service: Annotated[
        list[str] | None, typer.Option(help="stage=url of a service (default: each on 127.0.0.1:8001-8006).")
    ] = None,
    as_json: Json = False,
) -> None:
    """Whether Kafka and PostgreSQL answer and each service is ready; exit code 1 when anything is not."""
    addresses = dict(health.SERVICES)
    for given in service or []:
        name, equals, url = given.partition("=")
        if not equals or name not in addresses:
            fail(f"--service {given!r}: write stage=url with a stage of {', '.join(addresses)}", USAGE)
        addresses[name] = url
    found = run(lambda s: health.health(s, addresses))
    if as_json:
        emit_json(found)
    else:
        rows = [{**c, "ready": "yes" if c["ready"] else "NO", "detail": _brief(c["detail"])} for c in found["checks"]]
        emit_table(rows, ["name", "ready", "detail"], title="health")
    done(0 if found["ready"] else 1)


def _brief(detail: Any) -> str:
    if isinstance(detail, dict):
        return "; ".join(detail.get("problems", [])) or str(detail.get("status", ""))
    return str(detail or "")


def main(argv: Sequence[str] | None = None) -> int:
    """The console script: the command's exit code (2 for a usage error, which typer prints)."""
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)  # its connection errors become our one line
    try:
        app(args=list(argv) if argv is not None else None, prog_name="journey")
    except SystemExit as ended:
        return ended.code if isinstance(ended.code, int) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
