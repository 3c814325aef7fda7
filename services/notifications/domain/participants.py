"""The participant as notifications knows them, and the milestone events about them. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from shared.contracts.enums import ConsentScope, Milestone, Profession
from shared.contracts.envelope import Event
from shared.contracts.recruitment import OrgRole


@dataclass(frozen=True, slots=True, order=True)
class Involvement:
    """An organisation takes part in the participant's case in a role (it may hold several)."""

    org_id: str
    role: OrgRole


@dataclass(frozen=True, slots=True)
class Participant:
    """What the rules know of a participant: recruitment's facts (a copy: region, consents, the organisations
    involved and which one leads, a pause), the objection and the erasure.

    Not `recruited` yet: a milestone or an objection arrived first (Kafka orders no two topics). Erased: only the
    pseudonym and the day remain, so that later milestones are suppressed, not mailed.
    """

    participant_id: UUID
    recruited: bool = False
    region: str | None = None
    partner_org: str | None = None
    consents: frozenset[ConsentScope] = frozenset()
    opted_out_on: date | None = None
    erased_on: date | None = None
    involvements: frozenset[Involvement] = frozenset()
    lead_org: str | None = None
    paused_on: date | None = None
    profession: Profession | None = None
    case_references: frozenset[tuple[str, str]] = frozenset()
    """(organisation, its own reference for the case): shown only in mails to that organisation's mailboxes."""

    def case_reference_of(self, org_id: str) -> str | None:
        return next((ref for org, ref in self.case_references if org == org_id), None)

    def roles_of(self, org_id: str) -> frozenset[OrgRole]:
        """The roles `org_id` plays in the case (none: it is not involved, unless it leads)."""
        return frozenset(i.role for i in self.involvements if i.org_id == org_id)

    @property
    def paused(self) -> bool:
        return self.paused_on is not None

    @property
    def opted_out(self) -> bool:
        return self.opted_out_on is not None

    @property
    def erased(self) -> bool:
        return self.erased_on is not None


@dataclass(frozen=True, slots=True)
class MilestoneRef:
    """A milestone event: its `ce_id` and `ce_type`, the milestone and whom it is about."""

    ce_id: str
    ce_type: str
    milestone: Milestone
    participant_id: UUID


@dataclass(frozen=True, slots=True)
class Reached:
    """A milestone event as it is kept until the participant is erased: with the coarse facts its mails show."""

    ref: MilestoneRef
    facts: Mapping[str, object]


def reached(event: Event, ce_id: str) -> Reached:
    """The milestone `event` (with `ce_id`) marks; its facts are all its fields but the participant's id."""
    milestone = type(event).marks_milestone
    if milestone is None:
        raise ValueError(f"{type(event).__name__} is not a milestone")
    ref = MilestoneRef(ce_id, type(event).ce_type(), milestone, event.participant_id)
    return Reached(ref, event.model_dump(mode="json", exclude={"participant_id"}))
