"""One transaction per fetched batch: the consumer's records share one commit, each applied in its own savepoint.

A batch is what the consumer fetched (whatever had arrived, up to a maximum; never a quota to wait for), possibly
from several topics and partitions, in fetch order (so each partition's records in their order). Its inbox rows
are claimed in one statement, every record is applied (or rejected) in turn — its use case in a savepoint — and
the batch commits once;
the caller commits the offsets afterwards. A refused command rejects alone: refusals and door rejections are
outcomes, recorded in the batch like applications.

Anything else that goes wrong at a record (an outage, a bug, a participant not known yet) ends the batch there:
what was applied before that record commits, its claims of the rest are taken back, and the rest is handled one
record at a time by `MessageProcessor.settle`, with every retry and rejection rule it has. If the batch's
transaction itself fails (the database went away), the whole batch goes that way; records it committed after all
are duplicates there. So a batch only ever makes the common case cheaper; the rules are the one-record path's.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence

import asyncpg
import structlog

from shared import inbox
from shared.decoding import Record, printable
from shared.postgres import transaction
from shared.processing import Admitted, MessageProcessor, message_log_fields

log = structlog.get_logger()


class BatchProcessor:
    """Applies the batches of one consumer whose topics each have their `MessageProcessor`."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        processors: Mapping[str, MessageProcessor],
        after_commit: Callable[[], None] | None = None,
        *,
        any_topic: MessageProcessor | None = None,
    ) -> None:
        """`processors` by topic; `any_topic` for every other topic (a consumer subscribed by pattern)."""
        self._pool = pool
        self._processors = processors
        self._any_topic = any_topic
        self._after_commit = after_commit

    def _processor(self, topic: str) -> MessageProcessor:
        processor = self._processors.get(topic, self._any_topic)
        if processor is None:
            raise KeyError(f"no processor for topic {topic}")
        return processor

    async def process(self, records: Sequence[Record]) -> list[str]:
        """Handle a fetched batch; returns each admitted record's outcome, in order (skipped records left out)."""
        started = time.perf_counter()
        items = [
            processor.admit(record)
            for record in records
            if not (processor := self._processor(record.topic)).skips(record)
        ]
        if not items:
            return []
        outcomes: list[str] = []
        try:
            async with transaction(self._pool) as conn:
                outcomes = await self._apply(conn, items)
        except Exception as error:  # the one-record path retries and classifies; here it only ends the batch
            log.warning("batch_not_committed", records=len(items), error=printable(repr(error), 300))
            outcomes = []
        else:
            if self._after_commit is not None:
                self._after_commit()
        for item, outcome in zip(items, outcomes, strict=False):
            item.processor.finish(item, outcome, started)
        for item in items[len(outcomes) :]:
            outcomes.append(await item.processor.settle(item, started))
        return outcomes

    async def _apply(self, conn: asyncpg.Connection, items: list[Admitted]) -> list[str]:
        """Apply the batch in the transaction up to the first record that failed; the outcomes of those before it."""
        unapplied = await inbox.claim_many(conn, [item.claim() for item in items])
        outcomes: list[str] = []
        for item in items:
            key = (item.processor.consumer, item.message_id)
            if key not in unapplied:
                log.info("duplicate_skipped", **message_log_fields(item.record))
                outcomes.append("duplicate")
                continue
            try:
                outcomes.append(await item.processor.apply_claimed(conn, item))
            except Exception as error:
                log.info(
                    "batch_ends_early",
                    **message_log_fields(item.record),
                    at=len(outcomes),
                    records=len(items),
                    error=printable(repr(error), 300),
                )
                await inbox.release(conn, unapplied)
                return outcomes
            unapplied.discard(key)
        return outcomes
