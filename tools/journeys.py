"""The partner systems, played: each participant follows one of the worked walks (`tools.walks`), in the mix `MIX`
gives; the commands up to the walk's next wait are sent at once, the rest when the awaited event arrives.

Used by `simulate` (a sample cohort people can watch) and by the load generator, benchmark and fault drill. Dates
follow the walks: no legal deadline passes while a walk plays, so a run is deterministic.
"""

from __future__ import annotations

import random
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from shared.contracts.catalogue import BY_TYPE
from shared.contracts.envelope import BaseMessage, Event
from tools.walks import Await, Send, Walk, pick, walk


@dataclass(frozen=True)
class Profile:
    """Which walk one participant takes, and where."""

    walk: str
    region: str = "DE-SL"
    partner_org: str = "iq-network-example"


@dataclass
class Journey:
    participant_id: uuid.UUID
    walk: Walk
    position: int = 0  # the next step to play
    events: list[str] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return self.position >= len(self.walk.steps) and self.walk.ends_with in self.events

    @property
    def final_milestone(self) -> str:
        """The milestone the walk's last event reaches: its mail is the journey's last."""
        event = next(m for m in BY_TYPE.values() if m.__name__ == self.walk.ends_with and issubclass(m, Event))
        assert issubclass(event, Event) and event.marks_milestone is not None
        return str(event.marks_milestone)

    def advance(self) -> list[BaseMessage]:
        """The commands up to the next wait that has not been met yet."""
        sent: list[BaseMessage] = []
        seen = Counter(self.events)
        waited: Counter[str] = Counter()
        for step in self.walk.steps[: self.position]:
            if isinstance(step, Await):
                waited[step.event] += 1
        while self.position < len(self.walk.steps):
            step = self.walk.steps[self.position]
            if isinstance(step, Await):
                if seen[step.event] <= waited[step.event]:
                    break
                waited[step.event] += 1
            else:
                assert isinstance(step, Send)
                sent.append(step.message)
            self.position += 1
        return sent


def cohort_profile(index: int, rng: random.Random) -> Profile:
    """The walk mix of `tools.walks.MIX`, drawn with `rng`."""
    return Profile(walk=pick(rng.random()))


class PartnerPlay:
    """Plays each participant's walk: sends its commands, and the next ones when the awaited event arrives."""

    def __init__(self) -> None:
        self.journeys: dict[str, Journey] = {}

    def start(self, profile: Profile, participant_id: uuid.UUID | None = None) -> list[BaseMessage]:
        pid = participant_id or uuid.uuid4()
        played = walk(profile.walk, pid, region=profile.region, partner_org=profile.partner_org)
        journey = Journey(pid, played)
        self.journeys[str(pid)] = journey
        return journey.advance()

    def react(self, ce_type: str, body: dict[str, Any]) -> list[BaseMessage]:
        """The commands the partners send on seeing this event (none for a participant not ours)."""
        journey = self.journeys.get(str(body.get("participant_id")))
        if journey is None:
            return []
        journey.events.append(ce_type.split(".")[2] if ce_type.count(".") >= 3 else ce_type)
        return journey.advance()

    def final_milestone(self, participant_id: str) -> str:
        return self.journeys[participant_id].final_milestone
