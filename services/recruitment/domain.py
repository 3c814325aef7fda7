"""Recruitment's rules: a participant's states, and what each command may do in them and decides. Pure."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from uuid import UUID

from shared.contracts.enums import ISCO_08, CefrLevel, ConsentScope, Profession, ReferralSource, Residence
from shared.contracts.recruitment import (
    ConsentChanged,
    EraseParticipant,
    GrantConsent,
    IntakeRecorded,
    ParticipantErased,
    ParticipantRecruited,
    ParticipantWithdrawn,
    PersonalData,
    RecordIntake,
    RegisterCandidate,
    RevokeConsent,
    WithdrawParticipant,
)
from shared.decision import Decision
from shared.refusals import AlreadyExists, NotAllowed


class ParticipantStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"
    ERASED = "erased"


class Action(StrEnum):
    RECORD_INTAKE = "record intake"
    GRANT_CONSENT = "grant consent"
    REVOKE_CONSENT = "revoke consent"
    WITHDRAW = "withdraw"
    ERASE = "erase"


# Revoking consent and erasure stay possible after withdrawal (DSGVO Art. 7(3), Art. 17).
ALLOWED: dict[Action, frozenset[ParticipantStatus]] = {
    Action.RECORD_INTAKE: frozenset({ParticipantStatus.ACTIVE}),
    Action.GRANT_CONSENT: frozenset({ParticipantStatus.ACTIVE}),
    Action.REVOKE_CONSENT: frozenset({ParticipantStatus.ACTIVE, ParticipantStatus.WITHDRAWN}),
    Action.WITHDRAW: frozenset({ParticipantStatus.ACTIVE}),
    Action.ERASE: frozenset({ParticipantStatus.ACTIVE, ParticipantStatus.WITHDRAWN}),
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


@dataclass(frozen=True, slots=True)
class Participant:
    """A registered candidate: coarse profile, consents and, until erased, the personal data."""

    participant_id: UUID
    status: ParticipantStatus
    profile: Profile
    partner_org: str
    referral_source: ReferralSource
    consents: frozenset[ConsentScope]
    personal: PersonalData | None

    def _check(self, action: Action) -> None:
        if self.status not in ALLOWED[action]:
            raise NotAllowed(f"cannot {action.value}: the participant is {self.status.value}")


def register(existing: Participant | None, cmd: RegisterCandidate) -> Decision[Participant]:
    if existing is not None:
        raise AlreadyExists(f"participant {cmd.participant_id} is registered already")
    participant = Participant(
        participant_id=cmd.participant_id,
        status=ParticipantStatus.ACTIVE,
        profile=Profile(
            cmd.target_profession,
            cmd.country_of_training,
            cmd.language_level,
            cmd.residence,
            cmd.region,
            cmd.occupation,
        ),
        partner_org=cmd.partner_org,
        referral_source=cmd.referral_source,
        consents=frozenset(cmd.consents),
        personal=cmd.personal,
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
    )
    return Decision(participant, (recruited,))


def record_intake(participant: Participant, cmd: RecordIntake) -> Decision[Participant]:
    """Fields the intake leaves out stay as they are; the event carries the whole profile after it."""
    participant._check(Action.RECORD_INTAKE)
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
    )
    return Decision(replace(participant, profile=profile), (recorded,))


def grant_consent(participant: Participant, cmd: GrantConsent) -> Decision[Participant]:
    participant._check(Action.GRANT_CONSENT)
    return _consents(participant, participant.consents | cmd.scopes, cmd.given_on)


def revoke_consent(participant: Participant, cmd: RevokeConsent) -> Decision[Participant]:
    participant._check(Action.REVOKE_CONSENT)
    return _consents(participant, participant.consents - cmd.scopes, cmd.revoked_on)


def withdraw(participant: Participant, cmd: WithdrawParticipant) -> Decision[Participant]:
    participant._check(Action.WITHDRAW)
    withdrawn = ParticipantWithdrawn(
        participant_id=participant.participant_id, reason=cmd.reason, withdrawn_on=cmd.withdrawn_on
    )
    return Decision(replace(participant, status=ParticipantStatus.WITHDRAWN), (withdrawn,))


def erase(participant: Participant, cmd: EraseParticipant, today: date) -> Decision[Participant]:
    """Personal data goes; the coarse, now anonymous, attributes stay for statistics."""
    participant._check(Action.ERASE)
    erased = ParticipantErased(participant_id=participant.participant_id, basis=cmd.basis, erased_on=today)
    return Decision(replace(participant, status=ParticipantStatus.ERASED, personal=None), (erased,))


def _consents(participant: Participant, consents: frozenset[ConsentScope], on: date) -> Decision[Participant]:
    changed = ConsentChanged(participant_id=participant.participant_id, consents=consents, changed_on=on)
    return Decision(replace(participant, consents=consents), (changed,))


PROFILE_FIELDS = ("target_profession", "occupation", "country_of_training", "language_level", "residence", "region")
