"""The one family of domain errors, each naming the reason code its rejection carries. Pure.

A domain refuses a command by raising one of these; the pipeline (`shared.processing`) turns it into the rejection
the sender receives. No service maps errors to reason codes itself.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from shared.contracts.rejections import RejectionReason

T = TypeVar("T")


class Refused(Exception):
    """A command the rules refuse; `reason` is what the sender is told, `field` the payload field at fault."""

    reason: ClassVar[RejectionReason] = RejectionReason.NOT_ALLOWED_IN_STATE

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(Refused):
    """Not allowed in the current state (of the participant, a case, a measure, an exam...)."""

    reason = RejectionReason.NOT_ALLOWED_IN_STATE


class AlreadyExists(Refused):
    """The thing to create, or the fact to record, exists already (under another message id)."""

    reason = RejectionReason.ALREADY_EXISTS


class InvalidValue(Refused):
    """A field's value breaks a rule that needs the state to check (a measure that was not offered)."""

    reason = RejectionReason.INVALID_PAYLOAD


class UnknownParticipant(Refused):
    """The stage has no record of the participant (or not in the shape the command needs)."""

    reason = RejectionReason.UNKNOWN_PARTICIPANT


class UnknownRecipient(Refused):
    """The notifications directory has no such recipient."""

    reason = RejectionReason.UNKNOWN_RECIPIENT


class NotPermitted(Refused):
    """The sender may not do this (e.g. change another organisation's registration)."""

    reason = RejectionReason.NOT_PERMITTED


class UnknownOrganisation(Refused):
    """No such organisation is registered, or it is not involved with the participant where it must be."""

    reason = RejectionReason.UNKNOWN_ORGANISATION


def known(found: T | None, what: str) -> T:
    """`found`, or `UnknownParticipant` saying what the stage lacks, e.g. `known(case, f"no case for {pid}")`."""
    if found is None:
        raise UnknownParticipant(what)
    return found
