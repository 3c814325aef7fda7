"""Recruitment's rules: a participant's states and what each command may do in them. Pure."""

from __future__ import annotations

from enum import StrEnum


class ParticipantStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"
    ERASED = "erased"


class RecruitmentError(Exception):
    """A command that recruitment's rules refuse."""


class AlreadyRegistered(RecruitmentError):
    pass
