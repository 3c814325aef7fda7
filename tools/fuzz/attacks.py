"""The attacks phase of `make fuzz`: what an attacker on the bus tries, each attempt counted with its outcome.

On the secured listener (`KAFKA_BOOTSTRAP_SERVERS` of a credentials file deploy/infra.sh writes under
`${JOURNEY_LOCAL_DIR:-.local}/kafka/credentials/`):

1. no credentials: a plaintext client, TLS without SASL, SASL without TLS, a wrong password, an unknown user — the
   broker must refuse the connection;
2. partner A with its own credentials beyond its ACLs: another partner's commands topic, any commands topic read,
   another's rejections, the shared commands, an events or rejections topic written, a consumer group outside
   `<A>.`, a topic created, deleted or reconfigured — the broker must answer with an authorisation error (the
   create and the reconfiguration are sent `validate_only`, the delete aims at a scratch topic of the run's own,
   so that nothing changes even if the broker allowed them);
3. oversized: one record, and one batch of small records, beyond the topic's `max.message.bytes` — refused;
4. records A may write to its own commands topics (tools/fuzz/forgeries.py), singly and then the rest of
   `--attack-records` as large batches within the limits — each rejected on A's rejections topic with its reason,
   nothing applied.

Controls show that the refusals mean something: A connects with its own credentials and reads its own rejections.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError

from shared.contracts.topics import PARTNER_STAGES, Kind, Stage, partner_topic
from shared.settings import ServiceSettings
from tools.bench.topics import reader
from tools.credentials import Credentials, credentials_path, load
from tools.fuzz.broker_attacks import (
    ATTACKER,
    VICTIM,
    acl_attempts,
    connection_attempts,
    max_message_bytes,
    oversized_attempts,
)
from tools.fuzz.bus_access import connect, error_text, kafka_log, read
from tools.fuzz.forgeries import (
    FUTURE,
    GROUPS,
    REJECTED,
    SUCCEEDED,
    Attempt,
    Forgery,
    Parties,
    forgeries,
    judge_forgery,
    judge_future,
    variants,
)
from tools.fuzz.observer import Observer, Position, until

SLACK_S = 45.0  # a future-dated record must be answered within the grace plus this
BATCH_BYTES = 900_000  # a large batch within the broker's default limit (1048588 bytes)


# --- 4. records A may write: forged organisations, not involved, not permitted, future timestamps


@dataclass
class Landed:
    """Where each forgery landed (or why the broker refused it), when it was sent, and the batches sent."""

    where: dict[int, Position]
    errors: dict[int, str]
    sent_ms: dict[int, int]
    sent_at: dict[int, float]
    batches: list[tuple[str, int, int]]  # (topic, records, bytes) of each large batch
    batched: set[int]


async def send_forgeries(a: Credentials, records: list[Forgery], singles: int) -> Landed:
    """The first `singles` one by one (each acknowledged), the rest per topic in large batches (one produce request
    each, up to `BATCH_BYTES`) on partition 0."""
    landed = Landed({}, {}, {}, {}, [], set())
    producer = AIOKafkaProducer(acks="all", max_batch_size=BATCH_BYTES, request_timeout_ms=30_000, **a.kwargs())
    await producer.start()
    try:
        for f in records[:singles]:
            now = time.time()
            landed.sent_ms[f.index], landed.sent_at[f.index] = int(now * 1000), time.monotonic()
            stamp = int((now + f.future_s) * 1000) if f.future_s else None
            try:
                future = await producer.send(
                    f.topic, key=f.key, value=f.value, headers=list(f.headers), timestamp_ms=stamp
                )
                sent = await future
            except KafkaError as error:
                landed.errors[f.index] = error_text(error)
                continue
            landed.where[f.index] = (f.topic, sent.partition, sent.offset)
        by_topic: dict[str, list[Forgery]] = {}
        for f in records[singles:]:
            by_topic.setdefault(f.topic, []).append(f)
        for name, group in by_topic.items():
            while group:
                batch, members = producer.create_batch(), []
                now = time.time()
                for f in group:
                    stamp = int((now + f.future_s) * 1000) if f.future_s else int(now * 1000)
                    if batch.append(key=f.key, value=f.value, timestamp=stamp, headers=list(f.headers)) is None:
                        break
                    members.append(f)
                group = group[len(members) :]
                for f in members:
                    landed.sent_ms[f.index], landed.sent_at[f.index] = int(now * 1000), time.monotonic()
                    landed.batched.add(f.index)
                landed.batches.append((name, len(members), batch.size()))
                try:
                    sent = await (await producer.send_batch(batch, name, partition=0))
                except KafkaError as error:
                    for f in members:
                        landed.errors[f.index] = error_text(error)
                    continue
                for n, f in enumerate(members):  # a batch's records take consecutive offsets from its base
                    landed.where[f.index] = (name, sent.partition, sent.offset + n)
    finally:
        await producer.stop()
    return landed


async def stored_timestamps(dev_bootstrap: str, positions: list[Position]) -> dict[Position, tuple[int, int]]:
    """(timestamp type, timestamp) of each record as the broker stored it (1: LogAppendTime), read back."""
    found: dict[Position, tuple[int, int]] = {}
    if not positions:
        return found
    consumer = reader(dev_bootstrap)
    await consumer.start()
    try:
        for name, partition, offset in positions:
            tp = TopicPartition(name, partition)
            consumer.assign([tp])
            consumer.seek(tp, offset)
            records = (await consumer.getmany(tp, timeout_ms=5000, max_records=1)).get(tp, [])
            if records:
                found[(name, partition, offset)] = (int(records[0].timestamp_type), int(records[0].timestamp))
    finally:
        await consumer.stop()
    return found


def grace_s() -> float:
    """The services' grace for an unknown participant (they run with the fuzzer's environment)."""
    default = ServiceSettings.model_fields["unknown_participant_grace_s"].default
    return float(os.environ.get("UNKNOWN_PARTICIPANT_GRACE_S", default))


async def forged_attempts(
    a: Credentials, observer: Observer, parties: Parties, n: int, dev_bootstrap: str, deadline: float
) -> tuple[list[Attempt], list[str], dict[str, Any]]:
    """Send the forgeries, wait for every answer (or the deadline), judge each; also the large batches as wholes.
    Returns the attempts, the recipients that were registered after all (to be removed again), and figures."""
    records = forgeries(n, parties)
    singles = min(n, len(variants()))
    landed = await send_forgeries(a, records, singles)
    print(
        f"  attacks: {len(landed.where)} forged records on {ATTACKER}'s commands topics ({singles} one by one,"
        f" {len(landed.batched)} in {len(landed.batches)} large batches), {len(landed.errors)} refused by the broker",
        flush=True,
    )

    def answered(f: Forgery) -> bool:
        where = landed.where.get(f.index)
        return where is None or bool(observer.rejections.get(where)) or f.ce_id in observer.caused

    await until(lambda: all(answered(f) for f in records), deadline, interval_s=0.5)
    ends = await observer.ends()
    await until(lambda: observer.caught_up(ends), time.monotonic() + 30)
    future = [landed.where[f.index] for f in records if f.kind == FUTURE and f.index in landed.where]
    stamps = await stored_timestamps(dev_bootstrap, future)
    limit = grace_s() + SLACK_S
    found, slipped = [], []
    for f in records:
        where = landed.where.get(f.index)
        reasons = tuple(r.reason for r in observer.rejections.get(where, ())) if where else ()
        caused = tuple(observer.caused.get(f.ce_id, ()))
        status, detail = judge_forgery(f, landed.errors.get(f.index), reasons, caused)
        if f.kind == FUTURE and where is not None:
            seen = observer.answered_at.get(where)
            stored_type, stored_ms = stamps.get(where, (None, None))
            status, detail = judge_future(
                status,
                detail,
                stored_type=stored_type,
                stored_ms=stored_ms,
                sent_ms=landed.sent_ms[f.index],
                answered_s=None if seen is None else round(seen - landed.sent_at[f.index], 1),
                limit_s=limit,
            )
        if status == SUCCEEDED and f.ce_type.endswith("RegisterRecipient.v1"):
            slipped.append(f.key.decode())
        target = f"{f.stage.value} {f.ce_type.split('.')[2]} {where[0]}/{where[1]}@{where[2]}" if where else f.topic
        found.append(Attempt(GROUPS[f.kind], f.kind, target, status, detail))
    batched = [found[f.index] for f in records if f.index in landed.batched]
    if batched:
        held = sum(attempt.held for attempt in batched)
        status = REJECTED if held == len(batched) else next(x.status for x in batched if not x.held)
        kind = "large batches of small records within the limit"
        target = f"{len(batched)} records in {len(landed.batches)} produce requests"
        found.append(Attempt("oversized", kind, target, status, f"{held}/{len(batched)} records refused or rejected"))
    figures = {
        "forged_records": len(records),
        "one_by_one": singles,
        "batched": len(landed.batched),
        "batches": [f"{name}: {count} records, {size} bytes" for name, count, size in landed.batches],
        "grace_s": grace_s(),
        "future_answer_limit_s": limit,
    }
    return found, slipped, figures


# --- the phase


@dataclass(frozen=True)
class AttackConfig:
    run_id: str
    region: str
    dev_bootstrap: str  # the loopback development listener the fuzzer observes on
    records: int
    timeout_s: float


def watched_topics() -> list[str]:
    """The attacking partner's own rejections topics, which the observer must read from the run's start."""
    return [partner_topic(stage, Kind.REJECTION, ATTACKER) for stage in PARTNER_STAGES]


def commands_topics() -> list[str]:
    """The attacking partner's own commands topics (their lag is checked with the shared ones)."""
    return [partner_topic(stage, Kind.COMMAND, ATTACKER) for stage in PARTNER_STAGES]


async def run(cfg: AttackConfig, observer: Observer, participants: list[str]) -> dict[str, Any]:
    """Every attack; `attempts` (each with its outcome), `controls`, `slipped` recipients, and figures. A missing
    credentials file is reported (`error`), not raised: the run goes on to its other checks."""
    started = time.monotonic()
    try:
        a = load(f"partner-{ATTACKER}")
    except (OSError, KeyError) as error:
        return {"error": f"no credentials of partner-{ATTACKER} ({credentials_path(f'partner-{ATTACKER}')}): {error!r}"}
    scratch = f"journey.fuzz-{cfg.run_id}.scratch"
    await _scratch(cfg.dev_bootstrap, scratch, create=True)
    attempts: list[Attempt] = []
    try:
        with kafka_log() as log:
            controls = {
                "connects with its own credentials": await connect(
                    a.kwargs(), partner_topic(Stage.RECRUITMENT, Kind.COMMAND, ATTACKER), log
                ),
                "reads its own rejections topic": await read(
                    a, partner_topic(Stage.RECRUITMENT, Kind.REJECTION, ATTACKER), wait_s=2
                ),
            }
            attempts += await connection_attempts(a, log)
            print(f"  attacks: {len(attempts)} connections without valid credentials tried", flush=True)
            attempts += await acl_attempts(a, cfg.run_id, scratch)
            print(f"  attacks: {len(attempts)} broker-level attempts so far (ACLs)", flush=True)
            parties = Parties(ATTACKER, VICTIM, tuple(participants), cfg.run_id, cfg.region)
            limit = await max_message_bytes(cfg.dev_bootstrap, partner_topic(Stage.RECRUITMENT, Kind.COMMAND, ATTACKER))
            filler = [f for f in forgeries(len(variants()), parties) if f.kind == "operator-only command"]
            attempts += await oversized_attempts(a, limit, filler)
            deadline = time.monotonic() + cfg.timeout_s
            forged, slipped, figures = await forged_attempts(
                a, observer, parties, cfg.records, cfg.dev_bootstrap, deadline
            )
            attempts += forged
        scratch_kept = await _scratch(cfg.dev_bootstrap, scratch, create=False)
    finally:
        with contextlib.suppress(Exception):
            await _scratch(cfg.dev_bootstrap, scratch, create=False, delete=True)
    if not scratch_kept:
        attempts = [
            Attempt(x.group, x.kind, x.target, SUCCEEDED, "the scratch topic is gone") if x.target == scratch else x
            for x in attempts
        ]
    return {
        "attacker": f"partner-{ATTACKER}",
        "victim": f"partner-{VICTIM}",
        "bootstrap": a.bootstrap_servers,
        "max_message_bytes": limit,
        "controls": {name: {"status": s, "detail": d} for name, (s, d) in controls.items()},
        "attempts": attempts,
        "slipped": slipped,
        "seconds": round(time.monotonic() - started, 1),
        **figures,
    }


async def _scratch(dev_bootstrap: str, name: str, *, create: bool, delete: bool = False) -> bool:
    """Create the run's scratch topic (the target of the delete attempt), say whether it still exists, or delete it:
    on the development listener."""
    admin = AIOKafkaAdminClient(bootstrap_servers=dev_bootstrap, client_id="journey-fuzz-attacks")
    await admin.start()
    try:
        if create:
            await admin.create_topics([NewTopic(name, 1, 1)])
        if delete:
            await admin.delete_topics([name])
        return name in await admin.list_topics()
    finally:
        await admin.close()
