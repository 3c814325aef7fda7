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

from tools.bench import broker, figures, goals, lag
from tools.bench.baseline import run_baseline
from tools.bench.harness import Harness, my_pids, other_service_processes
from tools.bench.load import LoadGenerator
from tools.bench.preload import preload
from tools.bench.profile import Profiler
from tools.bench.report import print_bench
from tools.bench.stack import SERVICES, cpu_delta, infra_cpu, machine_cpu, process_cpu
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


def start_profile(harness: Harness, args: argparse.Namespace) -> Profiler | None:
    """py-spy on the first process of `--profile <service>`, for `--profile-s` seconds of the saturated load."""
    if not args.profile:
        return None
    name = args.profile if args.profile in harness.stack.services else f"{args.profile}#1"
    pid = harness.stack.services[name].pid
    if pid is None:
        return None
    print(f"  profiling {name} (pid {pid}) for {args.profile_s:.0f} s with py-spy", flush=True)
    return Profiler(pid, args.profile_s, harness.workdir / f"profile-{args.profile}.txt")


async def latency_phases(harness: Harness, args: argparse.Namespace, saturated: LoadGenerator) -> dict[str, Any]:
    """After the saturated load, on the same stack: half its steady rate (open loop), then one journey at a time."""
    found: dict[str, Any] = {}
    steady = figures.throughput(saturated.stats, []).get("steady", {}).get("journeys_per_s")
    if args.half_load_s > 0 and steady:
        rate = steady / 2
        journeys = max(10, round(rate * args.half_load_s))
        print(f"  half load: {journeys} journeys at {rate:.2f}/s (half the saturated steady rate)", flush=True)
        found["half_load"] = await goals.latency_phase(
            harness, journeys=journeys, rate=rate, seed=args.seed + 2, time_limit_s=args.time_limit, settle_s=60
        )
    if args.idle_journeys > 0:
        await asyncio.sleep(5)  # let the half load's tail drain
        print(f"  idle: {args.idle_journeys} journeys, one at a time", flush=True)
        found["idle"] = await goals.latency_phase(
            harness, journeys=args.idle_journeys, rate=0, seed=args.seed + 3, time_limit_s=300, settle_s=60
        )
    return found


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    harness = Harness.open(instances=args.instances, secured=args.secured)
    began = datetime.now(UTC)
    print(f"bench {harness.run_id}: region {harness.region}, logs in {harness.workdir}", flush=True)
    others = other_service_processes(my_pids(harness), harness.database_url)
    if others:
        print(f"  warning: other service processes share this Kafka/PostgreSQL: {', '.join(others)}", flush=True)
    try:
        if args.preload:  # before the services start: it writes their tables directly
            await preload(harness.database_url, args.preload)
        ready = await asyncio.to_thread(harness.stack.start)
        print("  services ready: " + ", ".join(f"{n} {s:.1f}s" for n, s in ready.items()), flush=True)
        if args.warmup:
            await warm_up(harness, args)
        before = await end_offsets(harness.bootstrap)
        broker_before = await asyncio.to_thread(broker.counters)
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
        profiler = start_profile(harness, args)
        all_finished = await load.wait_finished(args.time_limit)
        profile = await asyncio.to_thread(profiler.finish) if profiler is not None else None
        settle_s = await wait_for_mails(harness, load, args.settle)
        reporting_settle_s = await lag.settle(harness.database_url, began)
        cpu = cpu_used(cpu_before, (harness.stack.cpu_seconds(), process_cpu(), machine_cpu(), infra_cpu()))
        broker_after = await asyncio.to_thread(broker.counters)
        after = await end_offsets(harness.bootstrap)
        await load.stop()
        phases = await latency_phases(harness, args, load)
        memory = harness.stack.peak_memory_kib()
        dead = harness.stack.dead()
        others_after = other_service_processes(my_pids(harness), harness.database_url)
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
    messages = len(stats.commands) + len(stats.events)
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
            "instances": args.instances,
            "secured": args.secured,
            "preload": args.preload,
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
        "broker_cost": broker.cost(broker_before, broker_after, messages),
        **phases,
        "profile": profile and {"service": args.profile, **profile},
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
    parser.add_argument(
        "--preload", type=int, default=0, help="top the database up to this many past journeys first (preload.py)"
    )
    parser.add_argument(
        "--instances", type=int, default=1, help="processes of every service (one consumer group); figures per process"
    )
    parser.add_argument(
        "--secured",
        action="store_true",
        help="every service as its own principal on the secured listener (SASL/SCRAM over TLS), as in production",
    )
    parser.add_argument(
        "--half-load-s", type=float, default=60, help="seconds of load at half the saturated rate (0: skip)"
    )
    parser.add_argument("--idle-journeys", type=int, default=10, help="journeys run one at a time at the end (0: skip)")
    parser.add_argument(
        "--reference", type=Path, help="an empty-database run's result.json, for the preload goal's comparison"
    )
    parser.add_argument("--profile", choices=SERVICES, help="sample this service with py-spy during the load")
    parser.add_argument("--profile-s", type=float, default=30, help="seconds to sample (default: 30)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON to this file")
    args = parser.parse_args(argv)
    result = asyncio.run(measure(args))
    reference = json.loads(args.reference.read_text(encoding="utf-8")) if args.reference else None
    result["goals"] = [goal.as_json() for goal in goals.goals(result, reference)]
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
