"""What a domain operation decides: the new state, the facts to publish and the due dates to set or drop. Pure.

Every service's domain answers a command (or another stage's fact, or a due date) with a `Decision`; the handler
only loads the state, asks the domain, saves `decision.state` and hands the decision to the unit of work, which
records the events in the outbox and sets or drops the timers in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar
from uuid import UUID

from shared.contracts.envelope import BaseMessage

S = TypeVar("S")


@dataclass(frozen=True, slots=True)
class Due:
    """Set (or move) a due date: when it passes unfulfilled, the service's handler for `kind` is called once."""

    participant_id: UUID
    kind: str
    key: str
    """Tells apart due dates of one kind for one participant (a day, an employment and month...)."""
    at: datetime
    data: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Drop:
    """Drop due dates of `kind` for a participant: the one under `key`, or all of that kind when `key` is None;
    every pending one of the participant when `kind` is None too."""

    participant_id: UUID
    kind: str | None = None
    key: str | None = None


@dataclass(frozen=True, slots=True)
class Decision(Generic[S]):
    """The state after an operation, the events it decided (in order) and the due dates it sets or drops."""

    state: S
    events: tuple[BaseMessage, ...] = ()
    timers: tuple[Due | Drop, ...] = ()

    def then(self, later: Decision[S]) -> Decision[S]:
        """This decision followed by `later`, which was taken on this one's state."""
        return Decision(later.state, self.events + later.events, self.timers + later.timers)


def timer_id(kind: str, participant_id: UUID, key: str) -> str:
    """The runtime's id of a due date: one per kind, participant and key."""
    return f"{kind}:{participant_id}:{key}"
