"""The metrics an operator watches move with what they measure: rejections by reason, the pool's use, and the lag
sampler, which keeps sampling whatever the broker does."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from prometheus_client import REGISTRY

from shared import metrics
from shared.contracts.rejections import RejectionReason
from shared.lag import PartitionLag
from shared.metrics import ConsumerLagSampler, observe_pool
from shared.settings import ServiceSettings
from tests.unit.shared.fake_store import FakeStore
from tests.unit.shared.test_processing import TOPIC, Handler, command_record, processor


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_a_rejection_is_counted_under_its_reason_and_an_application_is_not() -> None:
    handled = {"service": "recruitment", "topic": TOPIC}
    unknown_type = {**handled, "reason": "unknown_type"}
    before = value("journey_rejections_total", **unknown_type)
    applied_before = value("journey_messages_handled_total", **handled, outcome="applied")
    rejected_before = value("journey_messages_handled_total", **handled, outcome="rejected")

    applied = await processor(FakeStore(), Handler()).process(command_record())
    rejected = await processor(FakeStore(), Handler()).process(command_record(ce_type=b"not.a.Type.v1"))

    assert (applied, rejected) == ("applied", "rejected:unknown_type")
    assert value("journey_rejections_total", **unknown_type) == before + 1
    assert value("journey_messages_handled_total", **handled, outcome="applied") == applied_before + 1
    assert value("journey_messages_handled_total", **handled, outcome="rejected") == rejected_before + 1


def test_every_outcome_and_reason_of_a_consumer_is_exported_at_zero_before_anything_happened() -> None:
    """A series that first appears holding a burst shows no increase in Prometheus: the alert on rejections would
    miss a new reason's first spike."""
    topic = "journey.qualification.commands.metrics-zero-example"
    processor(FakeStore(), Handler(), topic=topic)

    handled = {"service": "recruitment", "topic": topic}
    for outcome in ("applied", "duplicate", "skipped", "rejected"):
        assert REGISTRY.get_sample_value("journey_messages_handled_total", {**handled, "outcome": outcome}) == 0
    for reason in RejectionReason:
        assert REGISTRY.get_sample_value("journey_rejections_total", {**handled, "reason": reason.value}) == 0


@dataclass
class FakePool:
    size: int
    idle: int
    max_size: int

    def get_size(self) -> int:
        return self.size

    def get_idle_size(self) -> int:
        return self.idle

    def get_max_size(self) -> int:
        return self.max_size


def test_the_pool_use_is_published_as_in_use_idle_and_max() -> None:
    observe_pool("placement", FakePool(size=7, idle=2, max_size=10))  # type: ignore[arg-type]

    assert value("journey_db_pool_connections", service="placement", state="in_use") == 5
    assert value("journey_db_pool_connections", service="placement", state="idle") == 2
    assert value("journey_db_pool_max", service="placement") == 10


@dataclass
class FakeBroker:
    """What the fake lag readers read: the lags, or the error the broker answers with (once per reading)."""

    lags: list[PartitionLag] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)
    opened: int = 0
    closed: int = 0


class FakeLagReader:
    broker = FakeBroker()

    def __init__(self, settings: ServiceSettings, client_id: str) -> None:
        self.client_id = client_id

    async def __aenter__(self) -> FakeLagReader:
        self.broker.opened += 1
        return self

    async def __aexit__(self, *_: Any) -> None:
        self.broker.closed += 1

    async def read(self, groups: list[str]) -> list[PartitionLag]:
        if self.broker.errors:
            raise self.broker.errors.pop(0)
        return [lag for lag in self.broker.lags if lag.group in groups]


@pytest.fixture
def broker(monkeypatch: pytest.MonkeyPatch) -> FakeBroker:
    FakeLagReader.broker = FakeBroker()
    monkeypatch.setattr(metrics, "LagReader", FakeLagReader)
    return FakeLagReader.broker


GROUP = "journey-qualification.journey.qualification.commands"


async def test_the_lag_of_each_own_partition_is_published_with_one_reader_kept_open(broker: FakeBroker) -> None:
    sampler = ConsumerLagSampler(ServiceSettings(), "qualification", [GROUP])
    broker.lags = [
        PartitionLag(GROUP, "journey.qualification.commands", 0, committed=10, end=25),
        PartitionLag(GROUP, "journey.qualification.commands", 1, committed=None, end=4),
        PartitionLag("journey-other.x", "journey.qualification.commands", 1, committed=0, end=99),
    ]

    await sampler.sample()
    broker.lags[0] = PartitionLag(GROUP, "journey.qualification.commands", 0, committed=25, end=25)
    await sampler.sample()

    labels = {"service": "qualification", "group": GROUP, "topic": "journey.qualification.commands"}
    assert value("journey_consumer_lag", **labels, partition="0") == 0
    assert value("journey_consumer_lag", **labels, partition="1") == 4
    assert (
        REGISTRY.get_sample_value("journey_consumer_lag", {**labels, "group": "journey-other.x", "partition": "1"})
        is None
    )
    assert (broker.opened, broker.closed) == (1, 0)
    await sampler.close()
    assert broker.closed == 1


async def test_a_failed_reading_keeps_the_last_values_and_the_next_round_reads_with_a_new_reader(
    broker: FakeBroker,
) -> None:
    sampler = ConsumerLagSampler(ServiceSettings(), "qualification", [GROUP])
    broker.lags = [PartitionLag(GROUP, "journey.qualification.commands", 2, committed=3, end=10)]
    labels = {"service": "qualification", "group": GROUP, "topic": "journey.qualification.commands", "partition": "2"}
    await sampler.sample()

    broker.errors = [ConnectionError("broker away")]
    broker.lags = [PartitionLag(GROUP, "journey.qualification.commands", 2, committed=3, end=12)]
    await sampler.sample()  # does not raise

    assert value("journey_consumer_lag", **labels) == 7
    assert (broker.opened, broker.closed) == (1, 1)

    await sampler.sample()

    assert value("journey_consumer_lag", **labels) == 9
    assert broker.opened == 2
