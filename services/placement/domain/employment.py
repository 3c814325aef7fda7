"""The employment: its start, the retention checks recorded (or raised due and overdue) for it, and its end. Pure."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from uuid import UUID

from services.placement.domain import follow_ups, licences
from services.placement.domain.case import Action, CaseStatus, Placement, RetentionCheck
from shared.contracts.placement import (
    EmploymentEnded,
    EmploymentStarted,
    EndEmployment,
    RecordRetentionCheck,
    RetentionCheckDue,
    RetentionCheckOverdue,
    RetentionCheckRecorded,
    RetentionMonths,
    StartEmployment,
)
from shared.decision import Decision
from shared.refusals import AlreadyExists, NotAllowed

AUTHORITY_NOTICE_PERIOD = timedelta(weeks=4)
"""§4a(5) AufenthG: the employer tells the foreigners' authority within 4 weeks of an early end."""


def start_employment(placement: Placement, cmd: StartEmployment) -> Decision[Placement]:
    """Work starts under the confirmed offer, on its (contract's) terms; its retention checks fall due 6 and 12
    months later. Work that needs a licence, started when the Berufserlaubnis has already expired, is marked at
    once."""
    placement.require(Action.START_EMPLOYMENT)
    offer = replace(placement.employment, started_on=cmd.started_on)
    started = EmploymentStarted(
        participant_id=placement.participant_id,
        employer_id=offer.employer_id,
        role_level=offer.role_level,
        in_region=offer.in_region,
        started_on=cmd.started_on,
    )
    after = replace(placement.with_offer(offer), status=CaseStatus.EMPLOYED, checks={})
    checks = follow_ups.set_for(placement.participant_id, offer.offer_id, cmd.started_on)
    return Decision(after, (started,), checks).then(licences.mark_if_unlicensed(after))


def record_retention_check(placement: Placement, cmd: RecordRetentionCheck) -> Decision[Placement]:
    """A check may be recorded once it is due (by `checked_on`), overdue or not, and only once; its follow-ups
    are then no longer awaited."""
    placement.require(Action.RECORD_RETENTION_CHECK)
    employment, started_on = placement.employment, _started_on(placement)
    if cmd.months in placement.checks:
        raise AlreadyExists(f"the {cmd.months}-month retention check is recorded already")
    due_on = follow_ups.retention_due_on(started_on, cmd.months)
    if cmd.checked_on < due_on:
        raise NotAllowed(
            f"the {cmd.months}-month retention check is not due until {due_on}; checked_on {cmd.checked_on} is earlier"
        )
    check = RetentionCheck(
        employment.offer_id, cmd.months, due_on, cmd.still_employed, cmd.still_in_region, cmd.checked_on
    )
    after = replace(placement, checks={**placement.checks, cmd.months: check})
    recorded = RetentionCheckRecorded.model_validate(cmd.model_dump())
    return Decision(
        after, (recorded,), follow_ups.drop_for(placement.participant_id, employment.offer_id, (cmd.months,))
    )


def end_employment(placement: Placement, cmd: EndEmployment) -> Decision[Placement]:
    """The end names the day the authority must be told by; the employment's follow-ups are no longer awaited."""
    placement.require(Action.END_EMPLOYMENT)
    started_on = _started_on(placement)
    if cmd.ended_on < started_on:
        raise NotAllowed(f"ended_on {cmd.ended_on} is before the employment started on {started_on}")
    offer = replace(placement.employment, ended_on=cmd.ended_on, end_reason=cmd.reason)
    ended = EmploymentEnded(
        participant_id=placement.participant_id,
        ended_on=cmd.ended_on,
        reason=cmd.reason,
        authority_notice_due_on=authority_notice_due_on(cmd.ended_on),
    )
    after = replace(placement.with_offer(offer), status=CaseStatus.ENDED)
    return Decision(after, (ended,), follow_ups.drop_for(placement.participant_id, offer.offer_id))


def check_outstanding(placement: Placement, offer_id: UUID, months: int) -> bool:
    """Whether a retention check of this employment is still awaited (so its due/overdue event is news)."""
    return (
        placement.status is CaseStatus.EMPLOYED
        and placement.current_offer == offer_id
        and months not in placement.checks
    )


def check_falls_due(placement: Placement, offer_id: UUID, months: int) -> Decision[Placement]:
    """`RetentionCheckDue` while the check is awaited; nothing once it was recorded or its employment is over."""
    if not check_outstanding(placement, offer_id, months):
        return Decision(placement)
    check, due_on = _months(months), follow_ups.retention_due_on(_started_on(placement), months)
    due = RetentionCheckDue(participant_id=placement.participant_id, months=check, due_on=due_on)
    return Decision(placement, (due,))


def check_is_overdue(placement: Placement, offer_id: UUID, months: int) -> Decision[Placement]:
    """`RetentionCheckOverdue` while the check is awaited after its grace; nothing otherwise."""
    if not check_outstanding(placement, offer_id, months):
        return Decision(placement)
    check, due_on = _months(months), follow_ups.retention_due_on(_started_on(placement), months)
    overdue = RetentionCheckOverdue(participant_id=placement.participant_id, months=check, due_on=due_on)
    return Decision(placement, (overdue,))


def authority_notice_due_on(ended_on: date) -> date:
    return ended_on + AUTHORITY_NOTICE_PERIOD


def _started_on(placement: Placement) -> date:
    assert placement.started_on is not None, "an employed case has started"
    return placement.started_on


def _months(months: int) -> RetentionMonths:
    return 6 if months == 6 else 12
