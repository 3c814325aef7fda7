"""Consumer lag, as the broker sees it: per group and partition, the log-end offset minus the group's committed offset.

Measured from outside the consumers (the group's committed offsets through the Admin API, the partitions' end
offsets through a group-less consumer), so it grows just the same when a consumer is paused, stuck on a record or
not running at all. The metrics sampler of every service (its own groups) and `journey lag` (every group) use it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from shared.kafka import client_security
from shared.settings import ServiceSettings


@dataclass(frozen=True, order=True)
class PartitionLag:
    group: str
    topic: str
    partition: int
    committed: int | None
    """The group's committed offset; None when the group has committed none on this partition yet."""
    end: int

    @property
    def lag(self) -> int:
        """Records the group has still to handle (all of them when it has committed nothing yet)."""
        return max(self.end - (self.committed or 0), 0)


class LagReader:
    """One admin client and one group-less consumer, reused across readings (`async with LagReader(settings)`)."""

    def __init__(self, settings: ServiceSettings, client_id: str = "journey-lag") -> None:
        security = client_security(settings)
        self._admin = AIOKafkaAdminClient(
            bootstrap_servers=settings.kafka_bootstrap_servers, client_id=client_id, **security
        )
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=settings.kafka_bootstrap_servers,
            client_id=client_id,
            group_id=None,
            enable_auto_commit=False,
            **security,
        )

    async def __aenter__(self) -> LagReader:
        await self._admin.start()
        try:
            await self._consumer.start()
        except BaseException:
            await self._admin.close()
            raise
        return self

    async def __aexit__(self, *_: object) -> None:
        try:
            await self._consumer.stop()
        finally:
            await self._admin.close()

    async def groups(self, prefix: str = "") -> list[str]:
        """The consumer groups the broker knows (that this principal may describe), optionally by name prefix."""
        listed = await self._admin.list_consumer_groups()
        return sorted(group for group, *_ in listed if group.startswith(prefix))

    async def read(self, groups: Iterable[str]) -> list[PartitionLag]:
        """The lag of each group on each partition it has committed on. A group that committed nothing yet is
        absent: nothing says which topics it will read."""
        committed: dict[str, dict[TopicPartition, int]] = {}
        for group in groups:
            offsets = await self._admin.list_consumer_group_offsets(group)
            committed[group] = {tp: meta.offset for tp, meta in offsets.items() if meta.offset >= 0}
        partitions = {tp for offsets in committed.values() for tp in offsets}
        ends = await self._consumer.end_offsets(sorted(partitions)) if partitions else {}
        return sorted(
            PartitionLag(group, tp.topic, tp.partition, offset, ends[tp])
            for group, offsets in committed.items()
            for tp, offset in offsets.items()
        )
