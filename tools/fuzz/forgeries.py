"""What an authenticated partner may try on its own commands topics, and what each attempt must come to.

The broker lets partner A write `journey.<stage>.commands.<A>` (deploy/kafka/acls.txt), so these records arrive;
the stage must then reject each (shared/partners.py) on A's own rejections topic, with a known reason, and apply
nothing: a forged organisation (`ce_source` of another partner, `RegisterCandidate.partner_org` or
`RecordCounsellingSession.org_id` of another), a command about a participant A is not involved with, a command only
the operators may send, and a not-involved command whose timestamp lies far in the future (the commands topics
keep the broker's append time, so the grace for an unknown participant is not stretched by it).

Pure: the records and how an attempt is judged; tools/fuzz/attacks.py sends them and the broker-level attempts.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from shared.contracts.catalogue import BY_TYPE
from shared.contracts.envelope import BaseMessage
from shared.contracts.examples import example_json
from shared.contracts.rejections import RejectionReason
from shared.contracts.topics import PARTNER_STAGES, Kind, Stage, partner_topic
from shared.partners import source_of
from tools.fuzz.plan import ID_NAMESPACE, headers_for

FORGED_SOURCE = "ce_source of another partner"
FORGED_PARTNER_ORG = "RegisterCandidate.partner_org of another"
FORGED_COUNSELLING_ORG = "RecordCounsellingSession.org_id of another"
NOT_INVOLVED = "command about another org's participant"
NOT_PERMITTED = "operator-only command"
FUTURE = "not involved, dated 30 days ahead"
GROUPS = {
    FORGED_SOURCE: "forged organisation",
    FORGED_PARTNER_ORG: "forged organisation",
    FORGED_COUNSELLING_ORG: "forged organisation",
    NOT_INVOLVED: "not involved",
    NOT_PERMITTED: "not permitted",
    FUTURE: "future timestamp",
}
FUTURE_S = 30 * 24 * 3600  # how far ahead the sender dates its record

# Per partner stage, a command a partner may send about a participant (the pool's participants are registered by
# the run's own organisation, so the attacking partner is involved with none of them).
PARTICIPANT_COMMANDS: dict[Stage, str] = {
    Stage.RECRUITMENT: "journey.recruitment.GrantConsent.v1",
    Stage.RECOGNITION: "journey.recognition.RecordCounselling.v1",
    Stage.QUALIFICATION: "journey.qualification.PlanMeasure.v1",
    Stage.PLACEMENT: "journey.placement.RecordOffer.v1",
    Stage.NOTIFICATIONS: "journey.notifications.OptOutParticipant.v1",
}
OPERATOR_ONLY: tuple[str, ...] = ("journey.notifications.RegisterRecipient.v1", "journey.recruitment.PlaceAuditHold.v1")


@dataclass(frozen=True, slots=True)
class Variant:
    """One kind of forged record on one stage, with one command type."""

    kind: str
    stage: Stage
    ce_type: str
    expected: RejectionReason


def variants() -> list[Variant]:
    """Every kind on every stage it applies to: a run of any size covers these first."""
    found = [
        Variant(FORGED_SOURCE, stage, PARTICIPANT_COMMANDS[stage], RejectionReason.FORGED_ORGANISATION)
        for stage in PARTNER_STAGES
    ]
    found += [
        Variant(
            FORGED_PARTNER_ORG,
            Stage.RECRUITMENT,
            "journey.recruitment.RegisterCandidate.v1",
            RejectionReason.FORGED_ORGANISATION,
        ),
        Variant(
            FORGED_COUNSELLING_ORG,
            Stage.RECRUITMENT,
            "journey.recruitment.RecordCounsellingSession.v1",
            RejectionReason.FORGED_ORGANISATION,
        ),
    ]
    found += [
        Variant(NOT_INVOLVED, stage, PARTICIPANT_COMMANDS[stage], RejectionReason.NOT_INVOLVED)
        for stage in PARTNER_STAGES
    ]
    found += [
        Variant(NOT_PERMITTED, BY_TYPE[ce_type].stage, ce_type, RejectionReason.NOT_PERMITTED)
        for ce_type in OPERATOR_ONLY
    ]
    found += [
        Variant(FUTURE, stage, PARTICIPANT_COMMANDS[stage], RejectionReason.NOT_INVOLVED) for stage in PARTNER_STAGES
    ]
    return found


@dataclass(frozen=True, slots=True)
class Forgery:
    """One record partner `attacker` sends on its own commands topic, and the reason it must be rejected with."""

    index: int
    kind: str
    stage: Stage
    ce_type: str
    ce_id: str
    topic: str
    key: bytes
    value: bytes
    headers: tuple[tuple[str, bytes | None], ...]
    expected: RejectionReason
    future_s: int = 0  # > 0: the sender dates the record this far ahead

    @property
    def size(self) -> int:
        return len(self.value) + len(self.key) + sum(len(n) + len(v or b"") for n, v in self.headers)


@dataclass(frozen=True)
class Parties:
    """Who attacks (its credentials are used), whose identity it borrows, and whose participants it names."""

    attacker: str  # the partner organisation sending, e.g. counselling-example
    victim: str  # another partner organisation, e.g. language-school-example
    participants: tuple[str, ...]  # registered by another organisation (the run's own), known to every stage
    run_id: str
    region: str


def forgeries(n: int, parties: Parties) -> list[Forgery]:
    """`n` records taking turns over `variants()` (so any n >= len(variants()) covers each once)."""
    kinds = variants()
    return [build(i, kinds[i % len(kinds)], parties) for i in range(n)]


def build(index: int, variant: Variant, parties: Parties) -> Forgery:
    model = BY_TYPE[variant.ce_type]
    fresh = str(uuid.uuid5(ID_NAMESPACE, f"{parties.run_id}:attack:{index}"))
    participant = parties.participants[index % len(parties.participants)] if parties.participants else fresh
    payload = _payload(model, index, fresh, participant, variant, parties)
    message = model.model_validate(payload)
    key = message.kafka_key()
    ce_id = f"fuzz-{parties.run_id}-a{index}"
    source = source_of(parties.victim if variant.kind == FORGED_SOURCE else parties.attacker)
    return Forgery(
        index=index,
        kind=variant.kind,
        stage=variant.stage,
        ce_type=variant.ce_type,
        ce_id=ce_id,
        topic=partner_topic(variant.stage, Kind.COMMAND, parties.attacker),
        key=key.encode(),
        value=json.dumps(message.model_dump(mode="json")).encode(),
        headers=tuple(headers_for(model, ce_id, key, source)),
        expected=variant.expected,
        future_s=FUTURE_S if variant.kind == FUTURE else 0,
    )


def _payload(
    model: type[BaseMessage], index: int, fresh: str, participant: str, variant: Variant, parties: Parties
) -> dict[str, Any]:
    """A valid command of `model`: exactly the one thing `variant` names is wrong with it, for this sender."""
    payload: dict[str, Any] = {**example_json(model)}
    ce_type = variant.ce_type
    if ce_type == "journey.recruitment.RegisterCandidate.v1":
        # A new participant (nobody else's): only the organisation named is wrong.
        payload.update(participant_id=fresh, region=parties.region, partner_org=parties.victim)
        return payload
    if ce_type == "journey.notifications.RegisterRecipient.v1":
        recipient = f"fuzz-{parties.run_id}-a{index}"
        payload.update(recipient_id=recipient, email=f"{recipient}@example.org", regions=[parties.region])
        return payload
    payload["participant_id"] = participant
    if ce_type == "journey.recruitment.RecordCounsellingSession.v1":
        payload["org_id"] = parties.victim
    elif ce_type == "journey.recruitment.GrantConsent.v1":
        payload.update(scopes=["employer"], given_on=(date(2020, 1, 1) + timedelta(days=index)).isoformat())
    elif ce_type == "journey.recognition.RecordCounselling.v1":
        payload["partner_org"] = parties.attacker
    elif ce_type == "journey.qualification.PlanMeasure.v1":
        payload["measure_id"] = fresh
    elif ce_type == "journey.placement.RecordOffer.v1":
        payload["offer_id"] = fresh
    return payload


# --- judging: every attempt is refused by the broker or rejected by the stage; anything else fails the run

REFUSED, REJECTED = "refused", "rejected"
SUCCEEDED, UNANSWERED, WRONG = "succeeded", "unanswered", "wrong"
STATUSES = (REFUSED, REJECTED, SUCCEEDED, UNANSWERED, WRONG)


@dataclass(frozen=True, slots=True)
class Attempt:
    """One attack attempt and what became of it (`STATUSES`), with a line saying how that was seen."""

    group: str  # no credentials, beyond ACLs, forged organisation, not involved, oversized, future timestamp...
    kind: str
    target: str
    status: str
    detail: str

    @property
    def held(self) -> bool:
        """The bus held: the broker refused it or the stage rejected it as documented."""
        return self.status in (REFUSED, REJECTED)


def judge_forgery(
    forgery: Forgery,
    send_error: str | None,
    reasons: tuple[str, ...],
    caused: tuple[str, ...],
) -> tuple[str, str]:
    """(status, detail) of a forged record: refused when the broker would not take it, else rejected once with the
    expected reason and nothing caused."""
    if send_error is not None:
        return REFUSED, f"the broker refused it: {send_error}"
    if caused:
        return SUCCEEDED, f"applied: caused {', '.join(caused[:3])}"
    if not reasons:
        return UNANSWERED, "no rejection and no event"
    if any(reason != forgery.expected.value for reason in reasons):
        return WRONG, f"rejected as {','.join(reasons)}, expected {forgery.expected.value}"
    if len(reasons) > 1:
        return WRONG, f"rejected {len(reasons)} times"
    return REJECTED, forgery.expected.value


def judge_future(
    status: str,
    detail: str,
    *,
    stored_type: int | None,
    stored_ms: int | None,
    sent_ms: int,
    answered_s: float | None,
    limit_s: float,
) -> tuple[str, str]:
    """A future-dated record must also have been stored with the broker's time (LogAppendTime, type 1) and have been
    answered within the grace (`limit_s`, the grace with some slack) rather than held until its own date."""
    if status != REJECTED:
        return status, detail
    if stored_type != 1 or stored_ms is None or abs(stored_ms - sent_ms) > 300_000:
        return WRONG, f"stored with timestamp type {stored_type} at {stored_ms} (sent at {sent_ms}): the sender's time"
    if answered_s is None or answered_s > limit_s:
        return WRONG, f"rejected after {answered_s} s, beyond the grace ({limit_s:.0f} s with slack)"
    return REJECTED, f"{detail} after {answered_s:.1f} s; stored with the broker's time (LogAppendTime)"


@dataclass
class Row:
    attempts: int = 0
    refused: int = 0
    rejected: int = 0
    succeeded: int = 0
    unanswered: int = 0
    wrong: int = 0


@dataclass
class AttackTally:
    rows: dict[str, Row] = field(default_factory=lambda: defaultdict(Row))
    total: Row = field(default_factory=Row)
    failures: list[Attempt] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "by_kind": {k: asdict(v) for k, v in self.rows.items()},
            "total": asdict(self.total),
            "failures": [asdict(a) for a in self.failures],
        }


def tally_attempts(attempts: list[Attempt]) -> AttackTally:
    """Counts by `group: kind` (in the order first seen) and in total; every attempt that did not hold is listed."""
    result = AttackTally()
    for attempt in attempts:
        for row in (result.rows[f"{attempt.group}: {attempt.kind}"], result.total):
            row.attempts += 1
            setattr(row, attempt.status, getattr(row, attempt.status) + 1)
        if not attempt.held:
            result.failures.append(attempt)
    return result
