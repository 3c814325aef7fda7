"""Issue 14's goal lines from a bench result: met, not met, or not measured, with the figure behind each."""

from __future__ import annotations

from typing import Any

from tools.bench.goals import goals


def result(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "run": {"preload": 0},
        "ratio_to_baseline": 0.2,
        "half_load": {"rate": 1.6, "latency": {"seconds": {"p99": 0.9}}},
        "idle": {"latency": {"seconds": {"p50": 0.04}}},
        "memory_peak_mib": {"recognition": 70.0, "notifications": 81.5, "reporting": None},
        "throughput": {"steady": {"journeys_per_s": 3.0}},
    }
    return base | changes


def verdicts(found: list[Any]) -> dict[str, bool | None]:
    return {goal.name: goal.met for goal in found}


def test_each_goal_is_judged_on_its_own_figure() -> None:
    found = goals(result(), reference=None)

    assert verdicts(found) == {
        "steady messages/s / pipelined raw baseline": False,
        "half load: command -> mail p99": False,
        "one journey, idle system: command -> mail p50": True,
        "peak RSS per service process": False,
        "preloaded database: journeys/s vs empty database": None,
    }
    memory = next(goal for goal in found if goal.name == "peak RSS per service process")
    assert memory.measured == "max 81.5 MiB (notifications)"


def test_the_preload_goal_compares_with_the_empty_database_run() -> None:
    preloaded = result(run={"preload": 1_000_000}, throughput={"steady": {"journeys_per_s": 2.8}})
    empty = result(throughput={"steady": {"journeys_per_s": 3.0}})
    slower = result(run={"preload": 1_000_000}, throughput={"steady": {"journeys_per_s": 2.6}})

    [within] = [g for g in goals(preloaded, empty) if g.name.startswith("preloaded")]
    [beyond] = [g for g in goals(slower, empty) if g.name.startswith("preloaded")]

    assert (within.met, within.measured) == (True, "2.80 vs 3.00 (-6.7%)")
    assert (beyond.met, beyond.measured) == (False, "2.60 vs 3.00 (-13.3%)")


def test_a_phase_that_did_not_run_is_not_measured_rather_than_met() -> None:
    found = verdicts(goals(result(half_load=None, idle=None, ratio_to_baseline=None), reference=None))

    assert found["half load: command -> mail p99"] is None
    assert found["one journey, idle system: command -> mail p50"] is None
    assert found["steady messages/s / pipelined raw baseline"] is None
