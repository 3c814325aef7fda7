"""Readiness tells the truth: a consumer stuck on one record, or an outbox that does not drain, is not ready."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from shared.contracts.topics import Stage
from shared.http import Readiness
from shared.outbox import Backlog
from shared.progress import ConsumerProgress
from shared.service import ServiceRuntime, ServiceSpec
from shared.settings import ServiceSettings


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> _Clock:
    clock = _Clock()
    monkeypatch.setattr("shared.progress.time.monotonic", clock)
    return clock


DRAINED = Backlog(oldest_pending_s=0.0, set_aside=0, pending=0)


def runtime(progress: ConsumerProgress, backlog: Backlog | None = DRAINED) -> ServiceRuntime:
    settings = ServiceSettings(stall_after_s=30, outbox_stall_after_s=60)
    spec = ServiceSpec(stage=Stage.RECRUITMENT, migrations=Path("."), default_http_port=8001, consumes={})
    service = ServiceRuntime(settings, spec)
    service._processors = {progress.topic: SimpleNamespace(progress=progress)}  # type: ignore[dict-item]
    service._backlog = backlog
    return service


def record(offset: int) -> SimpleNamespace:
    return SimpleNamespace(topic="journey.recruitment.commands", partition=2, offset=offset)


async def test_a_consumer_holding_one_record_past_the_threshold_is_not_ready_and_says_where(clock: _Clock) -> None:
    progress = ConsumerProgress("journey.recruitment.commands")
    progress.begin(record(41))  # type: ignore[arg-type]
    progress.failed(ConnectionRefusedError("database down"))
    clock.now += 31

    state = await runtime(progress).readiness()

    assert not state.ready
    [problem] = state.problems
    assert "journey.recruitment.commands partition 2 offset 41 in hand for 31 s" in problem
    assert "database down" in problem


async def test_a_consumer_that_moves_on_is_ready_again(clock: _Clock) -> None:
    progress = ConsumerProgress("journey.recruitment.commands")
    progress.begin(record(41))  # type: ignore[arg-type]
    clock.now += 31
    progress.done(record(41))  # type: ignore[arg-type]

    assert (await runtime(progress).readiness()).problems == []


async def test_an_outbox_row_waiting_past_the_threshold_is_not_ready_and_set_aside_rows_are_noted() -> None:
    progress = ConsumerProgress("journey.recruitment.commands")

    state = await runtime(progress, backlog=Backlog(75.0, 2, 40)).readiness()

    assert state.problems == ["outbox: the oldest unpublished row has waited 75 s"]
    assert state.notes == ["outbox: 2 row(s) set aside, refused by the broker (outbox.set_aside_reason)"]


def test_readiness_needs_every_check_and_no_problem() -> None:
    assert Readiness({"database": True, "kafka": True}).ready
    assert not Readiness({"database": True, "kafka": False}).ready
    assert not Readiness({"database": True}, problems=["stuck"]).ready
    assert Readiness({"database": True}, notes=["rows set aside"]).ready
