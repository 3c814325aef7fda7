"""A probe (one malformed record and the defect it has), the valid command it is built from, and its templates."""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from shared.contracts.envelope import BaseMessage
from shared.contracts.limits import BY_CODE, reason_for
from shared.contracts.rejections import RejectionReason
from shared.contracts.topics import Kind, Stage, topic

CE_TIME = "2025-05-28T09:15:00Z"
Headers = list[tuple[str, bytes | None]]


@dataclass
class Draft:
    """A valid command on its way to becoming a probe: templates change one thing of it."""

    model: type[BaseMessage]
    payload: Any
    key: bytes | None
    headers: Headers
    value: bytes | None = None
    raw: bool = False  # `value` was written by the template (maybe None: a tombstone); else the payload is dumped

    @property
    def key_field(self) -> str:
        return self.model.key_field

    def header(self, name: str) -> bytes | None:
        return next(value for n, value in self.headers if n == name)

    def set_header(self, name: str, value: bytes | None) -> None:
        self.headers = [(n, value if n == name else v) for n, v in self.headers]

    def drop_header(self, name: str) -> None:
        self.headers = [(n, v) for n, v in self.headers if n != name]

    def set_value(self, value: bytes | None) -> None:
        self.value, self.raw = value, True

    def text(self) -> str:
        """The payload as a partner's serialiser writes it."""
        return json.dumps(self.payload)


Mutate = Callable[[Draft, random.Random], None]


@dataclass(frozen=True, slots=True)
class Template:
    """One way of breaking a valid command: exactly one defect (a code of `DEFECTS`), or one that comes first."""

    category: str
    defect: str
    label: str
    mutate: Mutate
    hazardous: bool = False  # may stop a partition if the door fails: a canary follows it on the same partition
    heavy: bool = False  # large (about 1 MB): sent once per stage, never repeated to fill the count
    ce_type: str | None = None  # tied to one command type; None: applied to any

    def __post_init__(self) -> None:
        if self.defect not in BY_CODE:
            raise ValueError(f"{self.label}: unknown defect code {self.defect!r}")


@dataclass(frozen=True, slots=True)
class Probe:
    """One malformed record as it is sent, and what the stage must answer."""

    index: int
    category: str
    defect: str
    label: str
    stage: Stage
    ce_type: str
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes | None], ...]
    partition: int
    hazardous: bool
    heavy: bool
    ce_id: str  # the ce_id the base command had (it may have been broken)

    @property
    def topic(self) -> str:
        return topic(self.stage, Kind.COMMAND)

    @property
    def expected(self) -> RejectionReason:
        return reason_for(self.defect)

    @property
    def size(self) -> int:
        return len(self.value or b"") + len(self.key or b"") + sum(len(n) + len(v or b"") for n, v in self.headers)


def short(data: bytes | str | None, limit: int = 160) -> str:
    """A readable, bounded rendering of bytes for a report."""
    if data is None:
        return "None"
    text = repr(data)
    return (
        text
        if len(text) <= limit
        else f"{text[:limit]}...({len(data)} {'bytes' if isinstance(data, bytes) else 'chars'})"
    )


def keyed_by_uuid(model: type[BaseMessage]) -> bool:
    """Whether the message's key is a UUID (a participant or a first contact), not a short code (an organisation, a
    recipient, a funding period)."""
    return model.model_fields[model.key_field].annotation is uuid.UUID
