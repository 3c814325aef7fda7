"""A fetched batch on a real PostgreSQL: one transaction for all its records, each record in its own savepoint, and
the one-record path (with its retries and rejections) for whatever the batch could not apply."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from shared.batching import BatchProcessor
from shared.contracts.envelope import Envelope, encode
from shared.contracts.examples import example_of
from shared.contracts.recruitment import GrantConsent
from shared.contracts.rejections import RejectionReason
from shared.contracts.topics import Stage
from shared.errors import Rejected
from shared.processing import MessageProcessor, Route
from shared.refusals import Refused
from shared.retry import Backoff
from shared.unit_of_work import UnitOfWork
from tests.support.infra import Infra
from tests.support.schemas import scratch_pool

TOPIC = "journey.recruitment.commands"


@dataclass
class Record:
    key: bytes | None
    value: bytes | None
    headers: Sequence[tuple[str, bytes]]
    offset: int
    topic: str = TOPIC
    partition: int = 0
    timestamp: int = field(default_factory=lambda: int(time.time() * 1000))


@dataclass
class Handler:
    """Counts the participant's consent in `things`; what `outcomes` names for a participant happens instead."""

    outcomes: dict[uuid.UUID, list[BaseException]] = field(default_factory=dict)

    async def __call__(self, uow: UnitOfWork, message: Any) -> None:
        await uow.conn.execute(
            "INSERT INTO things (participant_id, n) VALUES ($1, 1)"
            " ON CONFLICT (participant_id) DO UPDATE SET n = things.n + 1",
            message.participant_id,
        )
        planned = self.outcomes.get(message.participant_id)
        if planned:
            raise planned.pop(0)


@pytest.fixture
async def pool(infra: Infra, tmp_path: Path) -> AsyncIterator[asyncpg.Pool]:
    (tmp_path / "0001_things.sql").write_text("CREATE TABLE things (participant_id uuid PRIMARY KEY, n int NOT NULL);")
    async with scratch_pool(infra.database_url, "batch", tmp_path) as pool:
        yield pool


def batch_of(handler: Handler, pool: asyncpg.Pool, grace_s: float = 0.0) -> BatchProcessor:
    processor = MessageProcessor(
        stage=Stage.RECRUITMENT,
        topic=TOPIC,
        pool=pool,
        routes={GrantConsent.ce_type(): Route(GrantConsent, handler)},
        backoff=Backoff(initial_s=0.01, max_s=0.02),
        max_attempts=2,
        unknown_participant_grace_s=grace_s,
    )
    return BatchProcessor(pool, {TOPIC: processor})


def consent(participant: uuid.UUID, offset: int, ce_id: str | None = None) -> Record:
    command = example_of(GrantConsent).model_copy(update={"participant_id": participant})
    envelope = Envelope.for_message(command, source="/partners/test", id=ce_id)
    key, headers, value = encode(command, envelope)
    return Record(key, value, headers, offset)


async def counts(pool: asyncpg.Pool) -> dict[uuid.UUID, int]:
    return {row["participant_id"]: row["n"] for row in await pool.fetch("SELECT participant_id, n FROM things")}


async def rejections(pool: asyncpg.Pool) -> list[dict[str, Any]]:
    rows = await pool.fetch("SELECT payload FROM outbox WHERE topic = 'journey.recruitment.rejections' ORDER BY id")
    return [json.loads(row["payload"]) for row in rows]


async def test_a_batch_commits_once_a_refused_command_rejects_alone_and_a_repeated_id_counts_once(
    pool: asyncpg.Pool,
) -> None:
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    handler = Handler({b: [Refused("not now")]})
    repeated = str(uuid.uuid4())
    records = [consent(a, 0, repeated), consent(b, 1), consent(c, 2), consent(a, 3, repeated)]

    outcomes = await batch_of(handler, pool).process(records)

    assert outcomes == ["applied", "rejected:not_allowed_in_state", "applied", "duplicate"]
    assert await counts(pool) == {a: 1, c: 1}  # the refused command's change rolled back with its savepoint
    [rejected] = await rejections(pool)
    assert rejected["participant_id"] == str(b) and rejected["reason"] == "not_allowed_in_state"
    # The batch claimed its inbox rows in one statement of one transaction (a row a savepoint changed afterwards,
    # like the refused command's, carries that subtransaction's id instead).
    claimed_by = await pool.fetch("SELECT DISTINCT xmin::text FROM inbox WHERE outcome = 'applied'")
    assert len(claimed_by) == 1


async def test_a_record_that_fails_ends_the_batch_the_rest_goes_one_by_one_and_nothing_is_lost(
    pool: asyncpg.Pool,
) -> None:
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    handler = Handler({b: [RuntimeError("a bug")] * 3})

    outcomes = await batch_of(handler, pool).process([consent(a, 0), consent(b, 1), consent(c, 2)])

    # b failed in the batch (claim released, rolled back), then twice on its own (max_attempts=2).
    assert outcomes == ["applied", "rejected:processing_failed", "applied"]
    assert await counts(pool) == {a: 1, c: 1}
    assert [r["reason"] for r in await rejections(pool)] == ["processing_failed"]
    written_by = {
        row["message_id"]: row["xmin"] for row in await pool.fetch("SELECT message_id, xmin::text FROM inbox")
    }
    assert len(written_by) == 3 and len(set(written_by.values())) == 3  # a in the batch; b and c each on its own


async def test_a_participant_not_known_yet_waits_without_losing_the_records_behind_it(pool: asyncpg.Pool) -> None:
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    not_yet = Rejected(RejectionReason.UNKNOWN_PARTICIPANT, "who?")
    handler = Handler({b: [not_yet]})  # unknown at the first look, known at the second

    outcomes = await batch_of(handler, pool, grace_s=3600).process([consent(a, 0), consent(b, 1), consent(c, 2)])

    assert outcomes == ["applied", "applied", "applied"]
    assert await counts(pool) == {a: 1, b: 1, c: 1}
    assert await rejections(pool) == []


async def test_a_batch_seen_again_after_a_crash_before_the_offset_commit_changes_nothing(pool: asyncpg.Pool) -> None:
    participants = [uuid.uuid4() for _ in range(5)]
    records = [consent(p, offset) for offset, p in enumerate(participants)]
    batches = batch_of(Handler(), pool)

    first = await batches.process(records)
    again = await batches.process(records)

    assert first == ["applied"] * 5
    assert again == ["duplicate"] * 5
    assert await counts(pool) == dict.fromkeys(participants, 1)
