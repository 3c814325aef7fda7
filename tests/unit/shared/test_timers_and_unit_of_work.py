"""The runtime's timers and unit of work on a fake store: a due date fires once, a failing one is set aside
without stopping the others, an outage retries the batch; a decision's events and due dates are recorded."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from shared.contracts.recruitment import ParticipantWithdrawn, WithdrawalReason
from shared.contracts.topics import Stage
from shared.decision import Decision, Drop, Due, timer_id
from shared.timers import Timer, TimerSweep
from shared.unit_of_work import UnitOfWork, derived_id
from tests.unit.shared.fake_store import FakeConnection, FakeStore

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
PID = uuid.UUID("5b0f2a8e-3c4d-4e6f-9a1b-2c3d4e5f6a7b")


def row(timer: str, kind: str = "decision_due") -> dict[str, Any]:
    return {"timer_id": timer, "participant_id": PID, "kind": kind, "due_at": NOW - timedelta(days=1), "data": "{}"}


def sweep(store: FakeStore, handlers: dict[str, Any]) -> TimerSweep:
    return TimerSweep(store, Stage.RECOGNITION, handlers, clock=lambda: NOW)  # type: ignore[arg-type]


def fired(store: FakeStore) -> dict[str, str | None]:
    """timer id -> failure (None when it ran), from the committed updates."""
    return {args[0]: args[2] for sql, args in store.committed if sql.startswith("UPDATE timers SET fired_at")}


async def test_a_due_timer_fires_once_and_its_events_commit_with_the_mark() -> None:
    store, calls = FakeStore(), []
    store.rows = [[row("decision_due:a:2026-02-28")]]

    async def overdue(uow: UnitOfWork, timer: Timer) -> None:
        calls.append(timer.timer_id)
        await uow.conn.execute("UPDATE cases SET overdue = true")

    assert await sweep(store, {"decision_due": overdue}).sweep_once() == 1
    assert calls == ["decision_due:a:2026-02-28"]
    assert fired(store) == {"decision_due:a:2026-02-28": None}
    assert ("UPDATE cases SET overdue = true", ()) in store.committed
    assert await sweep(store, {"decision_due": overdue}).sweep_once() == 0  # nothing due any more


async def test_a_failing_timer_is_set_aside_with_its_error_and_the_others_still_fire() -> None:
    store = FakeStore()
    store.rows = [[row("decision_due:bad"), row("decision_due:good")]]

    async def handler(uow: UnitOfWork, timer: Timer) -> None:
        await uow.conn.execute(f"UPDATE cases SET touched = '{timer.timer_id}'")
        if timer.timer_id.endswith("bad"):
            raise KeyError("a bug")

    assert await sweep(store, {"decision_due": handler}).sweep_once() == 2
    assert fired(store) == {"decision_due:bad": "KeyError: 'a bug'", "decision_due:good": None}
    assert not any("decision_due:bad" in sql for sql, _ in store.committed if sql.startswith("UPDATE cases"))


async def test_an_outage_in_a_timer_retries_the_whole_batch_and_marks_nothing() -> None:
    store = FakeStore()
    store.rows = [[row("decision_due:a")]]

    async def handler(uow: UnitOfWork, timer: Timer) -> None:
        raise ConnectionResetError("database gone")

    with pytest.raises(ConnectionResetError):
        await sweep(store, {"decision_due": handler}).sweep_once()
    assert fired(store) == {}


async def test_carrying_out_a_decision_records_its_events_in_order_and_sets_and_drops_due_dates() -> None:
    store = FakeStore()
    withdrawn = ParticipantWithdrawn(participant_id=PID, reason=WithdrawalReason.MOVED_AWAY, withdrawn_on=NOW.date())
    due = Due(PID, "retention_check_due", "offer-1:6", NOW + timedelta(days=180), {"months": "6"})
    decision = Decision(
        state=None,
        events=(withdrawn, withdrawn),
        timers=(due, Drop(PID, "decision_due", "2026-02-28"), Drop(PID, "licence_expiring"), Drop(PID)),
    )

    async with store.acquire() as conn:
        await UnitOfWork(conn, Stage.PLACEMENT, "cause-1", NOW).carry_out(decision)  # type: ignore[arg-type]

    outbox = store.outbox_rows()
    assert [r[0] for r in outbox] == [derived_id("placement", "cause-1", "emit", str(n)) for n in (1, 2)]
    assert all(json.loads(r[5])["reason"] == "moved_away" for r in outbox)
    statements = [(sql.split()[0], args) for sql, args in store.committed if "timers" in sql]
    assert (
        statements[0][1][0]
        == timer_id("retention_check_due", PID, "offer-1:6")
        == f"retention_check_due:{PID}:offer-1:6"
    )
    assert statements[1][1][0] == f"decision_due:{PID}:2026-02-28"
    assert statements[2][1][:2] == (PID, "licence_expiring")
    assert statements[3][1][:2] == (PID, None)


async def test_the_ids_of_emitted_events_are_the_same_on_every_retry() -> None:
    ids = []
    for _ in range(2):
        store = FakeStore()
        conn = FakeConnection(store)
        uow = UnitOfWork(conn, Stage.RECRUITMENT, "message-7", NOW)  # type: ignore[arg-type]
        withdrawn = ParticipantWithdrawn(participant_id=PID, reason=WithdrawalReason.OTHER, withdrawn_on=NOW.date())
        ids.append(await uow.emit(withdrawn))
    assert ids[0] == ids[1] == derived_id("recruitment", "message-7", "emit", "1")
