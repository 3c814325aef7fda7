"""The participant's rights (issue 15): access on the lead's request, correction, audit holds and the retention
schedule's anonymisation. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from services.recruitment.domain.participant import (
    COMPLETED,
    WITHDRAWN,
    Action,
    AuditHold,
    Participant,
    erase,
)
from shared.calendar import add_months
from shared.contracts.recruitment import (
    AuditHoldPlaced,
    AuditHoldReleased,
    CorrectPersonalData,
    DataAccessRequested,
    EraseParticipant,
    ErasureBasis,
    PersonalData,
    PersonalDataCorrected,
    PersonalField,
    PlaceAuditHold,
    ReleaseAuditHold,
    RequestDataAccess,
)
from shared.contracts.rejections import RejectionReason
from shared.decision import Decision
from shared.refusals import AlreadyExists, InvalidValue, NotAllowed, Refused, UnknownOrganisation


class NotTheLead(Refused):
    """Only the organisation leading the case may ask for the participant's data."""

    reason = RejectionReason.NOT_INVOLVED


class Verdict(StrEnum):
    """What the retention schedule does with a participant."""

    ANONYMISE = "anonymise"
    HELD = "held"  # due, but an audit hold keeps them
    KEEP = "keep"  # still taking part, or not due yet


def request_access(participant: Participant, cmd: RequestDataAccess, request_id: UUID) -> Decision[Participant]:
    """The lead asks for the participant (who may also ask the operators directly); the state does not change."""
    participant.check(Action.REQUEST_ACCESS)
    if cmd.requested_by != participant.lead:
        raise NotTheLead(
            f"{cmd.requested_by} does not lead the case ({participant.lead} does): only the lead asks for the data",
            "requested_by",
        )
    requested = DataAccessRequested(
        participant_id=participant.participant_id,
        request_id=request_id,
        requested_by=cmd.requested_by,
        requested_on=cmd.requested_on,
    )
    return Decision(participant, (requested,))


def correct(participant: Participant, cmd: CorrectPersonalData) -> Decision[Participant]:
    """An involved organisation replaces the parts given and removes those cleared; the event names the parts that
    changed. A correction that changes nothing is a repeated fact."""
    participant.check(Action.CORRECT)
    if not participant.involved(cmd.corrected_by):
        raise UnknownOrganisation(f"{cmd.corrected_by} takes no part in the case", "corrected_by")
    if participant.personal is None:
        raise NotAllowed("the participant's personal data is not held here")
    before = participant.personal.model_dump()
    after = dict(before)
    for part in PersonalField:
        value = getattr(cmd, part.value)
        if value is not None:
            after[part.value] = value
    for part in cmd.cleared:
        after[part.value] = None
    changed = frozenset(part for part in PersonalField if after[part.value] != before[part.value])
    if not changed:
        raise AlreadyExists("the personal data is as given already")
    corrected = PersonalDataCorrected(
        participant_id=participant.participant_id,
        fields=changed,
        corrected_by=cmd.corrected_by,
        corrected_on=cmd.corrected_on,
    )
    return Decision(replace(participant, personal=PersonalData.model_validate(after)), (corrected,))


def place_hold(participant: Participant, cmd: PlaceAuditHold, today: date) -> Decision[Participant]:
    """A hold of the reason, up to and including `until`; placing it again moves the day (earlier or later)."""
    participant.check(Action.HOLD)
    if cmd.until < today:
        raise InvalidValue(f"a hold until {cmd.until} would hold nothing: that day has passed", "until")
    held = {h.reason: h for h in participant.holds}
    existing = held.get(cmd.reason)
    if existing is not None and existing.until == cmd.until:
        raise AlreadyExists(f"a {cmd.reason.value} hold until {cmd.until} is placed already", "until")
    held[cmd.reason] = AuditHold(cmd.reason, cmd.until, today)
    placed = AuditHoldPlaced(
        participant_id=participant.participant_id, reason=cmd.reason, until=cmd.until, placed_on=today
    )
    return Decision(replace(participant, holds=_sorted(held.values())), (placed,))


def release_hold(participant: Participant, cmd: ReleaseAuditHold, today: date) -> Decision[Participant]:
    participant.check(Action.HOLD)
    if not any(h.reason is cmd.reason for h in participant.holds):
        raise NotAllowed(f"no {cmd.reason.value} hold is placed", "reason")
    released = AuditHoldReleased(participant_id=participant.participant_id, reason=cmd.reason, released_on=today)
    rest = tuple(h for h in participant.holds if h.reason is not cmd.reason)
    return Decision(replace(participant, holds=rest), (released,))


def cut_off(today: date, years: int) -> date:
    """The day `years` years before `today` (28 February for a 29th); a participation that ended before it is due."""
    return add_months(today, -12 * years)


def verdict(participant: Participant, left_on: date | None, cut: date, today: date) -> Verdict:
    """`left_on`: the day the participation ended, when the participant does not say (withdrawn before issue 12
    recorded the day): the store's last change of them, which is that day or later."""
    if participant.status not in (COMPLETED, WITHDRAWN):
        return Verdict.KEEP
    ended = participant.ending.ended_on if participant.ending is not None else left_on
    if ended is None or ended >= cut:
        return Verdict.KEEP
    if any(h.holds_on(today) for h in participant.holds):
        return Verdict.HELD
    return Verdict.ANONYMISE


def anonymise(participant: Participant, today: date, copies_gone_by: datetime | None) -> Decision[Participant]:
    """The retention period ended: the erasure path, so that every stage erases too."""
    cmd = EraseParticipant(
        participant_id=participant.participant_id, basis=ErasureBasis.RETENTION_PERIOD_ENDED, requested_on=today
    )
    return erase(participant, cmd, today, copies_gone_by)


def _sorted(holds: Iterable[AuditHold]) -> tuple[AuditHold, ...]:
    return tuple(sorted(holds, key=lambda h: h.reason.value))
