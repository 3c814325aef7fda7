"""Canaries: valid commands every stage always applies, sent behind probes to show the partition still moves."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from shared.contracts.catalogue import BY_TYPE
from shared.contracts.envelope import BaseMessage
from shared.contracts.examples import example_json
from shared.contracts.topics import Stage
from tools.fuzz.plan import ID_NAMESPACE

# Per stage, a command that can be applied again and again: to a participant of the run's pool (known to every
# stage) with a fresh measure or offer id, a fresh recipient, or the run's funding period renamed. None of them
# reaches a milestone, so no mail.
CANARY_EPOCH = date(2020, 1, 1)
CANARY_TYPES: dict[Stage, str] = {
    Stage.RECRUITMENT: "journey.recruitment.GrantConsent.v1",
    Stage.RECOGNITION: "journey.recognition.RecordCounselling.v1",
    Stage.QUALIFICATION: "journey.qualification.PlanMeasure.v1",
    Stage.PLACEMENT: "journey.placement.RecordOffer.v1",
    Stage.NOTIFICATIONS: "journey.notifications.RegisterRecipient.v1",
    Stage.REPORTING: "journey.reporting.DefineFundingPeriod.v1",
}


@dataclass(slots=True)
class Canary:
    """A canary as sent: after which probe (None: a warm-up), where, and whether that probe was hazardous."""

    stage: Stage
    ce_id: str
    message: BaseMessage
    after: int | None = None
    hazardous: bool = False
    partition: int = -1
    offset: int = -1


@dataclass
class Pool:
    """The run's participants (known to every stage once warmed up) and a counter for fresh ids."""

    run_id: str
    region: str
    participants: list[str] = field(default_factory=list)
    made: int = 0
    recipients: list[str] = field(default_factory=list)

    @property
    def partner_org(self) -> str:
        return f"fuzz-{self.run_id}"

    def participant(self, n: int) -> str:
        return str(uuid.uuid5(ID_NAMESPACE, f"{self.run_id}:pool:{n}"))

    def register(self, n: int) -> BaseMessage:
        """RegisterCandidate for pool participant `n`, in the run's own region."""
        return _build("journey.recruitment.RegisterCandidate.v1", self._common(self.participant(n)))

    def canary(self, stage: Stage, participant: str | None = None) -> tuple[str, BaseMessage]:
        """(ce_id, command) of a fresh canary for `stage`, about `participant` (else the next one of the pool)."""
        self.made += 1
        n = self.made
        pid = participant or self.participants[n % len(self.participants)]
        fresh = str(uuid.uuid5(ID_NAMESPACE, f"{self.run_id}:canary:{n}"))
        overrides: dict[str, Any] = {"participant_id": pid}
        if stage is Stage.RECRUITMENT:
            # A consent given again on another day renews its evidence; the same grant twice is a repeat (refused).
            overrides["scopes"] = ["employer"]
            overrides["given_on"] = (CANARY_EPOCH + timedelta(days=n)).isoformat()
        elif stage is Stage.RECOGNITION:
            overrides["partner_org"] = self.partner_org
        elif stage is Stage.QUALIFICATION:
            overrides["measure_id"] = fresh
        elif stage is Stage.PLACEMENT:
            overrides["offer_id"] = fresh
        elif stage is Stage.REPORTING:
            # The run's own funding period (long past), renamed each time: a change, so always defined again.
            overrides = {
                "period_id": f"fuzz-{self.run_id}",
                "name": f"Fuzz {self.run_id} #{n}",
                "starts_on": CANARY_EPOCH.isoformat(),
                "ends_on": (CANARY_EPOCH + timedelta(days=30)).isoformat(),
            }
        else:
            recipient = f"fuzz-{self.run_id}-c{n}"
            self.recipients.append(recipient)
            overrides = {
                "recipient_id": recipient,
                "email": f"{recipient}@example.org",
                "regions": [self.region],
                "milestones": ["employment_ended"],
            }
        return f"fuzz-{self.run_id}-c{n}", _build(CANARY_TYPES[stage], overrides)

    def _common(self, pid: str) -> dict[str, Any]:
        return {"participant_id": pid, "region": self.region, "partner_org": self.partner_org}


def _build(ce_type: str, overrides: dict[str, Any]) -> BaseMessage:
    model = BY_TYPE[ce_type]
    return model.model_validate({**example_json(model), **overrides})


def removal(recipient: str) -> BaseMessage:
    """RemoveRecipient: the canary recipients leave the directory at the end of the run."""
    return _build("journey.notifications.RemoveRecipient.v1", {"recipient_id": recipient})
