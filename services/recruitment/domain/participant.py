"""A participant: life cycle table, coarse profile, consents with their evidence, the organisations around them;
registration, intake, consent and erasure. Pure."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from shared.contracts.enums import ISCO_08, CefrLevel, ConsentScope, Profession, ReferralSource, Residence
from shared.contracts.recruitment import (
    AuditHoldReason,
    ConsentChanged,
    ConsentMethod,
    EraseParticipant,
    GrantConsent,
    IntakeRecorded,
    JourneyStage,
    OrgRole,
    ParticipantErased,
    ParticipantRecruited,
    ParticipantStatus,
    ParticipationResult,
    PauseReason,
    PersonalData,
    RecordIntake,
    RegisterCandidate,
    RevokeConsent,
    WithdrawalReason,
)
from shared.contracts.reporting import RecordEntryIndicators
from shared.decision import Decision
from shared.refusals import AlreadyExists, NotAllowed


class Action(StrEnum):
    RECORD_INTAKE = "record intake"
    GRANT_CONSENT = "grant consent"
    REVOKE_CONSENT = "revoke consent"
    INVOLVE = "involve an organisation"
    RELEASE = "release an organisation"
    HAND_OVER_LEAD = "hand the lead over"
    PAUSE = "pause"
    RESUME = "resume"
    COMPLETE = "complete"
    WITHDRAW = "withdraw"
    REACTIVATE = "reactivate"
    ERASE = "erase"
    REQUEST_ACCESS = "request access to the data"
    CORRECT = "correct personal data"
    HOLD = "place or release an audit hold"


ACTIVE, PAUSED, COMPLETED, WITHDRAWN = (
    ParticipantStatus.ACTIVE, ParticipantStatus.PAUSED, ParticipantStatus.COMPLETED, ParticipantStatus.WITHDRAWN,
)  # fmt: skip
TAKING_PART = frozenset({ACTIVE, PAUSED})
NOT_ERASED = frozenset({ACTIVE, PAUSED, COMPLETED, WITHDRAWN})

# The life cycle (issue 12, item 5): a pause only while active, a return only from a pause, completion or drop-out
# while taking part, reactivation after either, erasure in every state but erased (DSGVO Art. 17). After completion
# the follow-ups go on (placement asks at 6, 12, 24 and 36 months; ParticipationCompleted: "commands about the
# participant are still taken"), so the profile, consents and organisations may still change. After a drop-out
# only what narrows sharing stays possible: revoking consent (DSGVO Art. 7(3): at any time) and releasing an
# organisation; anything else waits for a reactivation.
ALLOWED: dict[Action, frozenset[ParticipantStatus]] = {
    Action.RECORD_INTAKE: TAKING_PART | {COMPLETED},
    Action.GRANT_CONSENT: TAKING_PART | {COMPLETED},
    Action.REVOKE_CONSENT: NOT_ERASED,
    Action.INVOLVE: TAKING_PART | {COMPLETED},
    Action.RELEASE: NOT_ERASED,
    Action.HAND_OVER_LEAD: TAKING_PART | {COMPLETED},
    Action.PAUSE: frozenset({ACTIVE}),
    Action.RESUME: frozenset({PAUSED}),
    Action.COMPLETE: TAKING_PART,
    Action.WITHDRAW: TAKING_PART,
    Action.REACTIVATE: frozenset({COMPLETED, WITHDRAWN}),
    Action.ERASE: NOT_ERASED,
    # The rights of issue 15 hold in every state but erased: nothing is left to copy, correct or hold then.
    Action.REQUEST_ACCESS: NOT_ERASED,
    Action.CORRECT: NOT_ERASED,
    Action.HOLD: NOT_ERASED,
}


@dataclass(frozen=True, slots=True)
class Profile:
    """The coarse attributes an intake may change."""

    target_profession: Profession
    country_of_training: str
    language_level: CefrLevel
    residence: Residence
    region: str
    occupation: str | None = None  # KldB 2010, five digits
    district: str | None = None  # Kreisschlüssel, five digits


@dataclass(frozen=True, slots=True)
class Consent:
    """One scope's evidence: its latest grant (day, form version shown, how given) and its revocation, if any."""

    scope: ConsentScope
    given_on: date
    form_version: str | None = None
    method: ConsentMethod | None = None
    revoked_on: date | None = None


@dataclass(frozen=True, slots=True)
class Involvement:
    """An organisation taking part in the participant's case in a role."""

    org_id: str
    role: OrgRole
    involved_on: date


@dataclass(frozen=True, slots=True)
class Pause:
    """The pause under way: the programme's reminders wait, the participant's own deadlines run on."""

    reason: PauseReason
    paused_on: date
    expected_return_on: date | None = None


@dataclass(frozen=True, slots=True)
class Ending:
    """How the participation ended: a result (completed) or a reason and stage (dropped out)."""

    ended_on: date
    result: ParticipationResult | None = None
    withdrawal_reason: WithdrawalReason | None = None
    dropped_out_in: JourneyStage | None = None


@dataclass(frozen=True, slots=True)
class AuditHold:
    """Keeps the participant from the retention schedule's anonymisation up to and including `until`."""

    reason: AuditHoldReason
    until: date
    placed_on: date

    def holds_on(self, day: date) -> bool:
        return day <= self.until


@dataclass(frozen=True, slots=True)
class Participant:
    """A registered candidate: life cycle, coarse profile, consents, the organisations around them and, until
    erased, the personal data."""

    participant_id: UUID
    status: ParticipantStatus
    profile: Profile
    partner_org: str
    referral_source: ReferralSource
    personal: PersonalData | None
    lead: str
    partner_role: OrgRole = OrgRole.COUNSELLING_CENTRE
    eu_citizen: bool | None = None
    consent_records: tuple[Consent, ...] = ()  # one per scope, by scope
    involvements: tuple[Involvement, ...] = ()  # by org and role
    pause: Pause | None = None
    ending: Ending | None = None  # unknown for participants withdrawn before issue 12
    holds: tuple[AuditHold, ...] = ()  # one per reason, by reason

    @property
    def consents(self) -> frozenset[ConsentScope]:
        """The scopes consented to now."""
        return frozenset(c.scope for c in self.consent_records if c.revoked_on is None)

    def involved(self, org_id: str, role: OrgRole | None = None) -> bool:
        return any(i.org_id == org_id and role in (None, i.role) for i in self.involvements)

    def check(self, action: Action) -> None:
        if self.status not in ALLOWED[action]:
            raise NotAllowed(f"cannot {action.value}: the participant is {self.status.value}")


def register(existing: Participant | None, cmd: RegisterCandidate, today: date) -> Decision[Participant]:
    """The registering partner is involved in its role and leads the case; it need not be registered as an
    organisation (partners registered candidates long before the organisation registry existed)."""
    if existing is not None:
        raise AlreadyExists(f"participant {cmd.participant_id} is registered already")
    entered = today if cmd.registered_on is None else min(cmd.registered_on, today)
    participant = Participant(
        participant_id=cmd.participant_id,
        status=ACTIVE,
        profile=Profile(
            cmd.target_profession,
            cmd.country_of_training,
            cmd.language_level,
            cmd.residence,
            cmd.region,
            cmd.occupation,
            cmd.district,
        ),
        partner_org=cmd.partner_org,
        referral_source=cmd.referral_source,
        personal=cmd.personal,
        lead=cmd.partner_org,
        partner_role=cmd.partner_role,
        eu_citizen=cmd.eu_citizen,
        consent_records=_granted((), cmd.consents, today, cmd.consent_form_version, cmd.consent_method),
        involvements=(Involvement(cmd.partner_org, cmd.partner_role, today),),
    )
    recruited = ParticipantRecruited(
        participant_id=cmd.participant_id,
        target_profession=cmd.target_profession,
        isco_code=ISCO_08.get(cmd.target_profession),
        occupation=cmd.occupation,
        country_of_training=cmd.country_of_training,
        language_level=cmd.language_level,
        residence=cmd.residence,
        region=cmd.region,
        referral_source=cmd.referral_source,
        partner_org=cmd.partner_org,
        consents=cmd.consents,
        partner_role=cmd.partner_role,
        district=cmd.district,
        eu_citizen=cmd.eu_citizen,
        case_reference=cmd.case_reference,
        registered_on=entered,
    )
    if cmd.indicators is None:
        return Decision(participant, (recruited,))
    # The ESF+ indicators go to the reporting service alone, on its commands topic: never on an events topic.
    indicators = RecordEntryIndicators(
        participant_id=cmd.participant_id, recorded_on=entered, indicators=cmd.indicators
    )
    return Decision(participant, (recruited, indicators))


def record_intake(participant: Participant, cmd: RecordIntake) -> Decision[Participant]:
    """Fields the intake leaves out stay as they are; the event carries the whole profile after it."""
    participant.check(Action.RECORD_INTAKE)
    changes = {name: value for name in PROFILE_FIELDS if (value := getattr(cmd, name)) is not None}
    profile = replace(participant.profile, **changes)
    recorded = IntakeRecorded(
        participant_id=participant.participant_id,
        recorded_on=cmd.recorded_on,
        isco_code=ISCO_08.get(profile.target_profession),
        occupation=profile.occupation,
        target_profession=profile.target_profession,
        country_of_training=profile.country_of_training,
        language_level=profile.language_level,
        residence=profile.residence,
        region=profile.region,
        district=profile.district,
    )
    return Decision(replace(participant, profile=profile), (recorded,))


def grant_consent(participant: Participant, cmd: GrantConsent) -> Decision[Participant]:
    """A grant of a scope held already renews its evidence (a newer form signed); the same grant again is a repeated
    fact and changes nothing."""
    participant.check(Action.GRANT_CONSENT)
    records = _granted(participant.consent_records, cmd.scopes, cmd.given_on, cmd.form_version, cmd.method)
    if records == participant.consent_records:
        raise AlreadyExists(f"consent to {_names(cmd.scopes)} was given already on {cmd.given_on}", "scopes")
    changed = ConsentChanged(
        participant_id=participant.participant_id,
        consents=_held(records),
        changed_on=cmd.given_on,
        granted=cmd.scopes,
        form_version=cmd.form_version,
        method=cmd.method,
    )
    return Decision(replace(participant, consent_records=records), (changed,))


def revoke_consent(participant: Participant, cmd: RevokeConsent) -> Decision[Participant]:
    """The scopes held among those named are revoked; scopes not held are left alone (revoking what is held must
    never fail for a scope named too many). When none is held there is nothing to do: refused, saying why."""
    participant.check(Action.REVOKE_CONSENT)
    revoked = cmd.scopes & participant.consents
    if not revoked:
        ever = {c.scope for c in participant.consent_records}
        if cmd.scopes <= ever:  # revoked before: a repeated fact
            raise AlreadyExists(f"consent to {_names(cmd.scopes)} is revoked already", "scopes")
        raise NotAllowed(f"no consent to {_names(cmd.scopes - ever)} was given", "scopes")
    records = tuple(
        replace(c, revoked_on=cmd.revoked_on) if c.scope in revoked else c for c in participant.consent_records
    )
    changed = ConsentChanged(
        participant_id=participant.participant_id,
        consents=_held(records),
        changed_on=cmd.revoked_on,
        revoked=revoked,
    )
    return Decision(replace(participant, consent_records=records), (changed,))


def erase(
    participant: Participant, cmd: EraseParticipant, today: date, copies_gone_by: datetime | None = None
) -> Decision[Participant]:
    """Personal data, consents, involvements and holds go; the coarse, now anonymous, attributes stay for statistics.
    `copies_gone_by`: when the last copy elsewhere (topics, backups) is gone, which the event confirms."""
    participant.check(Action.ERASE)
    erased = ParticipantErased(
        participant_id=participant.participant_id,
        basis=cmd.basis,
        erased_on=today,
        all_copies_gone_by=copies_gone_by,
    )
    gone = replace(
        participant,
        status=ParticipantStatus.ERASED,
        personal=None,
        consent_records=(),
        involvements=(),
        holds=(),
    )
    return Decision(gone, (erased,))


def _granted(
    records: tuple[Consent, ...],
    scopes: frozenset[ConsentScope],
    on: date,
    form_version: str | None,
    method: ConsentMethod | None,
) -> tuple[Consent, ...]:
    """The records after a grant of `scopes`: each granted scope's evidence is the new one."""
    kept = {c.scope: c for c in records}
    for scope in scopes:
        new = Consent(scope, on, form_version, method)
        held = kept.get(scope)
        kept[scope] = held if held is not None and held.revoked_on is None and held == new else new
    return tuple(kept[s] for s in sorted(kept))


def _held(records: tuple[Consent, ...]) -> frozenset[ConsentScope]:
    return frozenset(c.scope for c in records if c.revoked_on is None)


def _names(scopes: frozenset[ConsentScope]) -> str:
    return ", ".join(sorted(s.value for s in scopes))


PROFILE_FIELDS = (
    "target_profession", "occupation", "country_of_training", "language_level", "residence", "region", "district",
)  # fmt: skip
