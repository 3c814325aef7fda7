"""One run against a running stack: warm up, send the probes with their canaries, wait, match, check."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from shared.contracts.topics import Stage
from tools.fuzz import attacks, checks
from tools.fuzz.canaries import CANARY_TYPES, Canary, Pool, removal
from tools.fuzz.model import Probe
from tools.fuzz.observer import Observer, until
from tools.fuzz.plan import plan
from tools.fuzz.send import Sender, Sent
from tools.fuzz.verdict import Outcome, tally
from tools.fuzz.warmup import outcome, register_pool, warm_up

REGISTER_RECIPIENT = CANARY_TYPES[Stage.NOTIFICATIONS]


@dataclass(frozen=True)
class Config:
    messages: int
    seed: int
    timeout_s: float
    canary_every: int
    pool_size: int
    run_id: str
    region: str
    bootstrap: str
    database_url: str
    ports: dict[str, int]
    attacks: bool = False
    attack_records: int = 300


def position_id(topic_name: str, partition: int, offset: int) -> str:
    """The id a stage gives a record whose own ce_id is unusable (shared/decoding.py's `position_id`)."""
    return f"kafka:{topic_name}:{partition}:{offset}"


def probe_outcome(observer: Observer, probe: Probe, where: tuple[int, int]) -> Outcome:
    partition, offset = where
    rejections = observer.rejections.get((probe.topic, partition, offset), [])
    caused = observer.caused.get(probe.ce_id, []) + observer.caused.get(position_id(probe.topic, *where), [])
    return Outcome(tuple(r.reason for r in rejections), tuple(caused), rejections[0].message if rejections else "")


def _progress(observer: Observer, probes: list[Probe], sent: Sent) -> tuple[int, int]:
    settled = sum(
        1 for p in probes if p.index in sent.where and probe_outcome(observer, p, sent.where[p.index]) != Outcome()
    )
    canaries = sum(1 for c in sent.canaries if outcome(observer, c.ce_id) != "missing")
    return settled, canaries


async def wait_for_outcomes(observer: Observer, probes: list[Probe], sent: Sent, deadline: float) -> None:
    """Until every probe was rejected (or applied) and every canary applied (or rejected), or the deadline."""
    next_report = time.monotonic() + 10
    while time.monotonic() < deadline:
        if observer.failed() is not None:
            raise RuntimeError("the observer failed") from observer.failed()
        settled, canaries = _progress(observer, probes, sent)
        if settled >= len(sent.where) and canaries >= len(sent.canaries):
            return
        if time.monotonic() >= next_report:
            print(
                f"  {settled}/{len(sent.where)} probes answered, {canaries}/{len(sent.canaries)} canaries", flush=True
            )
            next_report += 10
        await asyncio.sleep(0.5)


def canary_figures(observer: Observer, sent: Sent) -> dict[str, Any]:
    outcomes = {c.ce_id: outcome(observer, c.ce_id) for c in sent.canaries}
    by_stage: dict[str, Counter[str]] = {}
    for c in sent.canaries:
        counts = by_stage.setdefault(c.stage.value, Counter())
        counts["sent"] += 1
        counts["applied"] += outcomes[c.ce_id] == "applied"
    behind = sum(1 for c in sent.canaries if c.after is not None and c.offset > sent.where.get(c.after, (0, -2))[1])
    counts = Counter(
        "applied" if o == "applied" else "missing" if o == "missing" else "rejected" for o in outcomes.values()
    )
    return {
        "sent": len(sent.canaries),
        "after_hazardous": sum(c.hazardous for c in sent.canaries),
        "applied": counts["applied"],
        "rejected": counts["rejected"],
        "missing": counts["missing"],
        "not_after_probe": len(sent.canaries) - behind,
        "rejections": dict(Counter(o for o in outcomes.values() if o not in ("applied", "missing"))),
        "by_stage": {stage: dict(c) for stage, c in sorted(by_stage.items())},
    }


async def run(cfg: Config, dead: Callable[[], list[str]]) -> dict[str, Any]:
    began, since = time.monotonic(), datetime.now(UTC)
    observer, sender = (
        Observer(cfg.bootstrap, f"fuzz-{cfg.run_id}-", attacks.watched_topics() if cfg.attacks else ()),
        Sender(cfg.bootstrap, f"/partners/fuzz-{cfg.run_id}"),
    )
    await sender.start()
    await observer.start()
    try:
        pool = Pool(cfg.run_id, cfg.region)
        await register_pool(pool, sender, observer, cfg.pool_size, time.monotonic() + 90)
        warmed = await warm_up(pool, sender, observer, time.monotonic() + 90)
        print(
            f"  pool: {len(pool.participants)} participants known to every stage; warm-up canaries {warmed}", flush=True
        )
        probes = plan(cfg.messages, cfg.seed, cfg.run_id, cfg.region, await sender.partitions())

        def canary_for(probe: Probe) -> Canary | None:
            if not probe.hazardous and probe.index % cfg.canary_every:
                return None
            ce_id, message = pool.canary(probe.stage)
            return Canary(probe.stage, ce_id, message, after=probe.index, hazardous=probe.hazardous)

        sent = await sender.probes(probes, canary_for)
        print(f"  sent {len(sent.where)} probes and {len(sent.canaries)} canaries in {sent.seconds:.1f} s", flush=True)
        deadline = time.monotonic() + cfg.timeout_s
        await wait_for_outcomes(observer, probes, sent, deadline)
        attacked: dict[str, Any] | None = None
        if cfg.attacks:
            print("  attacks on the secured listener", flush=True)
            attack_cfg = attacks.AttackConfig(
                cfg.run_id, cfg.region, cfg.bootstrap, cfg.attack_records, max(60.0, cfg.timeout_s)
            )
            attacked = await attacks.run(attack_cfg, observer, pool.participants)
        system = await checks.settle(
            cfg.bootstrap,
            cfg.database_url,
            since,
            max(deadline, time.monotonic() + 15),
            attacks.commands_topics() if cfg.attacks else (),
        )
        ends = await observer.ends()
        await until(lambda: observer.caught_up(ends), max(deadline, time.monotonic()) + 30)
        outcomes = {p.index: probe_outcome(observer, p, sent.where[p.index]) for p in probes if p.index in sent.where}
        figures = tally([p for p in probes if p.index in sent.where], outcomes, sent.where)
        ready = await checks.readiness(cfg.ports)
        canaries = canary_figures(observer, sent)
        slipped = [
            (p.key or b"").decode()
            for p in probes
            if p.ce_type == REGISTER_RECIPIENT and p.index in outcomes and outcomes[p.index].applied
        ]
        slipped += (attacked or {}).get("slipped", [])
        cleanup = await remove_recipients(pool, sender, observer, slipped)
    finally:
        await observer.stop()
        await sender.stop()
    return {
        "probes": figures,
        "canaries": canaries,
        "system": system,
        "ready": ready,
        "dead": dead(),
        "send_errors": sent.errors,
        "attacks": attacked,
        "cleanup": cleanup,
        "send_seconds": round(sent.seconds, 1),
        "seconds": round(time.monotonic() - began, 1),
        "pool": len(pool.participants),
        "sizes_mb": round(sum(p.size for p in probes) / 1e6, 1),
    }


async def remove_recipients(pool: Pool, sender: Sender, observer: Observer, slipped: list[str]) -> str:
    """The canary recipients, and those of probes the door let through, leave the directory again
    (RemoveRecipient); not part of the verdict."""
    ce_ids = []
    for n, recipient in enumerate([*pool.recipients, *slipped]):
        ce_ids.append(f"fuzz-{pool.run_id}-x{n}")
        await sender.command(ce_ids[-1], removal(recipient))
    await sender.producer.flush()
    await until(lambda: all(outcome(observer, c) != "missing" for c in ce_ids), time.monotonic() + 30)
    removed = sum(outcome(observer, c) == "applied" for c in ce_ids)
    return f"{removed}/{len(ce_ids)} recipients of the run removed from the directory ({len(slipped)} of probes)"
