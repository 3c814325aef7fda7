"""ConsumerProgress: a consumer is stalled when one record stays in hand too long, however often it comes back."""

from __future__ import annotations

import types

import pytest

import shared.progress
from shared.progress import ConsumerProgress
from tests.unit.shared.partner_records import FakeRecord

TOPIC = "journey.recognition.commands"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """`time.monotonic` as shared.progress sees it, moved by hand (the rest of the process keeps the real one)."""
    fake = Clock()
    monkeypatch.setattr(shared.progress, "time", types.SimpleNamespace(monotonic=fake.monotonic))
    return fake


def at(partition: int, offset: int) -> FakeRecord:
    return FakeRecord(TOPIC, key=b"k", value=b"{}", headers=[], partition=partition, offset=offset)


def test_an_idle_consumer_never_stalls(clock: Clock) -> None:
    progress = ConsumerProgress(TOPIC)
    clock.now += 10_000

    assert progress.stall(after_s=0) is None
    assert progress.busy_s() == 0.0


def test_a_record_in_hand_past_the_threshold_is_a_stall_naming_it_and_the_last_error(clock: Clock) -> None:
    progress = ConsumerProgress(TOPIC)
    progress.begin(at(2, 41))
    clock.now += 29
    assert progress.stall(after_s=30) is None

    progress.failed(ConnectionRefusedError(111, "Connect call failed\x00"))
    clock.now += 2

    assert progress.busy_s() == 31
    assert progress.stall(after_s=30) == (
        f"{TOPIC} partition 2 offset 41 in hand for 31 s; last error: ConnectionRefusedError:"
        " [Errno 111] Connect call failed\\x00"
    )


def test_a_stall_without_an_error_says_only_where(clock: Clock) -> None:
    progress = ConsumerProgress(TOPIC)
    progress.begin(at(0, 7))
    clock.now += 60

    assert progress.stall(after_s=30) == f"{TOPIC} partition 0 offset 7 in hand for 60 s"


def test_the_same_offset_coming_back_keeps_its_start_time_and_its_error(clock: Clock) -> None:
    progress = ConsumerProgress(TOPIC)
    progress.begin(at(1, 5))
    progress.failed(TimeoutError("statement timeout"))
    for _ in range(5):  # sought again after each error: the stall is the record's, not the attempt's
        clock.now += 10
        progress.begin(at(1, 5))

    stall = progress.stall(after_s=30)
    assert stall is not None
    assert "offset 5 in hand for 50 s" in stall and "last error: TimeoutError: statement timeout" in stall


def test_another_record_starts_afresh(clock: Clock) -> None:
    progress = ConsumerProgress(TOPIC)
    progress.begin(at(1, 5))
    progress.failed(TimeoutError("slow"))
    clock.now += 100
    progress.begin(at(1, 6))

    assert progress.busy_s() == 0
    clock.now += 40
    assert progress.stall(after_s=30) == f"{TOPIC} partition 1 offset 6 in hand for 40 s"


def test_done_clears(clock: Clock) -> None:
    progress = ConsumerProgress(TOPIC)
    progress.begin(at(1, 5))
    progress.failed(TimeoutError("slow"))
    clock.now += 100

    progress.done(at(1, 4))  # not the record in hand: changes nothing
    assert progress.stall(after_s=30) is not None

    progress.done(at(1, 5))
    assert progress.stall(after_s=0) is None
    assert progress.busy_s() == 0.0
