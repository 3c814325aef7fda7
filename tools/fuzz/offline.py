"""`--dry-run`: every probe through the door's own function (`shared.decoding.decode`), without Kafka or services.

It predicts what the stages answer; only the real run shows what the whole path (Kafka client, FastStream's
parser, the pipeline, the outbox) makes of each record.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from shared.contracts.catalogue import commands_of
from shared.decoding import decode
from shared.errors import Rejected
from tools.fuzz.model import Probe
from tools.fuzz.plan import ALL_COMMANDS, fresh_id, headers_for, valid_payload
from tools.fuzz.verdict import Outcome


@dataclass(slots=True)
class OfflineRecord:
    """A Kafka record as the door reads it (aiokafka's `ConsumerRecord` has the same attributes)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Sequence[tuple[str, bytes]]
    timestamp: int = 0


def door(probe: Probe) -> Outcome:
    """What the door makes of the probe: a rejection with its reason, or `applied` (it passed)."""
    accepts = {m.ce_type(): m for m in commands_of(probe.stage)}
    headers = cast(Sequence[tuple[str, bytes]], probe.headers)  # a header value may be None, as on the wire
    record = OfflineRecord(probe.topic, probe.partition, probe.index, probe.key, probe.value, headers)
    try:
        decode(record, accepts)
    except Rejected as rejected:
        return Outcome(reasons=(rejected.reason.value,), message=rejected.message)
    return Outcome(applied=("door passed it",))


def bases_pass() -> list[str]:
    """The valid command each probe starts from passes the door (else the probes would prove nothing)."""
    failures = []
    for model in ALL_COMMANDS:
        key = fresh_id(model, "selfcheck", "base")
        value = json.dumps(valid_payload(model, key, "DE-9ZZ", "fuzz-selfcheck")).encode()
        headers = cast(Sequence[tuple[str, bytes]], headers_for(model, "fuzz-selfcheck-base", key, "/partners/x"))
        record = OfflineRecord(model.topic(), 0, 0, key.encode(), value, headers)
        try:
            decode(record, {m.ce_type(): m for m in commands_of(model.stage)})
        except Rejected as rejected:
            failures.append(f"{model.ce_type()}: {rejected.reason.value} {rejected.message}")
    return failures
