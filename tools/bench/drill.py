"""`python -m tools.bench.drill` (`make drill`): crash everything once under load, then prove nothing was lost.

While journeys run (open loop), it kills each service with `kill -9` and starts it again, then the Kafka broker
(`deploy/infra.sh kafka-kill`, `kafka-start`) and PostgreSQL (`pg-kill`, `pg-start`), one at a time, waiting for
the services to be ready again between faults. With `--instances 2` it kills one process of each service while the
other keeps working: for every other service the one leading the outbox relay (so the standby must take over), else
a standby. When the load is over and the system has settled it checks the topics (read from the run's start), every
service's schema and the mailbox (tools/bench/verify.py), prints the counts, and exits 1 on any lost command,
duplicated fact, missing or doubled mail, unfinished journey, or a service that died without being killed. It
restarts Kafka and PostgreSQL itself and leaves them running; other test runs on the same broker and database see
the outages, so run it when nothing else is running.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg

from tools.bench import figures
from tools.bench.harness import Harness, my_pids, other_service_processes
from tools.bench.load import LoadGenerator
from tools.bench.report import print_drill
from tools.bench.stack import SERVICES, Service, infra
from tools.bench.topics import end_offsets, read_between
from tools.bench.verify import check_databases, check_mailbox, check_topics, sent_deliveries


class Faults:
    """Runs the fault schedule and supervises the services: one that dies unasked is restarted and reported."""

    def __init__(self, harness: Harness, gap_s: float, down_s: float) -> None:
        self.harness = harness
        self.gap_s = gap_s
        self.down_s = down_s
        self.log: list[dict[str, Any]] = []
        self.unexpected_exits: list[str] = []
        self._killing: set[str] = set()
        self.began = time.monotonic()

    def note(self, what: str, **details: Any) -> None:
        entry = {"at_s": round(time.monotonic() - self.began, 1), "what": what, **details}
        self.log.append(entry)
        print(f"  drill {entry['at_s']:>6.1f}s  {what}  {' '.join(f'{k}={v}' for k, v in details.items())}", flush=True)

    async def supervise(self) -> None:
        while True:
            for name, service in self.harness.stack.services.items():
                if name not in self._killing and not service.alive():
                    code = service.proc.returncode if service.proc else None
                    self.unexpected_exits.append(f"{name} (exit {code})")
                    self.note("UNEXPECTED EXIT, restarting", service=name, exit=code)
                    service.start()
            await asyncio.sleep(0.5)

    async def run(self) -> None:
        stack = self.harness.stack
        for turn, module in enumerate(SERVICES):
            service, role = await self._victim(module, leader=turn % 2 == 0)
            self._killing.add(service.name)
            service.kill()
            self.note("kill -9", service=service.name, **({"role": role} if role else {}))
            await asyncio.sleep(self.down_s)
            service.start()
            self._killing.discard(service.name)
            ready = await asyncio.to_thread(service.wait_ready, 180)
            self.note("restarted", service=service.name, ready_s=round(ready, 1))
            await asyncio.sleep(self.gap_s)
        for kill, start in (("kafka-kill", "kafka-start"), ("pg-kill", "pg-start")):
            self.note(kill, took_s=round(await asyncio.to_thread(infra, kill), 1))
            await asyncio.sleep(self.down_s)
            self.note(start, took_s=round(await asyncio.to_thread(infra, start), 1))
            ready = await asyncio.to_thread(stack.wait_all_ready, 300)
            self.note("all services ready", ready_s=round(ready, 1))
            await asyncio.sleep(self.gap_s)

    async def _victim(self, module: str, *, leader: bool) -> tuple[Service, str]:
        """The process of `module` to kill, and its role. With several instances: the outbox relay's leader (whose
        work another instance must take over) or, every other service, one of its standbys."""
        processes = self.harness.stack.instances_of(module)
        if len(processes) == 1:
            return processes[0], ""
        holder = await relay_leader(self.harness.database_url, module, processes)
        if holder is None:
            return processes[0], "outbox relay leader unknown"
        if leader:
            return holder, "outbox relay leader"
        return next(p for p in processes if p is not holder), "outbox relay standby"


async def relay_leader(database_url: str, schema: str, processes: list[Service]) -> Service | None:
    """The process holding the schema's outbox-relay lock (shared/outbox.py), found by its session's client port."""
    conn = await asyncpg.connect(database_url)
    try:
        ports = await conn.fetch(
            "SELECT a.client_port FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE l.locktype = 'advisory' AND l.granted"
            " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtext($1)::bigint",
            f"outbox-relay:{schema}",
        )
    finally:
        await conn.close()
    return next((p for row in ports for p in processes if p.owns_tcp_port(row["client_port"])), None)


async def wait_settled(harness: Harness, load: LoadGenerator, timeout_s: float, quiet_s: float) -> float:
    """Until every milestone has its mail and nothing new arrived (events, mails) for `quiet_s`."""
    started = time.monotonic()
    last_change, last_counts = time.monotonic(), (-1, -1)
    while time.monotonic() - started < timeout_s:
        counts = (load.stats.records_seen(), len(harness.sink.mails))
        if counts != last_counts:
            last_change, last_counts = time.monotonic(), counts
        got = figures.first_mails(harness.sink.mails, load.participants, harness.recipient_email)
        if figures.expected_mails(load.stats) <= set(got) and time.monotonic() - last_change >= quiet_s:
            break
        await asyncio.sleep(0.5)
    return time.monotonic() - started


async def drill(args: argparse.Namespace) -> dict[str, Any]:
    harness = Harness.open(instances=args.instances)
    began = datetime.now(UTC)
    print(
        f"drill {harness.run_id}: region {harness.region}, {args.instances} process(es) of every service,"
        f" logs in {harness.workdir}",
        flush=True,
    )
    others = other_service_processes(my_pids(harness), harness.database_url)
    if others:
        print(f"  warning: other service processes share this Kafka/PostgreSQL: {', '.join(others)}", flush=True)
    faults = Faults(harness, args.gap, args.down)
    try:
        await asyncio.to_thread(harness.stack.start)
        start = await end_offsets(harness.bootstrap)
        load = LoadGenerator(
            harness.bootstrap,
            journeys=args.journeys,
            rate=args.rate,
            seed=args.seed,
            region=harness.region,
            partner_org=harness.partner_org,
        )
        await load.start(start)
        supervisor = asyncio.create_task(faults.supervise())
        await asyncio.sleep(args.lead)
        if not args.no_faults:
            await faults.run()
        faults.note("no faults (control run)" if args.no_faults else "faults done; waiting for the load to finish")
        finished = await load.wait_finished(args.time_limit)
        faults.note(
            "load finished" if finished else "LOAD DID NOT FINISH (failed or stuck journeys)",
            journeys=f"{load.finished}/{load.started}",
            failed=len(load.stats.failed),
        )
        settled = await wait_settled(harness, load, args.settle, args.quiet)
        faults.note("settled", waited_s=round(settled, 1))
        supervisor.cancel()
        end = await end_offsets(harness.bootstrap)
        await load.stop()
        memory = harness.stack.peak_memory_kib()
        cpu = harness.stack.cpu_seconds()
        others_after = other_service_processes(my_pids(harness), harness.database_url)
    finally:
        harness.close()
    records = await read_between(harness.bootstrap, start, end)
    topics = check_topics(load, records)
    milestone_facts = topics.pop("milestone_facts")
    sent = await sent_deliveries(harness.database_url, load.participants)
    mailbox = check_mailbox(
        harness.sink.mails, load.participants, harness.recipient_email, milestone_facts, sent, origin=faults.began
    )
    databases = await check_databases(harness.database_url, load, records, harness.recipient_id)
    return {
        "run": {
            "id": harness.run_id,
            "started": began.isoformat(),
            "region": harness.region,
            "journeys": args.journeys,
            "rate": args.rate,
            "instances": args.instances,
            "faults": not args.no_faults,
            "logs": str(harness.workdir),
        },
        "faults": faults.log,
        "unexpected_exits": faults.unexpected_exits,
        "topics": topics,
        "mailbox": mailbox,
        "databases": databases,
        "load": {"command_resends": load.stats.resends, "redelivered_copies_seen": load.stats.redelivered_copies},
        "memory_peak_mib": {n: None if k is None else round(k / 1024, 1) for n, k in memory.items()},
        "cpu_s_since_last_start": {n: None if c is None else round(c, 1) for n, c in cpu.items()},
        "other_service_processes": sorted(set(others) | set(others_after)),
    }


def failures(r: dict[str, Any], strict_mail: bool) -> list[str]:
    """What fails the drill. Mail is at-least-once across a crash of the notifier (a product decision: plain SMTP
    cannot make the server's acceptance and our commit one step), so a mail re-sent with the same Message-ID is
    counted, not failed, unless `strict_mail`; a missing mail or a copy with another Message-ID always fails."""
    t, m, d = r["topics"], r["mailbox"], r["databases"]
    checks = {
        "commands lost": t["commands_lost"] + t["commands_not_on_topic"] + d["commands_missing_from_inbox"],
        "duplicated facts": t["duplicated_facts_different_ce_id"],
        "journeys not completed": t["journeys_started"] - t["journeys_completed"],
        "mails missing": m["mails_missing"],
        "mails duplicated (different Message-ID)": m["mails_duplicated_different_message_id"],
        "mails unexpected": m["mails_unexpected"],
        "outbox rows unpublished or not on the topic": d["outbox_unpublished"] + d["outbox_published_not_on_topic"],
        "deliveries not sent or doubled": sum(n for s, n in d["deliveries_by_status"].items() if s != "sent")
        + d["deliveries_more_than_one_per_milestone"],
        "events the reporting read model did not apply": d["reporting_events_not_applied"],
        "participants missing from the reporting read model": t["journeys_started"] - d["reporting_participants"],
        "services that died unasked": len(r["unexpected_exits"]),
    }
    if strict_mail:
        checks["mails re-sent (same Message-ID; recipients see them twice)"] = m["mails_resent_same_message_id"]
    return [f"{what}: {n}" for what, n in checks.items() if n]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.bench.drill", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--journeys", type=int, default=300)
    parser.add_argument("--rate", type=float, default=2.0, help="new journeys per second (open loop)")
    parser.add_argument("--lead", type=float, default=10, help="seconds of load before the first fault")
    parser.add_argument("--down", type=float, default=3, help="seconds a killed component stays down")
    parser.add_argument("--gap", type=float, default=6, help="seconds between recovery and the next fault")
    parser.add_argument("--time-limit", type=float, default=600, help="seconds for the load to finish")
    parser.add_argument("--settle", type=float, default=300, help="seconds to wait for the last mails")
    parser.add_argument("--quiet", type=float, default=15, help="seconds without news that count as settled")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--instances", type=int, default=1, help="processes of every service (same consumer groups); one is killed"
    )
    parser.add_argument("--no-faults", action="store_true", help="the same run and checks without faults (control)")
    parser.add_argument(
        "--strict-mail",
        action="store_true",
        help="fail on mails re-sent with the same Message-ID too (by default they are counted: at-least-once mail)",
    )
    parser.add_argument("--json", type=Path, help="also write the counts as JSON to this file")
    args = parser.parse_args(argv)
    result = asyncio.run(drill(args))
    result["failures"] = failures(result, args.strict_mail)
    print_drill(result)
    text = json.dumps(result, indent=2, default=str)
    print("\nJSON:\n" + text)
    (Path(result["run"]["logs"]) / "result.json").write_text(text + "\n", encoding="utf-8")
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 1 if result["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
