"""Issue 14's goals, measured in the same run: the latency phases after the saturated load, and each goal as a line
that says met or not met with the figure behind it (never asserted: `make bench` prints them).

- steady messages/s / pipelined raw baseline (same run) >= 0.5;
- milestone command -> mail accepted at half the saturated rate: p99 <= 250 ms;
- one journey at a time on an otherwise idle system: p50 <= 50 ms;
- peak RSS per service process <= 80 MiB;
- with --preload N: steady journeys/s within 10 % of a reference run on an empty database (--reference).
The drill's goal (0 lost, 0 duplicated facts, 0 missing mails) is `make drill`'s verdict.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from tools.bench import figures
from tools.bench.harness import Harness
from tools.bench.load import LoadGenerator
from tools.bench.topics import end_offsets

RATIO_GOAL = 0.5
HALF_LOAD_P99_GOAL_S = 0.250
IDLE_P50_GOAL_S = 0.050
RSS_GOAL_MIB = 80.0
PRELOAD_GOAL = 0.10


async def latency_phase(
    harness: Harness, *, journeys: int, rate: float, seed: int, time_limit_s: float, settle_s: float
) -> dict[str, Any]:
    """Run `journeys` more journeys (open loop at `rate` per second; `rate` 0 = one at a time) and measure the
    milestone command -> mail latency of their mails to the run's coordinator."""
    load = LoadGenerator(
        harness.bootstrap,
        journeys=journeys,
        rate=rate,
        in_flight=1,
        seed=seed,
        region=harness.region,
        partner_org=harness.partner_org,
        complete=harness.sink.has,
    )
    await load.start(await end_offsets(harness.bootstrap))
    started = time.monotonic()
    finished = await load.wait_finished(time_limit_s)
    expected = figures.expected_mails(load.stats)
    deadline = time.monotonic() + settle_s
    while time.monotonic() < deadline:
        got = figures.first_mails(harness.sink.mails, load.participants, harness.recipient_email)
        if expected <= set(got):
            break
        await asyncio.sleep(0.1)
    await load.stop()
    mails = [m for m in harness.sink.mails if m.participant in load.participants]
    return {
        "journeys": journeys,
        "rate": rate,
        "finished": load.finished,
        "all_finished": finished,
        "seconds": round(time.monotonic() - started, 1),
        "latency": figures.latency(load.stats, mails, harness.recipient_email),
        "throughput": figures.throughput(load.stats, [m.accepted_at for m in mails]),
    }


@dataclass(frozen=True)
class Goal:
    name: str
    target: str
    measured: str
    met: bool | None  # None: not measured in this run

    def as_json(self) -> dict[str, Any]:
        return {"goal": self.name, "target": self.target, "measured": self.measured, "met": self.met}


def goals(result: dict[str, Any], reference: dict[str, Any] | None) -> list[Goal]:
    """Each goal from the run's figures (`reference`: an empty-database run's result.json for the preload goal)."""
    found = []
    ratio = result.get("ratio_to_baseline")
    found.append(
        Goal(
            "steady messages/s / pipelined raw baseline",
            f">= {RATIO_GOAL}",
            "-" if ratio is None else f"{ratio:.3f}",
            None if ratio is None else ratio >= RATIO_GOAL,
        )
    )
    half = (result.get("half_load") or {}).get("latency", {}).get("seconds", {})
    found.append(_latency_goal("half load: command -> mail p99", half.get("p99"), HALF_LOAD_P99_GOAL_S, result))
    idle = (result.get("idle") or {}).get("latency", {}).get("seconds", {})
    found.append(_latency_goal("one journey, idle system: command -> mail p50", idle.get("p50"), IDLE_P50_GOAL_S))
    memory = {n: v for n, v in (result.get("memory_peak_mib") or {}).items() if v is not None}
    if memory:
        worst = max(memory, key=lambda n: memory[n])
        found.append(
            Goal(
                "peak RSS per service process",
                f"<= {RSS_GOAL_MIB:.0f} MiB",
                f"max {memory[worst]:.1f} MiB ({worst})",
                memory[worst] <= RSS_GOAL_MIB,
            )
        )
    else:
        found.append(Goal("peak RSS per service process", f"<= {RSS_GOAL_MIB:.0f} MiB", "-", None))
    found.append(_preload_goal(result, reference))
    return found


def _latency_goal(name: str, value: float | None, goal_s: float, result: dict[str, Any] | None = None) -> Goal:
    rate = ((result or {}).get("half_load") or {}).get("rate")
    measured = "-" if value is None else f"{value * 1000:.0f} ms" + (f" at {rate:.2f} journeys/s" if rate else "")
    return Goal(name, f"<= {goal_s * 1000:.0f} ms", measured, None if value is None else value <= goal_s)


def _preload_goal(result: dict[str, Any], reference: dict[str, Any] | None) -> Goal:
    name = "preloaded database: journeys/s vs empty database"
    preloaded = result["run"].get("preload") or 0
    if not preloaded or reference is None:
        why = "run with --preload N --reference <empty run's result.json>"
        return Goal(name, f"within {PRELOAD_GOAL:.0%}", why if not preloaded else "no --reference given", None)
    mine, theirs = _steady_journeys(result), _steady_journeys(reference)
    if not mine or not theirs:
        return Goal(name, f"within {PRELOAD_GOAL:.0%}", "-", None)
    change = mine / theirs - 1
    return Goal(
        f"preloaded {preloaded:,} journeys: journeys/s vs empty database",
        f"within {PRELOAD_GOAL:.0%}",
        f"{mine:.2f} vs {theirs:.2f} ({change:+.1%})",
        change >= -PRELOAD_GOAL,
    )


def _steady_journeys(result: dict[str, Any]) -> float | None:
    throughput = result.get("throughput") or {}
    value = throughput.get("steady", throughput.get("overall", {})).get("journeys_per_s")
    return float(value) if value else None
