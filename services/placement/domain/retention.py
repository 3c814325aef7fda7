"""The retention checks of the current employment: recorded (with where the participant lives now, compared with
the district of the start), or raised due and overdue while awaited, also after the participant left the programme
while employed. Pure."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from uuid import UUID

from services.placement.domain import follow_ups
from services.placement.domain.case import Action, CaseStatus, Placement, RetentionCheck
from shared.contracts.placement import (
    RecordRetentionCheck,
    RetentionCheckDue,
    RetentionCheckOverdue,
    RetentionCheckRecorded,
)
from shared.decision import Decision
from shared.refusals import AlreadyExists, InvalidValue, NotAllowed


def record_retention_check(placement: Placement, cmd: RecordRetentionCheck) -> Decision[Placement]:
    """A check at any follow-up the contract knows may be recorded once it is due (by `checked_on`), overdue or
    not, and only once; its follow-ups are then no longer awaited. It says whether it came after the participant
    left the programme, and whether they still live in the district of the start."""
    placement.require(Action.RECORD_RETENTION_CHECK)
    employment, started_on = placement.employment, _started_on(placement)
    if cmd.months in placement.checks:
        raise AlreadyExists(f"the {cmd.months}-month retention check is recorded already")
    due_on = follow_ups.retention_due_on(started_on, cmd.months)
    if cmd.checked_on < due_on:
        raise NotAllowed(
            f"the {cmd.months}-month retention check is not due until {due_on}; checked_on {cmd.checked_on} is earlier"
        )
    in_district = still_in_district(employment.start_district, cmd.district, cmd.still_in_district)
    after = after_programme(placement.left_programme_on, cmd.checked_on)
    check = RetentionCheck(
        employment.offer_id,
        cmd.months,
        due_on,
        cmd.still_employed,
        cmd.still_in_region,
        cmd.checked_on,
        cmd.district,
        in_district,
        after,
    )
    recorded = RetentionCheckRecorded.model_validate(
        {**cmd.model_dump(), "still_in_district": in_district, "after_programme": after}
    )
    return Decision(
        replace(placement, checks={**placement.checks, cmd.months: check}),
        (recorded,),
        follow_ups.drop_for(placement.participant_id, employment.offer_id, (cmd.months,)),
    )


def still_in_district(start_district: str | None, district: str | None, stated: bool | None) -> bool | None:
    """Whether the participant still lives in the district (Landkreis/kreisfreie Stadt) they lived in when the work
    started: what rural districts measure (issue 12, the DRK's integration coordination). The partner's word when
    the districts cannot be compared; the comparison when they can, and a statement that contradicts it is
    refused."""
    if district is None or start_district is None:
        return stated
    same = district == start_district
    if stated is not None and stated != same:
        raise InvalidValue(
            f"still_in_district {stated} contradicts district {district}: the work started in district"
            f" {start_district}",
            field="still_in_district",
        )
    return same


def after_programme(left_programme_on: date | None, checked_on: date) -> bool:
    """A check made once the participant had left the programme (completed or dropped out) while employed."""
    return left_programme_on is not None and left_programme_on <= checked_on


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
    check, due_on = follow_ups.as_months(months), follow_ups.retention_due_on(_started_on(placement), months)
    due = RetentionCheckDue(participant_id=placement.participant_id, months=check, due_on=due_on)
    return Decision(placement, (due,))


def check_is_overdue(placement: Placement, offer_id: UUID, months: int) -> Decision[Placement]:
    """`RetentionCheckOverdue` while the check is awaited after its grace; nothing otherwise."""
    if not check_outstanding(placement, offer_id, months):
        return Decision(placement)
    check, due_on = follow_ups.as_months(months), follow_ups.retention_due_on(_started_on(placement), months)
    overdue = RetentionCheckOverdue(participant_id=placement.participant_id, months=check, due_on=due_on)
    return Decision(placement, (overdue,))


def _started_on(placement: Placement) -> date:
    assert placement.started_on is not None, "an employed case has started"
    return placement.started_on
