"""Before the probes: the run's pool of participants, registered through recruitment and known to every stage."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable

from shared.contracts.topics import Stage
from tools.fuzz.canaries import Pool
from tools.fuzz.observer import Observer, until
from tools.fuzz.send import Sender


def outcome(observer: Observer, ce_id: str) -> str:
    """What became of a message of the run: `applied` (it caused an event), a rejection's reason, or `missing`."""
    if ce_id in observer.caused:
        return "applied"
    rejection = observer.rejected_ids.get(ce_id)
    return "missing" if rejection is None else rejection.reason


async def _settle(observer: Observer, ce_ids: Iterable[str], deadline: float) -> dict[str, str]:
    """Wait until each ce_id caused an event or was rejected; ce_id -> its outcome."""
    ce_ids = list(ce_ids)
    await until(lambda: all(outcome(observer, ce_id) != "missing" for ce_id in ce_ids), deadline)
    return {ce_id: outcome(observer, ce_id) for ce_id in ce_ids}


async def register_pool(pool: Pool, sender: Sender, observer: Observer, size: int, deadline: float) -> None:
    """Register `size` participants; keep those recruitment applied."""
    sent: dict[str, int] = {}
    for n in range(size):
        ce_id = f"fuzz-{pool.run_id}-r{n}"
        await sender.command(ce_id, pool.register(n))
        sent[ce_id] = n
    await sender.producer.flush()
    outcomes = await _settle(observer, sent, deadline)
    pool.participants = [pool.participant(n) for ce_id, n in sent.items() if outcomes[ce_id] == "applied"]
    if not pool.participants:
        raise RuntimeError(f"no pool participant was registered: {sorted(set(outcomes.values()))}")


async def warm_up(pool: Pool, sender: Sender, observer: Observer, deadline: float) -> dict[str, int]:
    """One canary per stage and participant (one recipient for notifications, the run's period for reporting), sent
    again while a stage does not know the participant yet; participants some stage never learns of leave the pool.
    Returns canaries applied."""
    not_per_participant = (Stage.NOTIFICATIONS, Stage.REPORTING)
    todo: list[tuple[Stage, str]] = [
        (stage, pid) for stage in Stage if stage not in not_per_participant for pid in pool.participants
    ]
    todo += [(stage, pool.participants[0]) for stage in not_per_participant]
    applied: dict[str, int] = {stage.value: 0 for stage in Stage}
    while todo and time.monotonic() < deadline:
        pending: dict[str, tuple[Stage, str]] = {}
        for stage, pid in todo:
            ce_id, message = pool.canary(stage, pid)
            await sender.command(ce_id, message)
            pending[ce_id] = (stage, pid)
        await sender.producer.flush()
        outcomes = await _settle(observer, pending, min(deadline, time.monotonic() + 30))
        again: list[tuple[Stage, str]] = []
        for ce_id, (stage, pid) in pending.items():
            if outcomes[ce_id] == "applied":
                applied[stage.value] += 1
            elif outcomes[ce_id] in ("unknown_participant", "missing"):
                again.append((stage, pid))
            else:
                raise RuntimeError(f"warm-up canary {ce_id} for {stage.value} was rejected: {outcomes[ce_id]}")
        todo = again
        if todo:
            await asyncio.sleep(0.5)
    unknown = {pid for _, pid in todo}
    pool.participants = [p for p in pool.participants if p not in unknown]
    if not pool.participants:
        raise RuntimeError("no pool participant became known to every stage")
    return applied
