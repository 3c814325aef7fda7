"""Recruitment's rules: a participant's states and what each command may do in them. Pure."""

from __future__ import annotations

from enum import StrEnum


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

NEXT_STATUS: dict[Action, ParticipantStatus] = {
    Action.WITHDRAW: ParticipantStatus.WITHDRAWN,
    Action.ERASE: ParticipantStatus.ERASED,
}


class RecruitmentError(Exception):
    """A command that recruitment's rules refuse."""


class NotAllowed(RecruitmentError):
    def __init__(self, action: Action, status: ParticipantStatus) -> None:
        super().__init__(f"cannot {action.value}: the participant is {status.value}")


def check(action: Action, status: ParticipantStatus) -> ParticipantStatus:
    """The status after `action`, or `NotAllowed`."""
    if status not in ALLOWED[action]:
        raise NotAllowed(action, status)
    return NEXT_STATUS.get(action, status)
