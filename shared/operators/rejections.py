"""What the stages refused, read back from every rejections topic (the shared `journey.<stage>.rejections` and each
partner's `journey.<stage>.rejections.<org>`), with the partner guide's advice per reason.

The topics are the record: every stage publishes each rejection there (through its outbox) with the original bytes,
and keeps them `REJECTIONS_RETENTION_S` (4 days by default). A rejection is known by its own `ce_id`, which the
stage derives from the rejected message's id; any unique prefix of 8 or more characters names it too."""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import ValidationError

from shared.contracts.docstrings import member_docs
from shared.contracts.rejections import ACTIONS, MessageRejected, RejectionReason
from shared.contracts.topics import ORG_ID_PATTERN, Stage, partner_of
from shared.decoding import Record
from shared.operators.bus import Bus, header, moment, read_to_end
from shared.operators.failures import OperatorError
from shared.operators.output import Progressed

REJECTIONS_TOPICS = re.compile(rf"journey\.(?P<stage>[a-z]+)\.rejections(\.(?P<org>{ORG_ID_PATTERN}))?")
MIN_PREFIX = 8
_STAGES = frozenset(stage.value for stage in Stage)
DETAIL_CHARS = 80


@dataclass(frozen=True, slots=True)
class Rejection:
    """One published rejection and where it sits."""

    id: str
    at: datetime
    topic: str
    stage: Stage
    rejected: MessageRejected

    @property
    def partner(self) -> str | None:
        return partner_of(self.topic)

    def row(self) -> dict[str, Any]:
        """The line `journey rejections list` shows."""
        detail = self.rejected.message
        return {
            "id": self.id,
            "when": self.at,
            "stage": self.stage,
            "topic": self.topic,
            "reason": self.rejected.reason,
            "ce_type": self.rejected.rejected_type,
            "participant": self.rejected.participant_id,
            "detail": detail if len(detail) <= DETAIL_CHARS else detail[: DETAIL_CHARS - 1] + "…",
        }


def rejection_of(record: Record) -> Rejection | None:
    """The rejection a record holds; None for a record that is not one (nothing else is written there)."""
    found = REJECTIONS_TOPICS.fullmatch(record.topic)
    ce_id = header(record, "ce_id")
    if found is None or found["stage"] not in _STAGES or not ce_id or record.value is None:
        return None
    try:
        rejected = MessageRejected.model_validate_json(record.value)
    except ValidationError:
        return None
    return Rejection(ce_id, moment(record), record.topic, Stage(found["stage"]), rejected)


@dataclass(frozen=True, slots=True)
class RejectionFilter:
    """What `journey rejections list` narrows to; each part left None admits everything."""

    stage: Stage | None = None
    reason: RejectionReason | None = None
    partner: str | None = None
    participant: UUID | None = None
    since: datetime | None = None
    limit: int | None = None

    def reads(self, topic: str) -> bool:
        """Whether the topic can hold a rejection this filter admits (so the others are not read at all)."""
        found = REJECTIONS_TOPICS.fullmatch(topic)
        return (
            found is not None
            and (self.stage is None or found["stage"] == self.stage.value)
            and (self.partner is None or found["org"] == self.partner)
        )

    def admits(self, rejection: Rejection) -> bool:
        return (
            self.reads(rejection.topic)
            and (self.reason is None or rejection.rejected.reason == self.reason)
            and (self.participant is None or rejection.rejected.participant_id == self.participant)
            and (self.since is None or rejection.at >= self.since)
        )

    def newest(self, found: list[Rejection]) -> list[Rejection]:
        """Oldest first; only the newest `limit` when given."""
        ordered = sorted(found, key=lambda r: (r.at, r.topic, r.id))
        return ordered[-self.limit :] if self.limit else ordered


async def rejections(bus: Bus, only: RejectionFilter, progress: Progressed | None = None) -> list[Rejection]:
    topics = [name for name in await bus.topics(REJECTIONS_TOPICS) if only.reads(name)]
    found = []
    async for record in read_to_end(bus, topics, since=only.since, progress=progress):
        rejection = rejection_of(record)
        if rejection is not None and only.admits(rejection):
            found.append(rejection)
    return only.newest(found)


async def find(bus: Bus, rejection_id: str, progress: Progressed | None = None) -> Rejection:
    """The one rejection with this id (or unique id prefix); an unknown or ambiguous one is an `OperatorError`."""
    wanted = rejection_id.strip().lower()
    if len(wanted) < MIN_PREFIX:
        raise OperatorError(f"give at least {MIN_PREFIX} characters of the rejection's id, not {rejection_id!r}")
    matching = [r for r in await rejections(bus, RejectionFilter(), progress) if r.id.lower().startswith(wanted)]
    if not matching:
        raise OperatorError(f"no rejection {rejection_id} on the rejections topics (kept a few days only)")
    if len({r.id for r in matching}) > 1:
        raise OperatorError(f"{rejection_id} names {len(matching)} rejections; give more of the id")
    return matching[0]


REASON_MEANING = member_docs(RejectionReason)


def explanation(rejection: Rejection) -> dict[str, Any]:
    """`journey rejections explain`: the reason, what it means, what to do, every field error and the original."""
    rejected, original = rejection.rejected, rejection.rejected.original
    return {
        **rejection.row(),
        "detail": rejected.message,
        "partner": rejection.partner,
        "meaning": REASON_MEANING.get(rejected.reason.value, ""),
        "what_to_do": ACTIONS[rejected.reason],
        "errors": [error.model_dump() for error in rejected.errors],
        "rejected_id": rejected.rejected_id,
        "original": {
            "topic": original.topic,
            "partition": original.partition,
            "offset": original.offset,
            "key": original.key,
            "headers": original.headers,
            "headers_truncated": original.headers_truncated,
            "value_size": original.value_size,
            "value_truncated": original.value_truncated,
            "body": original_body(rejection),
        },
    }


def original_body(rejection: Rejection) -> Any:
    """The original value as JSON when it is JSON, else as text, else its base64 as kept."""
    kept = rejection.rejected.original.value_base64
    try:
        data = base64.b64decode(kept, validate=True)
        text = data.decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return {"base64": kept}
    try:
        return json.loads(text)
    except ValueError:
        return text
