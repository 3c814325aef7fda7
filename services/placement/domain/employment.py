"""The employment: its start (which sets its retention checks, `retention`) and its end (which may call for the
employer's notice to the foreigners' authority, `end_notice`). Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from services.placement.domain import end_notice, follow_ups, licences
from services.placement.domain.case import Action, CaseStatus, Placement
from shared.contracts.placement import EmploymentEnded, EmploymentStarted, EndEmployment, StartEmployment
from shared.decision import Decision, Drop, Due
from shared.refusals import NotAllowed


def start_employment(
    placement: Placement, cmd: StartEmployment, months: Iterable[int] = follow_ups.RETENTION_MONTHS
) -> Decision[Placement]:
    """Work starts under the confirmed offer, on its (contract's) terms, in the district the participant lives in
    now; its retention checks fall due the configured `months` later. Work that needs a licence, started when the
    Berufserlaubnis has already expired, is marked at once."""
    placement.require(Action.START_EMPLOYMENT)
    offer = replace(placement.employment, started_on=cmd.started_on, start_district=placement.district)
    started = EmploymentStarted(
        participant_id=placement.participant_id,
        employer_id=offer.employer_id,
        role_level=offer.role_level,
        in_region=offer.in_region,
        started_on=cmd.started_on,
    )
    after = replace(placement.with_offer(offer), status=CaseStatus.EMPLOYED, checks={})
    checks = follow_ups.set_for(placement.participant_id, offer.offer_id, cmd.started_on, months)
    return Decision(after, (started,), checks).then(licences.mark_if_unlicensed(after))


def end_employment(placement: Placement, cmd: EndEmployment) -> Decision[Placement]:
    """The end names the day the authority must be told by (from the day the employer learnt of it); the
    employment's follow-ups are no longer awaited. An end that needs the notice (`end_notice.needs_notice`) sets
    its reminder a week before that day."""
    placement.require(Action.END_EMPLOYMENT)
    started_on = placement.started_on
    assert started_on is not None, "an employed case has started"
    if cmd.ended_on < started_on:
        raise NotAllowed(f"ended_on {cmd.ended_on} is before the employment started on {started_on}")
    due_on = end_notice.notice_due_on(cmd.ended_on, cmd.learned_on)
    needed = end_notice.needs_notice(cmd.reason, placement.eu_citizen)
    offer = replace(
        placement.employment,
        ended_on=cmd.ended_on,
        end_reason=cmd.reason,
        learned_on=cmd.learned_on,
        notice_due_on=due_on if needed else None,
    )
    ended = EmploymentEnded(
        participant_id=placement.participant_id,
        ended_on=cmd.ended_on,
        reason=cmd.reason,
        authority_notice_due_on=due_on,
    )
    after = replace(placement.with_offer(offer), status=CaseStatus.ENDED)
    timers: tuple[Due | Drop, ...] = follow_ups.drop_for(placement.participant_id, offer.offer_id)
    if needed:
        timers += (end_notice.remind(placement.participant_id, offer.offer_id, due_on),)
    return Decision(after, (ended,), timers)


def authority_notice_due_on(ended_on: date, learned_on: date | None = None) -> date:
    """The last day of the employer's notice of an end (§4a(5) AufenthG: 4 weeks from learning of it)."""
    return end_notice.notice_due_on(ended_on, learned_on)
