"""Recruitment's rules: a participant's life cycle, profile and consents, the organisations around them, and what
each command may do and decides. Pure."""

from services.recruitment.domain.life_cycle import complete, pause, reactivate, resume, withdraw
from services.recruitment.domain.organisations import (
    Organisation,
    employer_placed,
    hand_over_lead,
    involve,
    register_organisation,
    release,
)
from services.recruitment.domain.participant import (
    ALLOWED,
    PROFILE_FIELDS,
    Action,
    AuditHold,
    Consent,
    Ending,
    Involvement,
    Participant,
    Pause,
    Profile,
    erase,
    grant_consent,
    record_intake,
    register,
    revoke_consent,
)
from shared.contracts.recruitment import ParticipantStatus

__all__ = [
    "ALLOWED",
    "PROFILE_FIELDS",
    "Action",
    "AuditHold",
    "Consent",
    "Ending",
    "Involvement",
    "Organisation",
    "Participant",
    "ParticipantStatus",
    "Pause",
    "Profile",
    "complete",
    "employer_placed",
    "erase",
    "grant_consent",
    "hand_over_lead",
    "involve",
    "pause",
    "reactivate",
    "record_intake",
    "register",
    "register_organisation",
    "release",
    "resume",
    "revoke_consent",
    "withdraw",
]
