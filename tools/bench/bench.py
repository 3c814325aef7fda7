"""`python -m tools.bench` (`make bench`): the whole system under load on this machine, in figures.

Starts the local Kafka and PostgreSQL when they are not running (deploy/infra.sh up), an SMTP sink in this
process, and the five services as separate processes; feeds journeys (tools/bench/load.py); then prints
sustained throughput, milestone-mail latency, each service's peak memory and the raw baseline on the same broker
and database (tools/bench/baseline.py), as a table and as JSON. Stops what it started; Kafka and PostgreSQL are
left running. Not part of the test run: figures are printed, never asserted (docs/performance.md).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tools.bench import figures, lag
from tools.bench.baseline import run_baseline
from tools.bench.harness import Harness, my_pids, other_service_processes
from tools.bench.load import LoadGenerator
from tools.bench.report import print_bench
from tools.bench.stack import cpu_delta, infra_cpu, machine_cpu, process_cpu
from tools.bench.topics import end_offsets


async def wait_for_mails(harness: Harness, load: LoadGenerator, timeout_s: float) -> float:
    """Until every milestone seen so far has its mail to the run's coordinator; returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        got = figures.first_mails(harness.sink.mails, load.participants, harness.recipient_email)
        if figures.expected_mails(load.stats) <= set(got):
            break
        await asyncio.sleep(0.25)
    return time.monotonic() - started


def cpu_used(before: tuple[Any, ...], after: tuple[Any, ...]) -> dict[str, Any]:
    """CPU seconds each service, the broker, the database and the bench process used during the load, and how
    busy the machine was."""
    services = {
        n: round(after[0][n] - v, 1) if v is not None and after[0][n] is not None else None
        for n, v in before[0].items()
    }
    busy, total = after[2][0] - before[2][0], after[2][1] - before[2][1]
    infra = {name: round(cpu_delta(before[3][name], after[3][name]), 1) for name in after[3]}
    return {
        "services_s": services,
        "bench_process_s": round(after[1] - before[1], 1),
        "infra_s": infra,
        "machine_busy_pct": round(100 * busy / total, 1) if total else None,
        "wall_s": round(total / (os.cpu_count() or 1), 1),
    }


async def warm_up(harness: Harness, args: argparse.Namespace) -> None:
    """A few journeys first, not measured: consumer groups settle, pools fill, caches warm."""
    started = time.monotonic()
    warm = LoadGenerator(
        harness.bootstrap,
        journeys=args.warmup,
        in_flight=args.warmup,
        seed=args.seed + 1,
        region=harness.region,
        partner_org=harness.partner_org,
        complete=harness.sink.has,
    )
    await warm.start(await end_offsets(harness.bootstrap))
    finished = await warm.wait_finished(300)
    await warm.stop()
    print(
        f"  warm-up: {warm.finished}/{warm.started} journeys in {time.monotonic() - started:.1f}s"
        + ("" if finished else " (NOT all finished)"),
        flush=True,
    )


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    harness = Harness.open()
    began = datetime.now(UTC)
    print(f"bench {harness.run_id}: region {harness.region}, logs in {harness.workdir}", flush=True)
    others = other_service_processes(my_pids(harness))
    if others:
        print(f"  warning: other service processes share this Kafka/PostgreSQL: {', '.join(others)}", flush=True)
    try:
        ready = await asyncio.to_thread(harness.stack.start)
        print("  services ready: " + ", ".join(f"{n} {s:.1f}s" for n, s in ready.items()), flush=True)
        if args.warmup:
            await warm_up(harness, args)
        before = await end_offsets(harness.bootstrap)
        cpu_before = (harness.stack.cpu_seconds(), process_cpu(), machine_cpu(), infra_cpu())
        load = LoadGenerator(
            harness.bootstrap,
            journeys=args.journeys,
            rate=args.rate,
            in_flight=args.in_flight,
            seed=args.seed,
            region=harness.region,
            partner_org=harness.partner_org,
            complete=harness.sink.has,
        )
        await load.start(before)
        all_finished = await load.wait_finished(args.time_limit)
        settle_s = await wait_for_mails(harness, load, args.settle)
        reporting_settle_s = await lag.settle(harness.database_url, began)
        cpu = cpu_used(cpu_before, (harness.stack.cpu_seconds(), process_cpu(), machine_cpu(), infra_cpu()))
        after = await end_offsets(harness.bootstrap)
        await load.stop()
        memory = harness.stack.peak_memory_kib()
        dead = harness.stack.dead()
        others_after = other_service_processes(my_pids(harness))
    finally:
        harness.close()
    print(
        f"  load done; running the raw baseline ({args.baseline_messages} messages pipelined,"
        f" {args.baseline_serial_messages} serial)",
        flush=True,
    )
    reporting = {**await lag.reporting_lag(harness.database_url, began), "settle_s": reporting_settle_s}
    pipelined = await run_baseline(harness.bootstrap, harness.database_url, args.baseline_messages)
    serial = await run_baseline(harness.bootstrap, harness.database_url, args.baseline_serial_messages, mode="serial")

    stats = load.stats
    expected = figures.expected_mails(stats)
    mails = [m for m in harness.sink.mails if m.participant in load.participants]
    mine = [m for m in mails if harness.recipient_email in m.recipients]
    first = figures.first_mails(mails, load.participants, harness.recipient_email)
    throughput = figures.throughput(stats, [m.accepted_at for m in mails])
    sustained = throughput.get("steady", throughput.get("overall", {})).get("messages_per_s", 0.0)
    appended = figures.offsets_delta(before, after)
    return {
        "run": {
            "id": harness.run_id,
            "started": began.isoformat(),
            "host": platform.node(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "region": harness.region,
            "journeys": args.journeys,
            "warmup": args.warmup,
            "rate": args.rate,
            "in_flight": args.in_flight if args.rate <= 0 else None,
            "seed": args.seed,
            "timer_sweep_interval_s": 0.5,
            "log_level": "WARNING",
            "logs": str(harness.workdir),
        },
        "load": {
            "started": load.started,
            "finished": load.finished,
            "all_finished": all_finished,
            "failed": len(stats.failed),
            "failures": dict(list(stats.failed.items())[:10]),
            "commands": len(stats.commands),
            "events": len(stats.events) - len(stats.rejections),
            "rejections": len(stats.rejections),
            "redelivered_copies_seen": stats.redelivered_copies,
            "command_resends": stats.resends,
            "mail_settle_s": settle_s,
        },
        "throughput": throughput,
        "latency": figures.latency(stats, mails, harness.recipient_email),
        "mails": {
            "expected": len(expected),
            "received": len(set(first) & expected),
            "missing": len(expected - set(first)),
            "accepted_total": len(mine),
            "extra_copies": len(mine) - len(first),
            "accepted_all_recipients": len(mails),
            "recipients": sorted({r for m in mails for r in m.recipients}),
            "per_journey": len(mails) / load.started if load.started else None,
        },
        "cpu": cpu,
        "reporting_lag": reporting,
        "memory_peak_mib": {n: None if k is None else round(k / 1024, 1) for n, k in memory.items()},
        "broker_appended": {"total": sum(appended.values()), "per_topic": appended},
        "baseline": {
            r.mode: {"messages": r.messages, "seconds": r.seconds, "messages_per_s": r.per_second}
            for r in (pipelined, serial)
        },
        "ratio_to_baseline": sustained / pipelined.per_second if pipelined.per_second else None,
        "services_ready_s": ready,
        "services_dead_at_end": dead,
        "other_service_processes": sorted(set(others) | set(others_after)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--journeys", type=int, default=300, help="journeys to run (default: 300, ~2 minutes)")
    parser.add_argument(
        "--rate",
        type=float,
        default=0.0,
        help="new journeys per second (open loop); 0 = as fast as the system takes them",
    )
    parser.add_argument("--in-flight", type=int, default=16, help="journeys under way at once when --rate is 0")
    parser.add_argument("--baseline-messages", type=int, default=5000, help="messages for the pipelined baseline")
    parser.add_argument("--baseline-serial-messages", type=int, default=1000, help="messages for the serial one")
    parser.add_argument("--time-limit", type=float, default=600, help="seconds of load at most")
    parser.add_argument("--settle", type=float, default=120, help="seconds to wait for the last mails")
    parser.add_argument("--warmup", type=int, default=5, help="journeys run first and not measured")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON to this file")
    args = parser.parse_args(argv)
    result = asyncio.run(measure(args))
    print_bench(result)
    text = json.dumps(result, indent=2, default=str)
    print("\nJSON:\n" + text)
    (Path(result["run"]["logs"]) / "result.json").write_text(text + "\n", encoding="utf-8")
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    complete = result["load"]["all_finished"] and not result["mails"]["missing"] and not result["services_dead_at_end"]
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
